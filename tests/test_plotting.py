"""Tests of seqshape.plotting: one module per concept, every name importable from the package,
and one convention (``ax=None``, returns the Figure) for every function."""

from __future__ import annotations

import inspect

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import seqshape.plotting as plotting
from seqshape.anomaly import events

SUBMODULES = ("windows", "shapes", "anomalies", "training", "resampling")

_v = np.sin(np.arange(40) / 5)
_flags = np.zeros(40, dtype=bool)
_flags[5:9] = _flags[30:31] = True
_t = np.arange(50.0)
_frame = pd.DataFrame({"a": [1.0, None, 3.0], "b": [None, 2.0, 3.0]}, index=pd.date_range("2000-01-01", periods=3, freq="MS"))

# name -> (args, kwargs, number of panels)
CALLS = {
    "plot_tensor_shape": (((2, 4, 3),), {}, 1),
    "plot_window_coverage": ((10, 4), {"stride": 2, "horizon": 1}, 1),
    "plot_windows": ((10, 4), {"stride": 3, "remainder": "pad"}, 1),
    "plot_flags": ((_v, _flags), {"errors": np.abs(_v), "threshold": 0.5}, 2),
    "plot_grid_clip": ((np.zeros((3, 4, 4)),), {}, 3),
    "plot_masks": (({"a": np.ones((2, 3), bool), "b": np.zeros((2, 3), bool)},), {}, 2),
    "plot_tradeoffs": ((["a", "b"],), {"score": [0.9, 0.8], "params": [10, 20], "seconds": [1.0, 2.0]}, 3),
    "plot_histories": (({"m": {"loss": [1.0, 0.5], "val_loss": [1.2, 0.6]}},), {}, 1),
    "plot_forecast_comparison": ((["a", "b"], [1.0, 2.0]), {}, 1),
    "plot_aliasing": ((_t, np.sin(_t), {"every 5th": (_t[::5], np.sin(_t[::5]))}), {}, 1),
    "plot_coverage": ((_frame,), {}, 1),
}


def test_every_public_name_is_in_all_and_importable_from_the_package():
    names = set()
    for sub in SUBMODULES:
        module = __import__(f"seqshape.plotting.{sub}", fromlist=["__all__"])
        assert module.__all__, sub
        for name in module.__all__:
            assert getattr(plotting, name) is getattr(module, name)
        names |= set(module.__all__)
    assert names == set(plotting.__all__) == set(CALLS) | {"plot_model_shapes"}


@pytest.mark.parametrize("name", sorted(set(plotting.__all__)))
def test_every_function_takes_ax_none_as_a_keyword_option(name):
    parameter = inspect.signature(getattr(plotting, name)).parameters["ax"]
    assert parameter.default is None and parameter.kind is inspect.Parameter.KEYWORD_ONLY


@pytest.mark.parametrize("name", sorted(CALLS))
def test_draws_on_the_given_axes_and_returns_their_figure(name):
    args, kwargs, n_panels = CALLS[name]
    made = getattr(plotting, name)(*args, **kwargs)
    assert isinstance(made, plt.Figure)
    plt.close(made)
    fig, axes = plt.subplots(1, n_panels, squeeze=False)
    given = axes[0, 0] if n_panels == 1 else list(axes[0])
    assert getattr(plotting, name)(*args, **kwargs, ax=given) is fig
    plt.close(fig)


@pytest.mark.parametrize("name", [n for n, (_, _, k) in CALLS.items() if k > 1])
def test_a_wrong_number_of_axes_names_the_argument(name):
    args, kwargs, n_panels = CALLS[name]
    fig, one = plt.subplots()
    with pytest.raises(ValueError, match=rf"ax must hold {n_panels} Axes \(one per panel\), got 1"):
        getattr(plotting, name)(*args, **kwargs, ax=one)
    with pytest.raises(TypeError, match=r"ax must be a matplotlib Axes or a sequence"):
        getattr(plotting, name)(*args, **kwargs, ax="left")
    plt.close(fig)


def test_flagged_runs_are_the_events_of_seqshape_anomaly():
    fig = plotting.plot_flags(_v, _flags)
    spans = [p for p in fig.axes[0].patches]
    # axvspan draws a Rectangle (matplotlib >= 3.9) or a Polygon: read the left edge in data units
    left = [p.get_path().transformed(p.get_patch_transform()).vertices[:, 0].min() for p in spans]
    starts = sorted(round(x + 0.5) for x in left)
    assert starts == [int(a) for a, _ in events(_flags)]
    plt.close(fig)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: plotting.plot_tensor_shape((2, 13, 3)), ValueError, r"shape\[1\] must be an int in \[1, 12\], got 13"),
        (lambda: plotting.plot_tensor_shape((2, 4.0, 3)), TypeError, r"shape\[1\] must be an int in \[1, 12\], got float"),
        (lambda: plotting.plot_window_coverage(10, 11), ValueError, r"length must be an int in \[1, 10\], got 11"),
        (lambda: plotting.plot_window_coverage(10, 4, stride=True), TypeError, r"stride must be an int >= 1, got bool"),
    ],
)
def test_documented_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_plot_aliasing_accepts_a_datetime_time_axis():
    # chapter 1 passes a weekly DatetimeIndex as t; datetimes are a time axis, not values
    idx = pd.date_range("2000-01-01", periods=60, freq="W")
    x = np.sin(np.arange(60) / 3.0)
    fig = plotting.plot_aliasing(idx, x, {"every 5th": (idx[::5], x[::5])})
    assert len(fig.axes) == 1
    plt.close(fig)


def test_plot_coverage_time_axis_ends_with_the_data():
    # chapter 1's union of CO2 and SST ends in 2010-12; the axis ran on to about 2021 because it
    # made room inside the axes for the step counts
    import matplotlib.dates as mdates

    idx = pd.date_range("1950-01-01", "2010-12-01", freq="MS")
    frame = pd.DataFrame({"a": np.where(idx.year < 2002, 1.0, np.nan), "b": 1.0}, index=idx)
    fig = plotting.plot_coverage(frame)
    ax = fig.axes[0]
    first, last = mdates.date2num(idx[0].to_pydatetime()), mdates.date2num(idx[-1].to_pydatetime())
    step = float(np.median(np.diff(mdates.date2num(idx.to_pydatetime()))))
    left, right = ax.get_xlim()
    assert left == pytest.approx(first) and right == pytest.approx(last + step)
    assert mdates.num2date(right).year == 2011  # the end of 2010-12, not a later year
    assert [t.get_text() for t in ax.texts] == ["624 of 732 steps", "732 of 732 steps"]
    plt.close(fig)

"""Figures of alignment and resampling: where each feature has values, and aliasing.

Part of :mod:`seqshape.plotting`; every function takes ``ax=None`` and returns the Figure.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from seqshape._validation import NUMERIC_KINDS, as_array
from seqshape.plotting._common import figure_for, runs

__all__ = ["plot_aliasing", "plot_coverage"]


def plot_aliasing(
    t: np.ndarray,
    x: np.ndarray,
    versions: dict[str, tuple[np.ndarray, np.ndarray]],
    *,
    xlabel: str = "time",
    ylabel: str = "value",
    title: str | None = None,
    ax: Any = None,
) -> plt.Figure:
    """Draw a densely sampled series and downsampled versions of it on the same time axis.

    Parameters
    ----------
    t, x : numpy.ndarray
        Time and values of the original series, shape ``(T,)`` each; drawn thin and grey.
    versions : dict of str to (numpy.ndarray, numpy.ndarray)
        Label to ``(t_k, y_k)``: the times and values of a downsampled version, drawn with
        markers. A version that follows a slow wave the original does not have is aliased.
    xlabel, ylabel : str, optional
        Axis labels. Defaults ``"time"`` and ``"value"``.
    title : str, optional
        Figure title. Default: none.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        One panel with the original and every version.

    Raises
    ------
    TypeError
        If ``t`` or ``x`` does not hold real numbers (complex, object, text).
    ValueError
        If ``t`` or ``x`` is empty, ``t`` and ``x`` differ in length, or a version's times and
        values do.

    Examples
    --------
    >>> t = np.arange(100.0)
    >>> x = np.sin(2 * np.pi * t / 10)
    >>> fig = plot_aliasing(t, x, {"every 9th": (t[::9], x[::9])})
    >>> len(fig.axes)
    1
    >>> plt.close(fig)
    """
    # t may be datetimes (a DatetimeIndex, datetime64): a time axis, not values to compute with
    t = as_array(t, "t", kinds=NUMERIC_KINDS + "M", min_steps=1)
    x = as_array(x, "x", min_steps=1)
    if np.shape(t) != np.shape(x):
        raise ValueError(f"t and x must have the same shape, got {np.shape(t)} and {np.shape(x)}")
    for name, (tk, yk) in versions.items():
        if np.shape(tk) != np.shape(yk):
            raise ValueError(f"version {name!r}: times and values differ in shape, {np.shape(tk)} vs {np.shape(yk)}")
    fig, (ax,) = figure_for(ax, figsize=(8, 3.4))
    ax.plot(t, x, color="0.75", lw=0.8, label="original")
    markers = "osD^v"
    for i, (name, (tk, yk)) in enumerate(versions.items()):
        ax.plot(tk, yk, marker=markers[i % len(markers)], ms=4, lw=1.4, color=f"C{i + 1}", label=name)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8, ncols=min(4, len(versions) + 1), loc="upper left")
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def plot_coverage(frame: object, *, title: str | None = None, ax: plt.Axes | None = None) -> plt.Figure:
    """Draw where each column of a time-indexed table has values: one bar per feature.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns are features on one shared ``DatetimeIndex`` (e.g. an outer join); NaN marks a
        step where that feature has no value.
    title : str, optional
        Figure title. Default: none.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        A bar per column over time, drawn where the column has values, with gaps where it is NaN.
        The time axis spans the index, from its first step to the end of its last one; the count
        of steps with values is written beside each bar, right of the axes.

    Raises
    ------
    ValueError
        If ``frame`` has no rows or no columns.

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.date_range("2000-01-01", periods=6, freq="MS")
    >>> df = pd.DataFrame({"a": [1, 2, None, 4, 5, 6], "b": [None, None, 1, 2, 3, 4]}, index=idx)
    >>> fig = plot_coverage(df)
    >>> len(fig.axes)
    1
    >>> plt.close(fig)
    """
    import matplotlib.dates as mdates

    shape = getattr(frame, "shape", None)
    if shape is None or len(shape) != 2 or 0 in shape:
        raise ValueError(f"frame must be a non-empty pandas DataFrame (time x features), got shape {shape}")
    fig, (ax,) = figure_for(ax, figsize=(8, 0.55 * shape[1] + 1.2))
    x = mdates.date2num(frame.index.to_pydatetime())  # type: ignore[attr-defined]
    step = float(np.median(np.diff(x))) if len(x) > 1 else 1.0
    for row, name in enumerate(frame.columns):  # type: ignore[attr-defined]
        present = frame[name].notna().to_numpy()  # type: ignore[index]
        spans = [(x[a], x[b - 1] - x[a] + step) for a, b in runs(present)]
        ax.broken_barh(spans, (row - 0.35, 0.7), facecolors=f"C{row}")
        # the count sits just right of the axes (x in axes units), so the time axis ends with the data
        ax.text(1.01, row, f"{int(present.sum())} of {len(present)} steps", va="center", fontsize=8,
                transform=ax.get_yaxis_transform(), clip_on=False)
    ax.set_yticks(range(shape[1]), [str(c) for c in frame.columns])  # type: ignore[attr-defined]
    ax.set_ylim(shape[1] - 0.5, -0.5)
    ax.set_xlim(x[0], x[-1] + step)  # the data's extent: first step to the end of the last one
    ax.xaxis_date()
    ax.set_xlabel("time")
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig

"""The dtype and layout matrix: every public function that takes an array, fed every kind of input.

Each cell of the matrix is one function and one kind of input (int, bool, float32, float64,
complex, object, Fortran order, negative strides, a non-contiguous slice, ``np.memmap``, a
Python list, pandas, an empty series, a single step). Each cell must either give the documented
result (the same values as the function gives for a plain C-contiguous float64 copy of the same
data, with the documented dtype) or raise TypeError/ValueError with a message that names the
argument. None may return a silently different result.

``python tests/test_matrix.py`` prints the matrix as a table.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from seqshape import align, anomaly, diagnose, features, grids, plotting, windows

KINDS = (
    "int", "bool", "float32", "float64", "complex", "object", "fortran", "negative_strides",
    "slice", "memmap", "list", "pandas", "empty", "single_step",
)  # fmt: skip


@dataclass(frozen=True)
class Spec:
    """How to call one function on one input, and what each kind of input must give.

    ``outcome`` overrides the policy for some kinds: ``"same"`` (the reference result),
    ``"TypeError"`` or ``"ValueError"`` (raised, naming ``arg``), ``"ok"`` / ``"not ok"`` (for
    ``diagnose``, whose answer is a report rather than an error), ``"figure"`` (for the plotting
    functions, whose result is a drawing: it must be a Figure).
    """

    call: Callable[[Any], Any]
    shape: tuple[int, ...]
    arg: str
    outcome: dict[str, str] = field(default_factory=dict)
    float_result: bool = False  # the result is computed in floating point (float32 stays float32)
    data: str = "float64"  # "bool" for a flags argument: the layouts then carry booleans
    result_dtype: str | None = None  # "input": the dtype of np.asarray(x); or a fixed dtype name

    def expected(self, kind: str) -> str:
        default = {"complex": "TypeError", "object": "TypeError", "empty": "ValueError"}
        return self.outcome.get(kind, default.get(kind, "same"))


def _first_batch(ds: Any) -> Any:
    return ds[0]


def _figure(fig: Any) -> str:
    ok = isinstance(fig, plt.Figure)
    plt.close(fig)
    return "figure" if ok else f"not a figure: {fig!r}"


def _flat(result: Any) -> np.ndarray:
    """A scores dataclass or dict as one float vector, to compare with the reference."""
    if dataclasses.is_dataclass(result):
        result = dataclasses.astuple(result)
    elif isinstance(result, dict):
        result = tuple(result.values())
    return np.concatenate([np.atleast_1d(np.asarray(v, dtype=np.float64)) for v in result])


def _labels(n: int) -> np.ndarray:
    """Labels for the scoring functions: steps 0, 4, 8, ... are anomalous."""
    return np.arange(n) % 4 == 0


def _flags(n: int) -> np.ndarray:
    return np.arange(n) % 3 == 1


#: A flags (boolean) argument: booleans in any layout are read; numbers are not flags.
_FLAGS = dict.fromkeys(("int", "float32", "float64"), "TypeError") | {"empty": "same"}
#: A labels argument: booleans or 0/1 integers.
_LABELS = dict.fromkeys(("float32", "float64"), "TypeError") | {"empty": "same"}
#: Errors and scores: numbers, not booleans.
_SCORES = {"bool": "TypeError"}

_FIGURE = dict.fromkeys(KINDS, "figure") | {"complex": "TypeError", "object": "TypeError", "empty": "ValueError"}


SPECS: dict[str, Spec] = {
    "align.stack_features": Spec(lambda x: align.stack_features(x, x), (12, 3), "series[0]"),
    "align.add_batch_axis": Spec(align.add_batch_axis, (12, 3), "x", {"empty": "same"}),
    "align.resample": Spec(lambda x: align.resample(x, from_rate=2, to_rate=1), (12, 3), "x",
                           {"single_step": "ValueError"}, float_result=True),
    "align.pad_batch": Spec(lambda x: align.pad_batch([x, x])[0], (12, 3), "sequences[0]"),
    "features.lag_features": Spec(lambda x: features.lag_features(x, [1, 2]), (12, 3), "x", float_result=True),
    "features.rolling_features": Spec(lambda x: features.rolling_features(x, [1, 3]), (12, 3), "x", float_result=True),
    "grids.require_grid_sequence": Spec(grids.require_grid_sequence, (4, 3, 2, 2, 1), "x"),
    "grids.flatten_grid": Spec(grids.flatten_grid, (4, 3, 2, 2, 1), "x"),
    "grids.unflatten_grid": Spec(lambda x: grids.unflatten_grid(x, grid=(2, 2)), (4, 3, 4), "x"),
    "windows.sliding_windows": Spec(lambda x: windows.sliding_windows(x, 1 if len(x) == 1 else 4, stride=2), (12, 3), "x"),
    "windows.sliding_windows(pad)": Spec(lambda x: windows.sliding_windows(x, 4, stride=3, remainder="pad"), (13, 3), "x",
                                         {"single_step": "ValueError"}),
    "windows.make_supervised": Spec(lambda x: np.concatenate([a.reshape(len(a), -1) for a in
                                                              windows.make_supervised(x, length=3)], axis=1),
                                    (12, 3), "x", {"single_step": "ValueError"}),
    "windows.unwindow": Spec(lambda v: windows.unwindow(v, stride=2), (5, 4, 2), "values", float_result=True),
    "windows.WindowDataset": Spec(lambda x: _first_batch(windows.WindowDataset(x, length=1 if len(x) == 1 else 4, batch_size=64)),
                                  (12, 3), "x"),
    "plotting.plot_flags": Spec(lambda v: _figure(plotting.plot_flags(v, np.zeros(len(v), bool), errors=v)), (12,), "values", _FIGURE),
    "plotting.plot_aliasing": Spec(lambda v: _figure(plotting.plot_aliasing(v, v, {})), (12,), "t", _FIGURE),
    "plotting.plot_grid_clip": Spec(lambda v: _figure(plotting.plot_grid_clip(v)), (3, 4, 4), "frames",
                                    _FIGURE | {"complex": "TypeError"}),
    "plotting.plot_masks": Spec(lambda m: _figure(plotting.plot_masks({"m": m})), (3, 5), "masks['m']", _FIGURE),
    "anomaly.forecasts_to_timeline": Spec(lambda v: anomaly.forecasts_to_timeline(v, length=2, n_steps=len(v) + 2), (12, 3),
                                          "values", {"empty": "same"}, result_dtype="float64"),
    "anomaly.unwindow_causal": Spec(lambda v: anomaly.unwindow_causal(v, stride=2), (5, 4, 2), "values", result_dtype="float64"),
    "anomaly.threshold_from": Spec(lambda e: anomaly.threshold_from(e, quantile=0.5), (12,), "errors", _SCORES),
    "anomaly.calibrate_threshold": Spec(lambda e: anomaly.calibrate_threshold(e, false_alarm_rate=0.1), (12,), "errors",
                                        _SCORES | {"single_step": "ValueError"}),
    "anomaly.flag": Spec(lambda e: anomaly.flag(e, 1.5), (12,), "errors", _SCORES | {"empty": "same"}, result_dtype="bool"),
    "anomaly.events": Spec(anomaly.events, (12,), "flags", _FLAGS, data="bool", result_dtype="int64"),
    "anomaly.close_gaps": Spec(lambda f: anomaly.close_gaps(f, max_gap=1), (12,), "flags", _FLAGS, data="bool", result_dtype="bool"),
    "anomaly.point_scores": Spec(lambda f: _flat(anomaly.point_scores(f, _labels(len(f)))), (12,), "flags", _FLAGS, data="bool"),
    "anomaly.event_scores": Spec(lambda f: _flat(anomaly.event_scores(f, _labels(len(f)), tolerance=1)), (12,), "flags", _FLAGS,
                                 data="bool"),
    "anomaly.point_adjusted_scores": Spec(lambda lab: _flat(anomaly.point_adjusted_scores(_flags(len(lab)), lab)), (12,), "labels",
                                          _LABELS, data="bool"),
    "anomaly.random_flag_baseline": Spec(lambda lab: _flat(anomaly.random_flag_baseline(lab, rate=0.3, n_draws=3)), (12,), "labels",
                                         _LABELS, data="bool"),
    "anomaly.top1_location": Spec(lambda s: _flat(anomaly.top1_location(s, _labels(len(s)))), (12,), "scores", _SCORES),
    "anomaly.separation": Spec(lambda s: _flat(anomaly.separation(s, _labels(len(s)))), (12,), "scores",
                               _SCORES | {"single_step": "ValueError"}),
    "anomaly.threshold_sweep": Spec(lambda s: _flat(anomaly.threshold_sweep(s, _labels(len(s)), [0.5, 2.5])), (12,), "scores",
                                    _SCORES | {"empty": "same"}),
    "anomaly.apply_where(mask)": Spec(lambda x: anomaly.apply_where(x, _flags(len(x)), "mask", value=0), (12, 3), "x",
                                      {"empty": "same"}, result_dtype="input"),
    "anomaly.apply_where(interpolate)": Spec(lambda x: anomaly.apply_where(x, _flags(len(x)), "interpolate"), (12, 3), "x",
                                             {"empty": "same", "int": "TypeError", "bool": "TypeError"}, result_dtype="input"),
    "diagnose.diagnose": Spec(lambda x: diagnose.diagnose(x, (None, None, 3)).ok, (4, 6, 3), "x",
                              {"complex": "not ok", "object": "not ok", "empty": "not ok", "single_step": "ok",
                               # a nested list is read as Keras reads it: one array per input
                               "list": "not ok", **dict.fromkeys(
                                  ("int", "bool", "float32", "float64", "fortran", "negative_strides", "slice", "memmap"), "ok")}),
}


def make_input(kind: str, shape: tuple[int, ...], tmp_dir: Any, data: str = "float64") -> Any:
    """The data of ``shape`` (small integers, some of them 0; booleans for ``data="bool"``) as the given kind of input."""
    base = (np.arange(int(np.prod(shape))).reshape(shape) * 7 % 5).astype(np.float64)
    if data == "bool":
        base = base > 1
    if kind == "int":
        return base.astype(np.int64)
    if kind == "bool":
        return base.astype(bool)
    if kind in ("float32", "float64", "complex", "object"):
        return base.astype(kind if kind != "complex" else np.complex128)
    if kind == "fortran":
        return np.asfortranarray(base)
    if kind == "negative_strides":
        return base[::-1]
    if kind == "slice":
        return np.repeat(base, 2, axis=0)[::2]
    if kind == "memmap":
        mm = np.memmap(tmp_dir / "x.dat", dtype=base.dtype, mode="w+", shape=shape)
        mm[:] = base
        return mm
    if kind == "list":
        return base.tolist()
    if kind == "pandas":
        if base.ndim == 1:
            return pd.Series(base)
        if base.ndim == 2:
            return pd.DataFrame(base)
        return None  # no pandas object of that rank
    if kind == "empty":
        return base[:0]
    if kind == "single_step":
        return base[:1]
    raise AssertionError(kind)


def _reference(spec: Spec, x: Any) -> Any:
    plain = np.array(np.asarray(x, dtype=spec.data), order="C")
    return spec.call(plain)


def outcome(name: str, kind: str, tmp_dir: Any) -> tuple[str, str]:
    """(what happened, detail) for one cell; raises AssertionError when the cell is wrong."""
    spec = SPECS[name]
    x = make_input(kind, spec.shape, tmp_dir, spec.data)
    if x is None:
        return "n/a", "no pandas object of this rank"
    want = spec.expected(kind)
    try:
        got = spec.call(x)
    except (TypeError, ValueError) as exc:
        text = str(exc)
        assert type(exc).__name__ == want, f"{name} on {kind}: raised {type(exc).__name__} ({text}), expected {want}"
        assert re.search(rf"(^|[^\w.]){re.escape(spec.arg)}($|[^\w])", text), f"{name} on {kind}: message does not name {spec.arg!r}: {text}"
        return type(exc).__name__, text
    if want == "figure":
        assert got == "figure", f"{name} on {kind}: {got}"
        return want, ""
    if want in ("ok", "not ok"):
        assert got is (want == "ok"), f"{name} on {kind}: ok={got}, expected {want}"
        return want, ""
    assert want == "same", f"{name} on {kind}: returned a result, expected {want}"
    ref = _reference(spec, x)
    got_arr = np.asarray(got)
    np.testing.assert_allclose(got_arr.astype(np.float64), np.asarray(ref, dtype=np.float64), rtol=1e-5, atol=1e-6, equal_nan=True,
                               err_msg=f"{name} on {kind}")
    if spec.float_result:
        expected_dtype = np.float32 if kind == "float32" else np.float64
        assert got_arr.dtype == expected_dtype, f"{name} on {kind}: dtype {got_arr.dtype}, documented {np.dtype(expected_dtype)}"
    if spec.result_dtype is not None:
        expected_dtype = np.asarray(x).dtype if spec.result_dtype == "input" else np.dtype(spec.result_dtype)
        assert got_arr.dtype == expected_dtype, f"{name} on {kind}: dtype {got_arr.dtype}, documented {expected_dtype}"
    return "same", str(got_arr.dtype)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", sorted(SPECS))
def test_matrix(name: str, kind: str, tmp_path: Any) -> None:
    outcome(name, kind, tmp_path)


#: Public functions that take no array (only ints), so have no cell in the matrix.
NO_ARRAY = {"anomaly.available_at"}


def test_every_array_function_of_the_package_is_in_the_matrix() -> None:
    covered = {n.split("(")[0] for n in SPECS}
    public = {f"align.{n}" for n in align.__all__ if n[0].islower() and n != "MAX_RESAMPLE_FACTOR"}
    public |= {f"features.{n}" for n in features.__all__}
    public |= {f"grids.{n}" for n in ("require_grid_sequence", "flatten_grid", "unflatten_grid")}
    public |= {f"windows.{n}" for n in windows.__all__}
    public |= {f"anomaly.{n}" for n in anomaly.__all__ if n[0].islower()} - NO_ARRAY
    public |= {"diagnose.diagnose"}
    assert public <= covered, sorted(public - covered)
    assert NO_ARRAY <= {f"anomaly.{n}" for n in anomaly.__all__}  # no stale exclusion


def test_views_are_read_only_and_copies_writeable(tmp_path: Any) -> None:
    # The array contract: a result that shares memory with the input is read-only, any other
    # result is writeable, whatever the input's length or layout.
    for name in ("align.add_batch_axis", "grids.flatten_grid", "grids.unflatten_grid", "windows.sliding_windows",
                 "windows.sliding_windows(pad)", "features.lag_features", "align.resample"):
        spec = SPECS[name]
        for kind in ("float64", "fortran", "negative_strides", "slice", "memmap"):
            x = make_input(kind, spec.shape, tmp_path, spec.data)
            out = spec.call(x)
            assert out.flags.writeable is not np.shares_memory(out, x), (name, kind)


if __name__ == "__main__":  # print the matrix
    import tempfile
    from pathlib import Path

    short = {"TypeError": "TypeError", "ValueError": "ValueError", "same": "ok", "ok": "ok", "not ok": "report",
             "figure": "figure", "n/a": "n/a"}
    with tempfile.TemporaryDirectory() as tmp:
        print("| function | " + " | ".join(KINDS) + " |")
        print("|---" * (len(KINDS) + 1) + "|")
        for name in sorted(SPECS):
            cells = []
            for kind in KINDS:
                try:
                    what, _ = outcome(name, kind, Path(tmp))
                    cells.append(short[what])
                except AssertionError as exc:
                    cells.append(f"WRONG ({exc})")
            print(f"| {name} | " + " | ".join(cells) + " |")

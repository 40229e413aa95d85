"""Turn per-step errors into flags on the timeline, score them, and act on the flagged rows.

A sequence model scores windows; this module works on the time axis of the original series
(axis 0), after the per-window outputs have been mapped back onto it (see
:func:`seqshape.windows.unwindow` for outputs with one value per step of each window, and
:func:`forecasts_to_timeline` for forecasts with one value per window).

``threshold_from``
    A threshold from errors on normal (training or validation) data only.
``flag``
    Boolean flags ``errors > threshold``, one per step.
``events``
    Runs of consecutive flagged steps as ``(start, stop)`` pairs.
``event_scores``
    Event-level precision, recall and delay to detection against labels (and point-wise scores).
``apply_where``
    Mask, interpolate, clip or otherwise transform only the flagged rows of ``x``; returns a
    new array and never touches the input.

Nothing here imports TensorFlow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "EventScores",
    "apply_where",
    "event_scores",
    "events",
    "flag",
    "forecasts_to_timeline",
    "threshold_from",
]

_OPS = ("mask", "interpolate", "clip")


def _positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return int(value)


def _errors_1d(errors: Any, name: str = "errors") -> np.ndarray:
    arr = np.asarray(errors)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must hold numbers, got dtype {arr.dtype}")
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be 1-D (one error per step, shape (n_steps,)), got shape {arr.shape}; "
            f"reduce the feature axis first, e.g. {name}.mean(axis=1)"
        )
    return arr


def _flags_1d(flags: Any, name: str = "flags") -> np.ndarray:
    arr = np.asarray(flags)
    if arr.dtype != bool:
        raise TypeError(
            f"{name} must be a boolean array, got dtype {arr.dtype}; "
            f"convert 0/1 labels with {name}.astype(bool)"
        )
    if arr.ndim != 1:
        hint = f"; for one flag per row use {name}.any(axis=1)" if arr.ndim == 2 else ""
        raise ValueError(f"{name} must be 1-D (one flag per step, shape (n_steps,)), got shape {arr.shape}{hint}")
    return arr


def forecasts_to_timeline(
    values: Any, *, length: int, n_steps: int, horizon: int = 1, stride: int = 1
) -> np.ndarray:
    """Place one forecast per window on the time step it predicts.

    Window ``i`` of :func:`seqshape.windows.make_supervised` starts at ``s = i * stride`` and
    its target is step ``s + length - 1 + horizon``. This function puts ``values[i]`` at that
    step, so forecasts (or forecast errors) line up with the series they came from.

    Parameters
    ----------
    values : array_like
        One value per window, shape ``(n_windows,)`` or ``(n_windows, *feature_shape)``.
    length : int
        Window length used to make the windows.
    n_steps : int
        Length of the original series (the output's first axis).
    horizon : int, optional
        Steps between a window's last step and its target. Default 1.
    stride : int, optional
        Steps between the starts of consecutive windows. Default 1.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_steps, *feature_shape)``, float64: ``values[i]`` at step
        ``i * stride + length - 1 + horizon``; NaN at every step no window predicts (the first
        ``length + horizon - 1`` steps, the gaps when ``stride > 1``, and any steps after the
        last target).

    Raises
    ------
    TypeError
        If ``length``, ``n_steps``, ``horizon`` or ``stride`` is not an int.
    ValueError
        If ``values`` has no window axis, or the last target falls outside ``n_steps``.

    See Also
    --------
    seqshape.windows.make_supervised : makes the windows and targets that this aligns with.
    seqshape.windows.unwindow : for outputs with one value per step of each window.

    Notes
    -----
    One allocation of ``n_steps`` rows and one fancy-index assignment: O(n_steps).

    Examples
    --------
    >>> placed = forecasts_to_timeline(np.array([10.0, 11.0, 12.0]), length=4, n_steps=8)
    >>> placed.shape
    (8,)
    >>> placed
    array([nan, nan, nan, nan, 10., 11., 12., nan])

    With ``horizon=2`` and ``stride=2`` every forecast lands two steps later and one step in two:

    >>> forecasts_to_timeline(np.array([1.0, 2.0]), length=3, n_steps=8, horizon=2, stride=2)
    array([nan, nan, nan, nan,  1., nan,  2., nan])
    """
    length = _positive_int(length, "length")
    n_steps = _positive_int(n_steps, "n_steps")
    horizon = _positive_int(horizon, "horizon")
    stride = _positive_int(stride, "stride")
    vals = np.asarray(values, dtype=np.float64)
    if vals.ndim == 0:
        raise ValueError(f"values must have a window axis, shape (n_windows, ...), got a scalar {values!r}")
    n_windows = vals.shape[0]
    steps = np.arange(n_windows) * stride + length - 1 + horizon
    if n_windows and steps[-1] >= n_steps:
        raise ValueError(
            f"values has {n_windows} windows whose last target is step {steps[-1]}, beyond "
            f"n_steps={n_steps}; check length={length}, horizon={horizon}, stride={stride} "
            f"against the ones used to make the windows"
        )
    out = np.full((n_steps, *vals.shape[1:]), np.nan)
    out[steps] = vals
    return out


def threshold_from(errors: Any, *, quantile: float = 0.99, margin: float = 1.0) -> float:
    """A flagging threshold from errors on normal data: ``margin * quantile(errors)``.

    Compute it from training or validation errors only, never from the test labels: a threshold
    tuned on the labels it is scored against reports a detector better than it is.

    Parameters
    ----------
    errors : array_like
        Per-step errors on anomaly-free data, shape ``(n_steps,)``, no NaN.
    quantile : float, optional
        In ``[0, 1]``; ``1.0`` takes the largest normal error. Default 0.99.
    margin : float, optional
        Positive factor applied to the quantile (e.g. 1.5 for head room). Default 1.0.

    Returns
    -------
    float
        The threshold.

    Raises
    ------
    TypeError
        If ``errors`` is not numeric.
    ValueError
        If ``errors`` is not 1-D, is empty or holds NaN (steps no window covers: drop them with
        ``errors[~np.isnan(errors)]``), or ``quantile``/``margin`` is out of range.

    See Also
    --------
    flag : applies the threshold.
    numpy.quantile : the estimator used (linear interpolation between order statistics).

    Notes
    -----
    One partial sort: O(n_steps).

    Examples
    --------
    >>> normal = np.array([0.1, 0.2, 0.3, 0.4, 0.5])
    >>> normal.shape
    (5,)
    >>> threshold_from(normal, quantile=1.0)
    0.5
    >>> threshold_from(normal, quantile=0.5, margin=2.0)
    0.6
    """
    arr = _errors_1d(errors)
    if arr.size == 0:
        raise ValueError("errors is empty; pass the errors of the normal (training/validation) steps")
    n_nan = int(np.isnan(arr).sum())
    if n_nan:
        raise ValueError(
            f"errors holds {n_nan} NaN of {arr.size} values (steps that no window covers); "
            f"keep the covered steps with errors[~np.isnan(errors)]"
        )
    if not 0.0 <= quantile <= 1.0:
        raise ValueError(f"quantile must be in [0, 1], got {quantile!r}")
    if not margin > 0:
        raise ValueError(f"margin must be > 0, got {margin!r}")
    return float(margin * np.quantile(arr, quantile))


def flag(errors: Any, threshold: float) -> np.ndarray:
    """Flag the steps whose error is above the threshold.

    Parameters
    ----------
    errors : array_like
        Per-step errors, shape ``(n_steps,)``; NaN (a step no window covers) is allowed.
    threshold : float
        From :func:`threshold_from`.

    Returns
    -------
    numpy.ndarray
        Boolean, shape ``(n_steps,)``: ``errors > threshold``. A NaN error is never flagged
        (``NaN > threshold`` is False), so uncovered steps read as "not flagged", not "normal".

    Raises
    ------
    TypeError
        If ``errors`` is not numeric.
    ValueError
        If ``errors`` is not 1-D or ``threshold`` is NaN.

    See Also
    --------
    threshold_from : a threshold from normal data.
    events : groups the flags into runs.

    Notes
    -----
    One vectorised comparison: O(n_steps).

    Examples
    --------
    >>> flags = flag(np.array([0.1, 0.9, np.nan, 0.7]), 0.5)
    >>> flags.shape
    (4,)
    >>> flags
    array([False,  True, False,  True])
    """
    arr = _errors_1d(errors)
    if np.isnan(threshold):
        raise ValueError("threshold is NaN; compute it from errors without NaN (see threshold_from)")
    with np.errstate(invalid="ignore"):
        return arr > threshold


def events(flags: Any) -> np.ndarray:
    """Runs of consecutive flagged steps.

    Parameters
    ----------
    flags : array_like of bool
        Shape ``(n_steps,)``.

    Returns
    -------
    numpy.ndarray
        int64, shape ``(n_events, 2)``: row ``k`` is ``(start, stop)`` of run ``k``, with
        ``flags[start:stop]`` all True (``stop`` is exclusive, as in a slice).

    Raises
    ------
    TypeError
        If ``flags`` is not boolean (0/1 labels: use ``labels.astype(bool)``).
    ValueError
        If ``flags`` is not 1-D.

    See Also
    --------
    event_scores : scores these runs against labelled ones.

    Notes
    -----
    One ``np.diff`` over the flags: O(n_steps).

    Examples
    --------
    >>> runs = events(np.array([0, 1, 1, 0, 0, 1], dtype=bool))
    >>> runs.shape
    (2, 2)
    >>> runs.tolist()
    [[1, 3], [5, 6]]
    """
    arr = _flags_1d(flags)
    padded = np.concatenate(([False], arr, [False])).astype(np.int8)
    change = np.flatnonzero(np.diff(padded))
    return change.reshape(-1, 2).astype(np.int64)


@dataclass(frozen=True)
class EventScores:
    """Scores of flags against labels (see :func:`event_scores`).

    Attributes
    ----------
    precision : float
        Fraction of flagged events that overlap a labelled event; NaN if nothing is flagged.
    recall : float
        Fraction of labelled events that are detected; NaN if there are none.
    delays : numpy.ndarray
        float64, one per labelled event: steps from its start to its first flag, NaN if missed.
    n_true : int
        Number of labelled events.
    n_flagged : int
        Number of flagged events.
    point_precision : float
        Fraction of flagged steps that are labelled; NaN if nothing is flagged.
    point_recall : float
        Fraction of labelled steps that are flagged; NaN if nothing is labelled.
    """

    precision: float
    recall: float
    delays: np.ndarray
    n_true: int
    n_flagged: int
    point_precision: float
    point_recall: float


def event_scores(flags: Any, labels: Any, *, tolerance: int = 0) -> EventScores:
    """Event-level precision, recall and delay to detection (plus point-wise precision and recall).

    A labelled event ``[start, stop)`` counts as detected when a flag falls in
    ``[start, stop + tolerance)``; its delay is the first such flag minus ``start``. A flagged
    event counts as correct when it overlaps that extended range of some labelled event.

    Parameters
    ----------
    flags : array_like of bool
        Shape ``(n_steps,)``, e.g. from :func:`flag`.
    labels : array_like of bool or 0/1 int
        Shape ``(n_steps,)``, True (1) on anomalous steps.
    tolerance : int, optional
        Steps after a labelled event in which a flag still counts (an error often peaks just
        after the event it belongs to). Default 0.

    Returns
    -------
    EventScores
        ``precision``, ``recall``, ``delays`` (shape ``(n_true,)``), ``n_true``, ``n_flagged``,
        ``point_precision`` and ``point_recall``.

    Raises
    ------
    TypeError
        If ``flags`` is not boolean, or ``labels`` is neither boolean nor integer.
    ValueError
        If either is not 1-D, their shapes differ, ``labels`` holds values other than 0 and 1,
        or ``tolerance`` is negative.

    See Also
    --------
    events : the runs these scores count.
    sklearn.metrics.precision_score : the point-wise score, for comparison.

    Notes
    -----
    O(n_steps + n_true * n_flagged); both counts are small for real detectors.

    Examples
    --------
    >>> labels = np.array([0, 0, 1, 1, 0, 0, 0, 0])
    >>> flags = np.array([0, 0, 0, 1, 1, 0, 1, 0], dtype=bool)
    >>> flags.shape, labels.shape
    ((8,), (8,))
    >>> s = event_scores(flags, labels)
    >>> s.precision, s.recall, s.delays.tolist()
    (0.5, 1.0, [1.0])
    >>> s.point_precision, s.point_recall
    (0.3333333333333333, 0.5)
    """
    f = _flags_1d(flags)
    lab = np.asarray(labels)
    if lab.dtype != bool:
        if not np.issubdtype(lab.dtype, np.integer):
            raise TypeError(f"labels must be boolean or 0/1 integers, got dtype {lab.dtype}")
        bad = np.setdiff1d(np.unique(lab), [0, 1])
        if bad.size:
            raise ValueError(f"labels must hold only 0 and 1, got also {bad[:5].tolist()}")
        lab = lab.astype(bool)
    lab = _flags_1d(lab, "labels")
    if f.shape != lab.shape:
        raise ValueError(
            f"flags and labels must have the same shape (one value per step), got flags "
            f"{f.shape} and labels {lab.shape}; map window outputs onto the steps first"
        )
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, np.integer)) or tolerance < 0:
        raise ValueError(f"tolerance must be a non-negative int, got {tolerance!r}")
    true_ev = events(lab)
    pred_ev = events(f)
    n_steps = f.shape[0]
    delays = np.full(len(true_ev), np.nan)
    hit = np.zeros(len(pred_ev), dtype=bool)
    for k, (start, stop) in enumerate(true_ev):
        end = min(stop + tolerance, n_steps)
        inside = np.flatnonzero(f[start:end])
        if inside.size:
            delays[k] = float(inside[0])
        hit |= (pred_ev[:, 0] < end) & (pred_ev[:, 1] > start)
    nan = float("nan")
    n_hit_steps = int((f & lab).sum())
    return EventScores(
        precision=float(hit.mean()) if len(pred_ev) else nan,
        recall=float(np.mean(~np.isnan(delays))) if len(true_ev) else nan,
        delays=delays,
        n_true=len(true_ev),
        n_flagged=len(pred_ev),
        point_precision=n_hit_steps / int(f.sum()) if f.any() else nan,
        point_recall=n_hit_steps / int(lab.sum()) if lab.any() else nan,
    )


def apply_where(
    x: Any,
    flags: Any,
    op: str | Callable[[np.ndarray], np.ndarray],
    *,
    value: float = float("nan"),
    lower: float | None = None,
    upper: float | None = None,
) -> np.ndarray:
    """Transform only the flagged rows of ``x``; return a new array, leave ``x`` untouched.

    Parameters
    ----------
    x : array_like
        Shape ``(n_steps, ...)``, time on axis 0. Rows are ``x[t]``.
    flags : array_like of bool
        Shape ``(n_steps,)``: which rows to transform.
    op : {"mask", "interpolate", "clip"} or callable
        ``"mask"`` sets flagged rows to ``value``; ``"interpolate"`` replaces them by linear
        interpolation in time between the nearest unflagged rows, per feature (before the first
        or after the last unflagged row it repeats that row, as :func:`numpy.interp` does);
        ``"clip"`` clips them into ``[lower, upper]``; a callable receives the flagged rows,
        shape ``(n_flagged, ...)``, and must return an array of that shape.
    value : float, optional
        Fill value for ``"mask"``. Default NaN.
    lower, upper : float, optional
        Bounds for ``"clip"`` (at least one). Default None.

    Returns
    -------
    numpy.ndarray
        A new array of shape ``x.shape``; rows where ``flags`` is False equal those of ``x``.
        The dtype is that of ``x``.

    Raises
    ------
    TypeError
        If ``flags`` is not boolean, ``op`` is neither a known name nor callable, or ``x`` has
        an integer dtype for ``"interpolate"`` or for ``"mask"`` with NaN.
    ValueError
        If ``x`` is a scalar, ``flags`` is not 1-D or its length differs from ``x.shape[0]``,
        ``"interpolate"`` finds no unflagged row, ``"clip"`` gets no bound, or a callable
        returns the wrong shape.

    See Also
    --------
    flag : makes the flags.
    numpy.where : the element-wise building block, without the validation.
    numpy.interp : the 1-D linear interpolation used per feature.

    Notes
    -----
    One copy of ``x`` (the result) plus, for ``"interpolate"``, one pass of ``np.interp`` per
    feature column: O(x.size).

    Examples
    --------
    >>> x = np.array([[1.0, 10.0], [2.0, 99.0], [3.0, 30.0], [4.0, 40.0]])
    >>> flags = np.array([False, True, False, False])
    >>> x.shape, flags.shape
    ((4, 2), (4,))
    >>> apply_where(x, flags, "mask")
    array([[ 1., 10.],
           [nan, nan],
           [ 3., 30.],
           [ 4., 40.]])
    >>> apply_where(x, flags, "interpolate")[1]
    array([ 2., 20.])
    >>> apply_where(x, flags, "clip", upper=25.0)[1]
    array([ 2., 25.])
    >>> apply_where(x, flags, lambda rows: rows * 0)[1]
    array([0., 0.])
    >>> x[1]  # the input is unchanged
    array([ 2., 99.])
    """
    arr = np.asarray(x)
    if arr.ndim == 0:
        raise ValueError(f"x must have a time axis, shape (n_steps, ...), got a scalar {x!r}")
    f = _flags_1d(flags)
    if f.shape[0] != arr.shape[0]:
        raise ValueError(
            f"flags must have one value per row of x: x has shape {arr.shape} "
            f"({arr.shape[0]} rows) but flags has shape {f.shape}; map window outputs onto "
            f"the time axis first (seqshape.windows.unwindow or forecasts_to_timeline)"
        )
    is_float = np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.complexfloating)
    out = arr.copy()
    if callable(op):
        rows = arr[f]
        new = np.asarray(op(rows.copy()))
        if new.shape != rows.shape:
            raise ValueError(
                f"op must return an array shaped like the flagged rows {rows.shape}, got {new.shape}"
            )
        out[f] = new
        return out
    if op not in _OPS:
        raise TypeError(f"op must be one of {_OPS} or a callable, got {op!r}")
    if not f.any():
        return out
    if op == "mask":
        if np.isnan(value) and not is_float:
            raise TypeError(
                f"cannot mask an integer array (dtype {arr.dtype}) with NaN; pass value=... "
                f"or convert first with x.astype(float)"
            )
        out[f] = value
    elif op == "interpolate":
        if not is_float:
            raise TypeError(
                f"interpolate needs a floating x, got dtype {arr.dtype}; convert with x.astype(float)"
            )
        if f.all():
            raise ValueError("interpolate needs at least one unflagged row to interpolate from; all rows are flagged")
        t = np.arange(arr.shape[0])
        flat_in = arr.reshape(arr.shape[0], -1)
        flat_out = out.reshape(arr.shape[0], -1)
        for j in range(flat_in.shape[1]):
            flat_out[f, j] = np.interp(t[f], t[~f], flat_in[~f, j])
    else:  # clip
        if lower is None and upper is None:
            raise ValueError("clip needs lower=..., upper=... or both")
        out[f] = np.clip(arr[f], lower, upper)
    return out

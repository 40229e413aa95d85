"""Turn per-step errors into flags on the timeline, score them, and act on the flagged rows.

A sequence model scores windows; this module works on the time axis of the original series
(axis 0), after the per-window outputs have been mapped back onto it (see
:func:`seqshape.windows.unwindow` for outputs with one value per step of each window,
:func:`unwindow_causal` for the same without look-ahead, and :func:`forecasts_to_timeline` for
forecasts with one value per window).

Placing scores on the timeline
    ``forecasts_to_timeline``, ``unwindow_causal``, ``available_at`` (the step at which each
    step's score exists).
Thresholds and flags
    ``threshold_from`` (a quantile of normal errors), ``calibrate_threshold`` (from a target
    false-alarm rate on a normal calibration split), ``flag``, ``events``, ``close_gaps``.
Scoring one set of flags, four ways, plus one threshold-free view
    ``point_scores`` (point-wise), ``event_scores`` (event-wise, Hundman et al. 2018),
    ``point_adjusted_scores`` with ``random_flag_baseline`` (Xu et al. 2018; criticised by
    Kim et al. 2022), ``top1_location`` (the KDD Cup 2021 protocol), ``separation`` and
    ``threshold_sweep``.
Acting on the flags
    ``apply_where``: mask, interpolate, clip or otherwise transform only the flagged rows of
    ``x``; returns a new array and never touches the input.

All inputs are real-valued: complex arrays raise TypeError (their imaginary part would be lost).
Nothing here imports TensorFlow.

References
----------
Hundman, K., Constantinou, V., Laporte, C., Colwell, I. and Soderstrom, T. (2018). Detecting
spacecraft anomalies using LSTMs and nonparametric dynamic thresholding. KDD 2018.

Xu, H. et al. (2018). Unsupervised anomaly detection via variational auto-encoder for seasonal
KPIs in web applications (Donut). WWW 2018. The origin of point adjustment.

Kim, S., Choi, K., Choi, H.-S., Lee, B. and Yoon, S. (2022). Towards a rigorous evaluation of
time-series anomaly detection. AAAI 2022. Shows that random flags score well under point
adjustment.

Tatbul, N., Lee, T. J., Zdonik, S., Alam, M. and Gottschlich, J. (2018). Precision and recall
for time series. NeurIPS 2018. Range-based scores (not implemented here).

Wu, R. and Keogh, E. (2021). Current time series anomaly detection benchmarks are flawed and
are creating the illusion of progress. IEEE TKDE. The UCR archive and the KDD Cup 2021 task.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from seqshape._validation import (
    as_1d,
    as_array,
    as_flags,
    as_series,
    check_bool,
    check_choice,
    check_int,
    check_optional_int,
    check_real,
    check_same_shape,
    describe,
    ensure_finite,
    n_windows,
)

__all__ = [
    "EventScores",
    "PointScores",
    "RandomBaseline",
    "Separation",
    "Top1",
    "apply_where",
    "available_at",
    "calibrate_threshold",
    "close_gaps",
    "event_scores",
    "events",
    "flag",
    "forecasts_to_timeline",
    "point_adjusted_scores",
    "point_scores",
    "random_flag_baseline",
    "separation",
    "threshold_from",
    "threshold_sweep",
    "top1_location",
    "unwindow_causal",
]

_NAN = float("nan")


# --- input checks: the shared ones of seqshape._validation, composed for flags and labels -------


def _flags_and_labels(flags: Any, labels: Any) -> tuple[np.ndarray, np.ndarray]:
    f = as_flags(flags)
    lab = as_flags(labels, "labels", zero_one=True)
    check_same_shape({"flags": f, "labels": lab}, fix="map window outputs onto the steps first")
    return f, lab


def _tolerance(value: Any) -> int:
    return check_int(value, "tolerance", minimum=0, fix="use tolerance=0 for none")


def _rate(value: Any, name: str) -> float:
    return check_real(value, name, bounds=(0.0, 1.0), closed=False, fix=f"e.g. {name}=0.01 for one step in 100")


# --- placing scores on the timeline ------------------------------------------------------------


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
        One real value per window, shape ``(n_windows,)`` or ``(n_windows, *feature_shape)``.
    length : int
        Window length used to make the windows.
    n_steps : int
        Length of the original series (the output's first axis).
    horizon : int, optional
        Steps between a window's last step and its target; ``0`` means the target is the
        window's last step (as in ``make_supervised(..., horizon=0)``). Default 1.
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
        If ``length``, ``n_steps``, ``horizon`` or ``stride`` is not an int, or ``values`` is
        complex.
    ValueError
        If ``values`` has no window axis, ``horizon`` is negative, or the last target falls
        outside ``n_steps``.

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

    With ``horizon=0`` the value belongs to the window's own last step:

    >>> forecasts_to_timeline(np.array([1.0, 2.0]), length=3, n_steps=4, horizon=0)
    array([nan, nan,  1.,  2.])
    """
    length = check_int(length, "length")
    n_steps = check_int(n_steps, "n_steps")
    horizon = check_int(horizon, "horizon", minimum=0, fix="use horizon=0 for a value that belongs to the window's last step")
    stride = check_int(stride, "stride")
    vals = as_array(values, "values", layout="(n_windows, ...)").astype(np.float64)
    if vals.ndim == 0:
        raise ValueError(
            f"values must have a window axis, shape (n_windows, ...), got a scalar {values!r}; "
            f"pass one value per window, e.g. np.atleast_1d(values)"
        )
    count = vals.shape[0]
    steps = np.arange(count) * stride + length - 1 + horizon
    if count and steps[-1] >= n_steps:
        raise ValueError(
            f"values has {count} windows whose last target is step {steps[-1]}, beyond "
            f"n_steps={n_steps}; check length={length}, horizon={horizon}, stride={stride} "
            f"against the ones used to make the windows"
        )
    out = np.full((n_steps, *vals.shape[1:]), np.nan)
    out[steps] = vals
    return out


def unwindow_causal(values: Any, *, stride: int, n_steps: int | None = None) -> np.ndarray:
    """Per-step window outputs back onto the time axis without look-ahead.

    :func:`seqshape.windows.unwindow` gives step ``t`` the mean (or min, max, median) of every
    window covering it, including windows that end up to ``length - 1`` steps *after* ``t``:
    that score exists only once the last of them has been seen. Here step ``t`` is scored only
    from windows that end at or before ``t``. The only such window that still covers ``t`` is
    the one ending at ``t``, so step ``i * stride + length - 1`` gets ``values[i, -1]`` (the
    window's last step) and every other step is NaN.

    Parameters
    ----------
    values : array_like, shape (n_windows, length, ...)
        One real value per step of each window (e.g. reconstruction errors).
    stride : int
        The stride the windows were cut with.
    n_steps : int, optional
        Length of the output. Default ``(n_windows - 1) * stride + length``.

    Returns
    -------
    numpy.ndarray, shape (n_steps, *values.shape[2:])
        float64; NaN on the first ``length - 1`` steps, on steps that end no window (when
        ``stride > 1``) and after the last window.

    Raises
    ------
    TypeError
        If ``stride`` or ``n_steps`` is not an int, or ``values`` is complex.
    ValueError
        If ``values`` has fewer than 2 axes or no windows, or ``n_steps`` is shorter than the
        windows' span.

    See Also
    --------
    seqshape.windows.unwindow : the same with look-ahead (every covering window).
    available_at : the step at which each step's score becomes available.

    Notes
    -----
    One strided read of the last window step: O(n_windows).

    Examples
    --------
    >>> errors = np.array([[0.0, 1.0, 2.0], [10.0, 11.0, 12.0]])
    >>> errors.shape
    (2, 3)
    >>> unwindow_causal(errors, stride=1)
    array([nan, nan,  2., 12.])
    >>> unwindow_causal(errors, stride=2, n_steps=6)
    array([nan, nan,  2., nan, 12., nan])
    """
    vals = as_array(values, "values", layout="(n_windows, length, ...)")
    if vals.ndim < 2 or vals.shape[0] == 0 or vals.shape[1] == 0:
        raise ValueError(
            f"values must have shape (n_windows, length, ...) with at least one window, got "
            f"shape {vals.shape}; for one value per window use forecasts_to_timeline(..., horizon=0)"
        )
    stride = check_int(stride, "stride")
    count, length = vals.shape[:2]
    span = (count - 1) * stride + length
    n_steps = span if n_steps is None else check_int(n_steps, "n_steps")
    if n_steps < span:
        raise ValueError(
            f"n_steps={n_steps} is shorter than the {span} steps the windows span; pass "
            f"n_steps >= {span} (the length of the series the windows were cut from)"
        )
    return forecasts_to_timeline(vals[:, -1], length=length, n_steps=n_steps, horizon=0, stride=stride)


def available_at(n_steps: int, *, length: int, stride: int = 1, lookahead: bool = True) -> np.ndarray:
    """The step at which each step's score exists, for scores un-windowed from windows.

    A forecast error for step ``t`` exists as soon as ``x[t]`` arrives: ``available[t] = t``
    (pass ``lookahead=False``, which also describes :func:`unwindow_causal`). A score from
    :func:`seqshape.windows.unwindow` over windows of ``length`` steps combines every window
    covering ``t``; the last of them ends at step ``i * stride + length - 1`` with
    ``i = min(t // stride, n_windows - 1)``, and the score exists only then.

    Parameters
    ----------
    n_steps : int
        Length of the series the windows were cut from (``n_windows = (n_steps - length) //
        stride + 1``, as in :func:`seqshape.windows.sliding_windows`).
    length : int
        Window length.
    stride : int, optional
        Window stride. Default 1.
    lookahead : bool, optional
        True for un-windowed scores (every covering window), False for causal ones. Default True.

    Returns
    -------
    numpy.ndarray
        float64, shape ``(n_steps,)``; NaN for steps that no window covers. ``available - t``
        is the look-ahead of each step: up to ``length - 1`` for ``unwindow`` with stride 1.

    Raises
    ------
    TypeError
        If an argument is not an int (``lookahead`` not a bool).
    ValueError
        If ``length > n_steps``.

    See Also
    --------
    event_scores : pass ``available=`` to count latency in steps of real time.

    Examples
    --------
    >>> available_at(6, length=3).tolist()
    [2.0, 3.0, 4.0, 5.0, 5.0, 5.0]
    >>> available_at(6, length=3, lookahead=False).tolist()
    [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    """
    n_steps = check_int(n_steps, "n_steps")
    length = check_int(length, "length")
    stride = check_int(stride, "stride")
    lookahead = check_bool(lookahead, "lookahead")
    if length > n_steps:
        raise ValueError(
            f"length={length} is longer than n_steps={n_steps}: no window fits; use "
            f"length <= {n_steps}, or pass the length of the series the windows were cut from"
        )
    t = np.arange(n_steps)
    if not lookahead:
        return t.astype(np.float64)
    count = n_windows(n_steps, length, stride=stride)
    last_end = np.minimum(t // stride, count - 1) * stride + length - 1
    return np.where(t <= last_end, last_end, np.nan).astype(np.float64)


# --- thresholds and flags ----------------------------------------------------------------------


def _finite_normal(errors: Any) -> np.ndarray:
    arr = as_1d(errors, "errors", each="error", kinds="iuf", min_steps=1,
                empty_fix="pass the errors of the normal (training/validation) steps")
    ensure_finite(arr, "errors", why="a threshold from errors with {what} is not a number to flag by "
                  "(NaN marks steps that no window covers)",
                  fix="Keep the finite steps with errors[np.isfinite(errors)].")
    return arr


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
        If ``errors`` is not numeric (or complex).
    ValueError
        If ``errors`` is not 1-D, is empty or holds NaN (steps no window covers: drop them with
        ``errors[~np.isnan(errors)]``), or ``quantile``/``margin`` is out of range.

    See Also
    --------
    calibrate_threshold : a threshold from a target false-alarm rate instead of a margin.
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
    arr = _finite_normal(errors)
    quantile = check_real(quantile, "quantile", bounds=(0.0, 1.0), fix="e.g. quantile=0.99 (1.0 takes the largest error)")
    margin = check_real(margin, "margin", positive=True, fix="e.g. margin=1.5 for head room")
    return float(margin * np.quantile(arr, quantile))


def calibrate_threshold(errors: Any, *, false_alarm_rate: float) -> float:
    """A threshold from a target false-alarm rate, on errors of a normal calibration split.

    Returns the ``k``-th smallest calibration error with ``k = ceil((n + 1) * (1 -
    false_alarm_rate))``, the split-conformal rule: if a new normal step's error is
    exchangeable with the ``n`` calibration errors, it exceeds the threshold with probability
    at most ``false_alarm_rate``. Errors of neighbouring time steps are not exchangeable, so
    treat the rate as a target and measure the rate actually reached on normal test steps.

    The calibration split must be normal data that trained nothing and stopped nothing early:
    keep it apart from the validation part used for early stopping.

    Parameters
    ----------
    errors : array_like
        Per-step errors on the normal calibration split, shape ``(n,)``, no NaN.
    false_alarm_rate : float
        Target fraction of normal steps flagged, in ``(0, 1)``. It must be at least
        ``1 / (n + 1)``: ``n`` calibration steps cannot certify a rarer event.

    Returns
    -------
    float
        The threshold (flag steps with ``errors > threshold``).

    Raises
    ------
    TypeError
        If ``errors`` is not numeric or ``false_alarm_rate`` is not a number.
    ValueError
        If ``errors`` is empty, not 1-D or holds NaN; ``false_alarm_rate`` is outside
        ``(0, 1)`` or below ``1 / (n + 1)``.

    See Also
    --------
    threshold_from : a quantile times a margin.
    threshold_sweep : what every other threshold would have flagged.

    Notes
    -----
    One partial sort: O(n). Reference: Vovk, Gammerman and Shafer (2005), *Algorithmic
    learning in a random world*; split conformal prediction.

    Examples
    --------
    >>> calib = np.arange(1.0, 100.0)  # 99 normal errors: 1, 2, ..., 99
    >>> calib.shape
    (99,)
    >>> calibrate_threshold(calib, false_alarm_rate=0.05)  # k = ceil(100 * 0.95) = 95
    95.0
    >>> calibrate_threshold(calib, false_alarm_rate=0.01)  # k = 99: the largest
    99.0
    """
    arr = _finite_normal(errors)
    rate = _rate(false_alarm_rate, "false_alarm_rate")
    n = arr.size
    k = math.ceil((n + 1) * (1.0 - rate))
    if k > n:
        raise ValueError(
            f"false_alarm_rate={rate!r} is below 1 / (n + 1) = {1 / (n + 1):.4g} for n={n} "
            f"calibration errors; use a longer calibration split or false_alarm_rate >= {1 / (n + 1):.4g}"
        )
    return float(np.partition(arr, k - 1)[k - 1])


def flag(errors: Any, threshold: float) -> np.ndarray:
    """Flag the steps whose error is above the threshold.

    Parameters
    ----------
    errors : array_like
        Per-step errors, shape ``(n_steps,)``; NaN (a step no window covers) is allowed.
    threshold : float
        From :func:`threshold_from` or :func:`calibrate_threshold`.

    Returns
    -------
    numpy.ndarray
        Boolean, shape ``(n_steps,)``: ``errors > threshold``. A NaN error is never flagged
        (``NaN > threshold`` is False), so uncovered steps read as "not flagged", not "normal".

    Raises
    ------
    TypeError
        If ``errors`` is not numeric (or complex).
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
    arr = as_1d(errors, "errors", each="error", kinds="iuf")
    threshold = check_real(threshold, "threshold", allow_inf=True,
                           fix="compute it from errors without NaN (see threshold_from)")
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
    close_gaps : merges runs separated by short gaps.

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
    arr = as_flags(flags)
    padded = np.concatenate(([False], arr, [False])).astype(np.int8)
    change = np.flatnonzero(np.diff(padded))
    return change.reshape(-1, 2).astype(np.int64)


def close_gaps(flags: Any, *, max_gap: int) -> np.ndarray:
    """Merge flagged runs separated by at most ``max_gap`` unflagged steps.

    Unlike ``scipy.ndimage.binary_closing``, which erodes with the structure after dilating and
    so drops flags within ``max_gap`` steps of the array's ends, this never removes a flag:
    the result is the input with the short gaps *between* runs filled.

    Parameters
    ----------
    flags : array_like of bool
        Shape ``(n_steps,)``.
    max_gap : int
        Largest gap (in unflagged steps) to fill; ``0`` returns a copy.

    Returns
    -------
    numpy.ndarray
        Boolean, shape ``(n_steps,)``, a new array; ``result >= flags`` everywhere.

    Raises
    ------
    TypeError
        If ``flags`` is not boolean or ``max_gap`` is not an int.
    ValueError
        If ``flags`` is not 1-D or ``max_gap`` is negative.

    See Also
    --------
    events : the runs this merges.

    Examples
    --------
    >>> f = np.array([1, 0, 1, 0, 0, 0, 1, 1], dtype=bool)
    >>> close_gaps(f, max_gap=1).astype(int).tolist()
    [1, 1, 1, 0, 0, 0, 1, 1]
    >>> close_gaps(f, max_gap=3).astype(int).tolist()
    [1, 1, 1, 1, 1, 1, 1, 1]
    """
    arr = as_flags(flags)
    max_gap = check_int(max_gap, "max_gap", minimum=0, fix="use max_gap=0 to fill no gap")
    out = arr.copy()
    runs = events(arr)
    for stop, start in zip(runs[:-1, 1], runs[1:, 0], strict=True):  # each gap between two runs
        if start - stop <= max_gap:
            out[stop:start] = True
    return out


# --- scoring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PointScores:
    """Point-wise scores of flags against labels (see :func:`point_scores`).

    Attributes
    ----------
    precision : float
        Flagged steps that are labelled / flagged steps; NaN if nothing is flagged.
    recall : float
        Labelled steps that are flagged / labelled steps; NaN if nothing is labelled.
    f1 : float
        Harmonic mean of the two; 0.0 when both are 0, NaN when either is NaN.
    """

    precision: float
    recall: float
    f1: float


def _prf(tp: int, n_flagged: int, n_labelled: int) -> PointScores:
    precision = tp / n_flagged if n_flagged else _NAN
    recall = tp / n_labelled if n_labelled else _NAN
    if math.isnan(precision) or math.isnan(recall):
        f1 = _NAN
    else:
        f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return PointScores(precision=precision, recall=recall, f1=f1)


def point_scores(flags: Any, labels: Any) -> PointScores:
    """Point-wise precision, recall and F1: every step counts once.

    Parameters
    ----------
    flags : array_like of bool
        Shape ``(n_steps,)``.
    labels : array_like of bool or 0/1 int
        Shape ``(n_steps,)``.

    Returns
    -------
    PointScores
        ``precision``, ``recall``, ``f1`` as in ``sklearn.metrics.precision_recall_fscore_support``
        with ``average="binary"``, except that undefined values are NaN rather than 0.

    Raises
    ------
    TypeError, ValueError
        As :func:`event_scores`.

    See Also
    --------
    event_scores : counts events instead of steps.
    point_adjusted_scores : a flattering variant.

    Examples
    --------
    >>> s = point_scores(np.array([0, 1, 1, 0], dtype=bool), np.array([0, 1, 0, 0]))
    >>> s.precision, s.recall, round(s.f1, 3)
    (0.5, 1.0, 0.667)
    """
    f, lab = _flags_and_labels(flags, labels)
    return _prf(int((f & lab).sum()), int(f.sum()), int(lab.sum()))


@dataclass(frozen=True)
class EventScores:
    """Event-wise scores of flags against labels (see :func:`event_scores`).

    Attributes
    ----------
    precision : float
        ``n_detected / (n_detected + n_false)``; NaN if nothing is flagged.
    recall : float
        ``n_detected / n_true``; NaN if there are no labelled events.
    delays : numpy.ndarray
        float64, one per labelled event: its first qualifying flagged step minus its start;
        NaN if missed.
    n_true : int
        Number of labelled events.
    n_flagged : int
        Number of flagged runs (fragments counted separately).
    point_precision : float
        Fraction of flagged steps that are labelled; NaN if nothing is flagged.
    point_recall : float
        Fraction of labelled steps that are flagged; NaN if nothing is labelled.
    n_detected : int
        Labelled events with at least one qualifying flag (true positives; each event counts
        once however many fragments hit it).
    n_false : int
        Flagged runs that touch no labelled event's scoring range (false positives).
    latency : numpy.ndarray
        float64, one per labelled event: the first step at which a qualifying flag is
        *available* (see ``available``) minus the event's start; equals ``delays`` when
        ``available`` is None. NaN if missed.
    """

    precision: float
    recall: float
    delays: np.ndarray
    n_true: int
    n_flagged: int
    point_precision: float
    point_recall: float
    n_detected: int = 0
    n_false: int = 0
    latency: np.ndarray | None = None


def _scoring_ranges(lab: np.ndarray, tolerance: int) -> np.ndarray:
    """``(start, end)`` of each labelled event extended by ``tolerance``, never into the next."""
    true_ev = events(lab)
    ranges = true_ev.copy()
    n = lab.shape[0]
    for k in range(len(true_ev)):
        nxt = true_ev[k + 1, 0] if k + 1 < len(true_ev) else n
        ranges[k, 1] = min(true_ev[k, 1] + tolerance, nxt, n)
    return ranges


def event_scores(flags: Any, labels: Any, *, tolerance: int = 0, available: Any = None) -> EventScores:
    """Event-wise precision, recall, delay and latency (plus point-wise precision and recall).

    The convention of Hundman et al. (2018): each labelled event (a run of labelled steps) is
    one true positive if any flag falls in its scoring range, and one false negative
    otherwise, however many flagged fragments hit it; each flagged run that touches no scoring
    range is one false positive. Precision is ``TP / (TP + FP)``, recall ``TP / n_true``.

    The scoring range of event ``[start, stop)`` is ``[start, min(stop + tolerance,
    next_start))``: a late flag still counts, but the tolerance never reaches into the next
    labelled event (a flag there belongs to that event only).

    Parameters
    ----------
    flags : array_like of bool
        Shape ``(n_steps,)``, e.g. from :func:`flag`.
    labels : array_like of bool or 0/1 int
        Shape ``(n_steps,)``, True (1) on anomalous steps.
    tolerance : int, optional
        Steps after a labelled event in which a flag still counts (an error often peaks just
        after the event it belongs to). Default 0.
    available : array_like, optional
        Shape ``(n_steps,)``: the step at which the flag of each step exists (see
        :func:`available_at`); used for ``latency``. Default None (each flag exists at its own
        step: ``latency == delays``).

    Returns
    -------
    EventScores
        ``precision``, ``recall``, ``delays`` and ``latency`` (shape ``(n_true,)``),
        ``n_true``, ``n_flagged``, ``n_detected``, ``n_false``, ``point_precision`` and
        ``point_recall``.

    Raises
    ------
    TypeError
        If ``flags`` is not boolean, ``labels`` is neither boolean nor integer, or
        ``tolerance`` is not an int.
    ValueError
        If either is not 1-D, their shapes differ, ``labels`` holds values other than 0 and 1,
        ``tolerance`` is negative, or ``available`` has the wrong shape.

    See Also
    --------
    events : the runs these scores count.
    point_scores : every step counted once.

    Notes
    -----
    O(n_steps + n_true * n_flagged); both counts are small for real detectors.

    Examples
    --------
    Two fragments hit the one labelled event: one true positive. The run at step 6 is a false
    alarm.

    >>> labels = np.array([0, 0, 1, 1, 0, 0, 0, 0])
    >>> flags = np.array([0, 0, 1, 0, 1, 0, 1, 0], dtype=bool)
    >>> flags.shape, labels.shape
    ((8,), (8,))
    >>> s = event_scores(flags, labels, tolerance=1)
    >>> s.n_detected, s.n_false, s.precision, s.recall, s.delays.tolist()
    (1, 1, 0.5, 1.0, [0.0])

    The tolerance stops at the next labelled event:

    >>> s = event_scores(np.array([0, 0, 1, 0, 0], dtype=bool), np.array([1, 0, 1, 0, 0]), tolerance=2)
    >>> s.recall, s.delays.tolist()
    (0.5, [nan, 0.0])
    """
    f, lab = _flags_and_labels(flags, labels)
    tolerance = _tolerance(tolerance)
    n_steps = f.shape[0]
    if available is None:
        avail = np.arange(n_steps, dtype=np.float64)
    else:
        avail = as_array(available, "available", kinds="iuf", layout="(n_steps,)").astype(np.float64)
        if avail.shape != f.shape:
            raise ValueError(
                f"available must have one value per step, shape {f.shape}, got {avail.shape}; "
                f"make it with available_at(n_steps, length=..., stride=...)"
            )
    ranges = _scoring_ranges(lab, tolerance)
    pred_ev = events(f)
    delays = np.full(len(ranges), np.nan)
    latency = np.full(len(ranges), np.nan)
    touches = np.zeros(len(pred_ev), dtype=bool)
    for k, (start, end) in enumerate(ranges):
        inside = np.flatnonzero(f[start:end])
        if inside.size:
            delays[k] = float(inside[0])
            latency[k] = float(np.nanmin(avail[start + inside])) - start
        touches |= (pred_ev[:, 0] < end) & (pred_ev[:, 1] > start)
    n_detected = int((~np.isnan(delays)).sum())
    n_false = int((~touches).sum())
    n_hit_steps = int((f & lab).sum())
    return EventScores(
        precision=n_detected / (n_detected + n_false) if len(pred_ev) else _NAN,
        recall=n_detected / len(ranges) if len(ranges) else _NAN,
        delays=delays,
        n_true=len(ranges),
        n_flagged=len(pred_ev),
        point_precision=n_hit_steps / int(f.sum()) if f.any() else _NAN,
        point_recall=n_hit_steps / int(lab.sum()) if lab.any() else _NAN,
        n_detected=n_detected,
        n_false=n_false,
        latency=latency,
    )


def point_adjusted_scores(flags: Any, labels: Any) -> PointScores:
    """Point-adjusted precision, recall and F1 (Xu et al. 2018), a flattering convention.

    Point adjustment marks *every* step of a labelled event as detected if *any* of its steps
    is flagged, then scores point-wise. One lucky flag inside a long event then counts as many
    true positives. Kim et al. (2022) show that random flags reach high point-adjusted F1 on
    common benchmarks; report :func:`random_flag_baseline` beside it.

    Parameters
    ----------
    flags, labels : array_like
        As :func:`point_scores`.

    Returns
    -------
    PointScores

    Raises
    ------
    TypeError, ValueError
        As :func:`point_scores`.

    See Also
    --------
    random_flag_baseline : what random flags score under the same convention.

    Examples
    --------
    One flag inside a four-step event: point recall 0.25, point-adjusted recall 1.0.

    >>> labels = np.array([0, 1, 1, 1, 1, 0])
    >>> flags = np.array([0, 0, 1, 0, 0, 0], dtype=bool)
    >>> point_scores(flags, labels).recall, point_adjusted_scores(flags, labels).recall
    (0.25, 1.0)
    """
    f, lab = _flags_and_labels(flags, labels)
    adjusted = f.copy()
    for start, stop in events(lab):
        if f[start:stop].any():
            adjusted[start:stop] = True
    return _prf(int((adjusted & lab).sum()), int(adjusted.sum()), int(lab.sum()))


@dataclass(frozen=True)
class RandomBaseline:
    """Scores of random flags (see :func:`random_flag_baseline`), one value per draw.

    Attributes
    ----------
    point_f1 : numpy.ndarray
        Point-wise F1 of each draw (NaN where a draw flagged nothing).
    adjusted_f1 : numpy.ndarray
        Point-adjusted F1 of each draw.
    event_recall : numpy.ndarray
        Event-wise recall of each draw (tolerance 0).
    """

    point_f1: np.ndarray
    adjusted_f1: np.ndarray
    event_recall: np.ndarray


def random_flag_baseline(labels: Any, *, rate: float, n_draws: int = 200, seed: int = 0) -> RandomBaseline:
    """Score random flags: each step flagged independently with probability ``rate``.

    Use the flag rate of the detector being judged (``flags.mean()``), so both flag as many
    steps. A convention under which such flags score about as well as the detector measures
    the convention, not the detector.

    Parameters
    ----------
    labels : array_like of bool or 0/1 int
        Shape ``(n_steps,)``.
    rate : float
        Probability of a flag per step, in ``(0, 1)``.
    n_draws : int, optional
        Number of random flag sets. Default 200.
    seed : int, optional
        Seed of ``numpy.random.default_rng``. Default 0.

    Returns
    -------
    RandomBaseline
        Arrays of shape ``(n_draws,)``.

    Raises
    ------
    TypeError, ValueError
        For labels as :func:`event_scores`; for a ``rate`` outside ``(0, 1)``; for a
        non-positive ``n_draws``.

    See Also
    --------
    point_adjusted_scores : the convention this baseline exposes.

    Examples
    --------
    >>> labels = np.zeros(1000, dtype=int); labels[400:500] = 1
    >>> base = random_flag_baseline(labels, rate=0.01, n_draws=50)
    >>> base.adjusted_f1.shape
    (50,)
    >>> bool(np.median(base.adjusted_f1) > 5 * np.nanmedian(base.point_f1))
    True
    """
    lab = as_flags(labels, "labels", zero_one=True)
    rate = _rate(rate, "rate")
    n_draws = check_int(n_draws, "n_draws")
    rng = np.random.default_rng(check_optional_int(seed, "seed", minimum=0))
    point = np.empty(n_draws)
    adjusted = np.empty(n_draws)
    recall = np.empty(n_draws)
    for i in range(n_draws):
        f = rng.random(lab.shape[0]) < rate
        point[i] = point_scores(f, lab).f1
        adjusted[i] = point_adjusted_scores(f, lab).f1
        recall[i] = event_scores(f, lab).recall
    return RandomBaseline(point_f1=point, adjusted_f1=adjusted, event_recall=recall)


def _zone(lab: np.ndarray, tolerance: int) -> np.ndarray:
    """Labelled steps widened by ``tolerance`` on both sides."""
    zone = lab.copy()
    for start, stop in events(lab):
        zone[max(0, start - tolerance) : stop + tolerance] = True
    return zone


def _scores_and_labels(scores: Any, labels: Any) -> tuple[np.ndarray, np.ndarray]:
    s = as_1d(scores, "scores", each="score", kinds="iuf", min_steps=1,
              empty_fix="pass one score per step of the series").astype(np.float64)
    lab = as_flags(labels, "labels", zero_one=True)
    check_same_shape({"scores": s, "labels": lab}, fix="map window outputs onto the steps first")
    if not lab.any():
        raise ValueError(
            "labels marks no anomalous step; top-1 location and separation need one: pass the "
            "labels of a series that holds an anomaly"
        )
    if np.isnan(s).all():
        raise ValueError("scores is NaN everywhere; map window outputs onto the steps first")
    return s, lab


@dataclass(frozen=True)
class Top1:
    """The highest-scoring step and whether it locates a labelled anomaly (see :func:`top1_location`).

    Attributes
    ----------
    location : int
        Index of the largest score (the first one if tied; NaN scores ignored).
    hit : bool
        True if ``location`` lies in a labelled event or within ``tolerance`` steps of one.
    distance : int
        Steps from ``location`` to the nearest labelled step (0 inside an event).
    """

    location: int
    hit: bool
    distance: int


def top1_location(scores: Any, labels: Any, *, tolerance: int = 0) -> Top1:
    """Is the single highest score at (or within ``tolerance`` steps of) the labelled anomaly?

    The UCR anomaly archive and the KDD Cup 2021 task (Wu and Keogh 2021) ask for one location
    per series, the single anomaly, and count it correct when it falls within a margin of the
    labelled region (100 steps in the competition's scoring). The answer needs no threshold.

    Parameters
    ----------
    scores : array_like
        Per-step anomaly scores, shape ``(n_steps,)``; NaN steps are ignored.
    labels : array_like of bool or 0/1 int
        Shape ``(n_steps,)``, with at least one labelled step.
    tolerance : int, optional
        Steps on either side of a labelled event that still count. Default 0.

    Returns
    -------
    Top1
        ``location``, ``hit``, ``distance``.

    Raises
    ------
    TypeError
        If ``scores`` is not numeric or ``labels`` not boolean/0-1.
    ValueError
        If the shapes differ, no step is labelled, or every score is NaN.

    See Also
    --------
    separation : how far the anomaly's peak stands above the normal steps.

    Examples
    --------
    >>> labels = np.array([0, 0, 0, 1, 1, 0, 0, 0])
    >>> scores = np.array([0.1, 0.2, 0.9, 0.5, 0.4, 0.3, 0.2, 0.1])
    >>> top1_location(scores, labels)
    Top1(location=2, hit=False, distance=1)
    >>> top1_location(scores, labels, tolerance=1).hit
    True
    """
    s, lab = _scores_and_labels(scores, labels)
    tolerance = _tolerance(tolerance)
    loc = int(np.nanargmax(s))
    labelled = np.flatnonzero(lab)
    distance = int(np.abs(labelled - loc).min())
    return Top1(location=loc, hit=distance <= tolerance, distance=distance)


@dataclass(frozen=True)
class Separation:
    """How far the anomaly's scores stand above the normal ones (see :func:`separation`).

    Attributes
    ----------
    ratio : float
        Largest score in the anomaly zone / largest score elsewhere; above 1 means the top-1
        location is in the zone.
    rank : int
        1 + the number of steps outside the zone whose score exceeds the zone's peak (1 is best).
    peak_anomaly : float
        Largest score in the zone.
    peak_normal : float
        Largest score outside it.
    """

    ratio: float
    rank: int
    peak_anomaly: float
    peak_normal: float


def separation(scores: Any, labels: Any, *, tolerance: int = 0) -> Separation:
    """A threshold-free separation score: the anomaly's peak against the largest normal score.

    The anomaly zone is every labelled step, widened by ``tolerance`` steps on both sides; all
    other steps with a score are normal. No threshold enters, so this does not depend on how
    the threshold was chosen.

    Parameters
    ----------
    scores : array_like
        Per-step non-negative scores (errors), shape ``(n_steps,)``; NaN steps are ignored.
    labels : array_like of bool or 0/1 int
        Shape ``(n_steps,)``, with at least one labelled step.
    tolerance : int, optional
        Widening of the anomaly zone on each side. Default 0.

    Returns
    -------
    Separation
        ``ratio``, ``rank``, ``peak_anomaly``, ``peak_normal``.

    Raises
    ------
    TypeError, ValueError
        As :func:`top1_location`; also ValueError if the zone or the normal part has no score.

    See Also
    --------
    top1_location : the same question answered yes or no.

    Examples
    --------
    >>> labels = np.array([0, 0, 0, 1, 1, 0, 0, 0])
    >>> scores = np.array([0.1, 0.2, 0.3, 0.9, 0.4, 0.3, 0.45, 0.1])
    >>> separation(scores, labels)
    Separation(ratio=2.0, rank=1, peak_anomaly=0.9, peak_normal=0.45)
    """
    s, lab = _scores_and_labels(scores, labels)
    tolerance = _tolerance(tolerance)
    zone = _zone(lab, tolerance)
    has = ~np.isnan(s)
    if not (zone & has).any() or not (~zone & has).any():
        raise ValueError(
            "separation needs scores both inside and outside the anomaly zone; "
            "lower tolerance or score more steps"
        )
    peak_a = float(np.nanmax(s[zone]))
    peak_n = float(np.nanmax(s[~zone]))
    rank = 1 + int((s[~zone & has] > peak_a).sum())
    ratio = peak_a / peak_n if peak_n > 0 else math.inf
    return Separation(ratio=ratio, rank=rank, peak_anomaly=peak_a, peak_normal=peak_n)


def threshold_sweep(scores: Any, labels: Any, thresholds: Any, *, tolerance: int = 0) -> dict[str, np.ndarray]:
    """Event-wise results of every threshold in ``thresholds``: a sensitivity curve.

    Parameters
    ----------
    scores : array_like
        Per-step scores, shape ``(n_steps,)``; NaN steps are never flagged.
    labels : array_like of bool or 0/1 int
        Shape ``(n_steps,)``.
    thresholds : array_like
        1-D, the thresholds to try.
    tolerance : int, optional
        As :func:`event_scores`. Default 0.

    Returns
    -------
    dict of numpy.ndarray
        ``"threshold"``, ``"n_flagged"`` (flagged runs), ``"n_false"`` (false-positive runs),
        ``"recall"`` (event-wise) and ``"precision"`` (event-wise), each of shape
        ``(len(thresholds),)``.

    See Also
    --------
    event_scores : the scores computed at each threshold.

    Examples
    --------
    >>> labels = np.array([0, 0, 1, 1, 0, 0])
    >>> scores = np.array([0.1, 0.5, 0.9, 0.2, 0.6, 0.1])
    >>> sweep = threshold_sweep(scores, labels, [0.3, 0.7])
    >>> sweep["n_flagged"].tolist(), sweep["recall"].tolist()
    ([2, 1], [1.0, 1.0])
    """
    s = as_1d(scores, "scores", each="score", kinds="iuf")
    thr = as_array(thresholds, "thresholds", kinds="iuf", ndim=(1,), layout="(n_thresholds,)",
                   shape_fix="pass the thresholds to try as a flat list").astype(np.float64)
    rows = [event_scores(flag(s, float(t)), labels, tolerance=tolerance) for t in thr]
    return {
        "threshold": thr,
        "n_flagged": np.array([r.n_flagged for r in rows], dtype=np.int64),
        "n_false": np.array([r.n_false for r in rows], dtype=np.int64),
        "recall": np.array([r.recall for r in rows]),
        "precision": np.array([r.precision for r in rows]),
    }


# --- acting on the flags -------------------------------------------------------------------------


def _op_mask(arr: np.ndarray, f: np.ndarray, *, value: Any, **_: Any) -> np.ndarray:
    return np.full((int(f.sum()), *arr.shape[1:]), value)


def _op_interpolate(arr: np.ndarray, f: np.ndarray, **_: Any) -> np.ndarray:
    if not np.issubdtype(arr.dtype, np.floating):
        raise TypeError(
            f"interpolate needs a floating x, got dtype {arr.dtype}; convert with x.astype(float)"
        )
    if f.all():
        raise ValueError("interpolate needs at least one unflagged row to interpolate from; all rows are flagged")
    t = np.arange(arr.shape[0])
    flat = arr.reshape(arr.shape[0], -1)
    cols = [np.interp(t[f], t[~f], flat[~f, j]) for j in range(flat.shape[1])]
    return np.stack(cols, axis=1).reshape((int(f.sum()), *arr.shape[1:]))


def _op_clip(arr: np.ndarray, f: np.ndarray, *, lower: Any, upper: Any, **_: Any) -> np.ndarray:
    if lower is None and upper is None:
        raise ValueError("clip needs lower=..., upper=... or both")
    return np.clip(arr[f], lower, upper)


# The named operations of apply_where: each maps (x, flags, options) to the new flagged rows.
_OPERATIONS: dict[str, Callable[..., np.ndarray]] = {
    "mask": _op_mask,
    "interpolate": _op_interpolate,
    "clip": _op_clip,
}
_OPS = tuple(_OPERATIONS)


def _first_misfit(new: np.ndarray, dtype: np.dtype) -> Any:
    """The first value of ``new`` that a cast to ``dtype`` would change, or None if none would."""
    if new.dtype.kind == "f" and np.dtype(dtype).kind == "f":
        return None  # float to float rounds, it never truncates
    with np.errstate(invalid="ignore", over="ignore"):
        changed = new.astype(dtype).astype(new.dtype) != new
    bad = new[changed].ravel()
    return bad[0].item() if bad.size else None


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
        Real-valued, shape ``(n_steps, ...)``, time on axis 0. Rows are ``x[t]``.
    flags : array_like of bool
        Shape ``(n_steps,)``: which rows to transform.
    op : {"mask", "interpolate", "clip"} or callable
        ``"mask"`` sets flagged rows to ``value``; ``"interpolate"`` replaces them by linear
        interpolation in time between the nearest unflagged rows, per feature (before the first
        or after the last unflagged row it repeats that row, as :func:`numpy.interp` does);
        ``"clip"`` clips them into ``[lower, upper]``; a callable receives a copy of the flagged
        rows, shape ``(n_flagged, ...)``, and must return an array of that shape.
    value : float, optional
        Fill value for ``"mask"``. Default NaN.
    lower, upper : float, optional
        Bounds for ``"clip"`` (at least one). Default None.

    Returns
    -------
    numpy.ndarray
        A new array of shape ``x.shape`` and dtype ``x.dtype``; rows where ``flags`` is False
        equal those of ``x``.

    Raises
    ------
    TypeError
        If ``flags`` is not boolean, ``x`` is complex, ``op`` is neither a known name nor
        callable, or the new values cannot be stored in ``x``'s dtype exactly: an integer or
        boolean ``x`` never silently truncates a float (``value=2.7``, ``"clip"`` with a
        fractional bound, a callable returning fractions, NaN, ``"interpolate"``). The dtype is
        never promoted behind your back: convert first with ``x.astype(float)``.
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
    The named operations live in a table (name -> function of the flagged rows). One copy of
    ``x`` (the result) plus, for ``"interpolate"``, one pass of ``np.interp`` per feature
    column: O(x.size).

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

    An integer ``x`` keeps its dtype, so a fractional value is refused rather than truncated:

    >>> apply_where(np.array([1, 5, 3]), np.array([False, True, False]), "mask", value=2)
    array([1, 2, 3])
    >>> apply_where(np.array([1, 5, 3]), np.array([False, True, False]), "mask", value=2.7)
    Traceback (most recent call last):
    ...
    TypeError: op 'mask' gives values that x's dtype int64 cannot hold exactly (e.g. 2.7); apply_where never truncates...
    """
    arr = as_series(x, "x")
    f = as_flags(flags)
    if f.shape[0] != arr.shape[0]:
        raise ValueError(
            f"flags must have one value per row of x: x has shape {arr.shape} "
            f"({arr.shape[0]} rows) but flags has shape {f.shape}; map window outputs onto "
            f"the time axis first (seqshape.windows.unwindow or forecasts_to_timeline)"
        )
    if callable(op):
        name = getattr(op, "__name__", "callable")
        rows = arr[f]
        new = np.asarray(op(rows.copy()))
        if new.shape != rows.shape:
            raise ValueError(
                f"op must return an array shaped like the flagged rows {rows.shape}, got {new.shape}"
            )
    elif isinstance(op, str):
        name = check_choice(op, "op", _OPERATIONS, fix="or pass a callable that maps the flagged rows to new rows")
        # Checked, not converted: a large int value stays exact for an integer x.
        if not isinstance(value, (bool, np.bool_)):  # True/False fill a boolean x
            check_real(value, "value", allow_inf=True, allow_nan=True)
        for bound, bound_name in ((lower, "lower"), (upper, "upper")):
            if bound is not None:
                check_real(bound, bound_name, allow_inf=True)
        if not f.any():
            return arr.copy()
        if op == "mask" and not np.issubdtype(arr.dtype, np.floating) and np.isnan(value):
            raise TypeError(
                f"cannot mask an integer array (dtype {arr.dtype}) with NaN; pass value=... "
                f"or convert first with x.astype(float)"
            )
        new = np.asarray(_OPERATIONS[op](arr, f, value=value, lower=lower, upper=upper))
    else:
        raise TypeError(
            f"op must be one of {_OPS} or a callable, got {describe(op)}; pass the operation's "
            f"name as a string, or a function of the flagged rows"
        )
    misfit = _first_misfit(new, arr.dtype) if new.size else None
    if misfit is not None:
        raise TypeError(
            f"op {name!r} gives values that x's dtype {arr.dtype} cannot hold exactly "
            f"(e.g. {misfit!r}); apply_where never truncates or promotes silently: convert "
            f"first with x.astype(float)"
        )
    out = arr.copy()
    out[f] = new
    return out

"""Tests for seqshape.anomaly: placement on the timeline, thresholds, flags, events, scores, apply_where.

Every scoring rule is checked against a brute-force reference written step by step from its
documented definition (the ``brute_*`` functions below), on random flags and labels.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from seqshape.anomaly import (
    EventScores,
    apply_where,
    available_at,
    calibrate_threshold,
    close_gaps,
    event_scores,
    events,
    flag,
    forecasts_to_timeline,
    point_adjusted_scores,
    point_scores,
    random_flag_baseline,
    separation,
    threshold_from,
    threshold_sweep,
    top1_location,
    unwindow_causal,
)
from seqshape.windows import make_supervised, sliding_windows, unwindow

bool_arrays = hnp.arrays(np.bool_, st.integers(0, 60))


# --- forecasts_to_timeline ----------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    n_steps=st.integers(2, 60),
    length=st.integers(1, 10),
    horizon=st.integers(1, 5),
    stride=st.integers(1, 4),
)
def test_forecasts_land_on_their_target_step(n_steps: int, length: int, horizon: int, stride: int) -> None:
    # Forecasting the series itself perfectly must give back the series on every predicted step.
    series = np.arange(n_steps, dtype=float) * 3.0 + 1.0
    n_windows = max(0, (n_steps - length - horizon) // stride + 1)
    starts = np.arange(n_windows) * stride
    perfect = series[starts + length - 1 + horizon]
    placed = forecasts_to_timeline(perfect, length=length, n_steps=n_steps, horizon=horizon, stride=stride)
    assert placed.shape == (n_steps,)
    covered = ~np.isnan(placed)
    assert covered.sum() == n_windows
    np.testing.assert_array_equal(placed[covered], series[covered])
    if n_windows:
        # Edges: the first predicted step is length + horizon - 1; nothing before it is filled.
        first = length + horizon - 1
        assert placed[first] == series[first]
        assert np.isnan(placed[:first]).all()


def test_forecasts_to_timeline_matches_make_supervised() -> None:
    x = np.arange(50, dtype=float)
    for length, horizon, stride in [(5, 1, 1), (7, 3, 2), (4, 2, 5)]:
        _, targets = make_supervised(x, length=length, horizon=horizon, stride=stride)
        placed = forecasts_to_timeline(targets, length=length, n_steps=len(x), horizon=horizon, stride=stride)
        covered = ~np.isnan(placed)
        np.testing.assert_array_equal(placed[covered], x[covered])
        assert covered.sum() == len(targets)


def test_forecasts_to_timeline_keeps_feature_axes() -> None:
    placed = forecasts_to_timeline(np.ones((3, 2)), length=2, n_steps=5)
    assert placed.shape == (5, 2)
    assert np.isnan(placed[:2]).all() and (placed[2:] == 1).all()


def test_forecasts_to_timeline_too_many_windows() -> None:
    with pytest.raises(ValueError, match=r"last target is step 8, beyond n_steps=8"):
        forecasts_to_timeline(np.zeros(5), length=4, n_steps=8)


def test_forecasts_to_timeline_scalar() -> None:
    with pytest.raises(ValueError, match="values must have a window axis"):
        forecasts_to_timeline(np.float64(1.0), length=4, n_steps=8)


def test_forecasts_to_timeline_bad_int() -> None:
    with pytest.raises(TypeError, match=r"length must be an int >= 1, got float 4.0; pass a whole number"):
        forecasts_to_timeline(np.zeros(2), length=4.0, n_steps=8)
    with pytest.raises(ValueError, match=r"stride must be an int >= 1, got 0; use stride=1 or more"):
        forecasts_to_timeline(np.zeros(2), length=4, n_steps=8, stride=0)


# --- threshold_from and flag ----------------------------------------------------------------


@given(hnp.arrays(np.float64, st.integers(1, 50), elements=st.floats(0, 100)))
def test_threshold_quantile_one_is_max_and_flags_nothing_on_its_data(errors: np.ndarray) -> None:
    thr = threshold_from(errors, quantile=1.0)
    assert thr == errors.max()
    assert not flag(errors, thr).any()


def test_threshold_margin_scales() -> None:
    assert threshold_from(np.array([1.0, 2.0, 3.0]), quantile=0.5, margin=3.0) == pytest.approx(6.0)


def test_threshold_rejects_nan() -> None:
    with pytest.raises(ValueError, match=r"errors contains NaN at 1 time steps \(first: \[1\]\).*errors\[np.isfinite\(errors\)\]"):
        threshold_from(np.array([1.0, np.nan, 2.0]))


def test_threshold_rejects_empty() -> None:
    with pytest.raises(ValueError, match=r"errors must have at least 1 time step.*pass the errors of the normal"):
        threshold_from(np.array([]))


def test_threshold_rejects_2d() -> None:
    with pytest.raises(ValueError, match=r"errors must be 1-D .* got shape \(4, 2\).*mean\(axis=1\)"):
        threshold_from(np.zeros((4, 2)))


def test_threshold_rejects_non_numeric() -> None:
    with pytest.raises(TypeError, match=r"errors must hold numbers \(int or float, not bool\), got dtype <U1; convert the text"):
        threshold_from(np.array(["a", "b"]))


def test_threshold_rejects_bad_quantile_and_margin() -> None:
    with pytest.raises(ValueError, match=r"quantile must be a number in \[0, 1\], got 99; e.g. quantile=0.99"):
        threshold_from(np.ones(3), quantile=99)
    with pytest.raises(ValueError, match=r"margin must be a positive, finite number, got 0; e.g. margin=1.5"):
        threshold_from(np.ones(3), margin=0)


def test_flag_nan_is_not_flagged() -> None:
    np.testing.assert_array_equal(flag(np.array([np.nan, 2.0, 0.5]), 1.0), [False, True, False])


def test_flag_rejects_nan_threshold() -> None:
    with pytest.raises(ValueError, match=r"threshold must be a number, not NaN, got nan; compute it from errors without NaN"):
        flag(np.ones(3), float("nan"))


# --- events and event_scores -------------------------------------------------------------------


@given(bool_arrays)
def test_events_round_trip(flags: np.ndarray) -> None:
    runs = events(flags)
    rebuilt = np.zeros_like(flags)
    for start, stop in runs:
        assert stop > start
        rebuilt[start:stop] = True
    np.testing.assert_array_equal(rebuilt, flags)
    # Runs are maximal: consecutive runs are separated by at least one unflagged step.
    assert (runs[1:, 0] > runs[:-1, 1]).all()


def test_events_rejects_int_flags() -> None:
    with pytest.raises(TypeError, match=r"flags must hold booleans \(dtype bool\), got dtype int64; .*astype\(bool\)"):
        events(np.array([0, 1, 1], dtype=np.int64))


def test_events_rejects_2d_flags() -> None:
    with pytest.raises(ValueError, match=r"got shape \(3, 2\); .*flags.any\(axis=1\)"):
        events(np.zeros((3, 2), dtype=bool))


@given(bool_arrays)
def test_perfect_flags_score_one(labels: np.ndarray) -> None:
    s = event_scores(labels.copy(), labels)
    if labels.any():
        assert s.precision == 1.0 and s.recall == 1.0 and s.point_precision == 1.0
        assert (s.delays == 0).all()
        assert s.n_true == s.n_flagged == len(events(labels))


def test_scores_no_flags() -> None:
    s = event_scores(np.zeros(6, dtype=bool), np.array([0, 1, 1, 0, 0, 0]))
    assert isinstance(s, EventScores)
    assert np.isnan(s.precision) and s.recall == 0.0 and np.isnan(s.delays).all()
    assert s.n_flagged == 0 and s.n_true == 1 and s.point_recall == 0.0


def test_scores_tolerance_counts_late_flags() -> None:
    labels = np.array([0, 1, 1, 0, 0, 0, 0, 0])
    flags = np.array([0, 0, 0, 0, 1, 0, 0, 0], dtype=bool)
    strict = event_scores(flags, labels)
    assert strict.recall == 0.0 and strict.precision == 0.0
    loose = event_scores(flags, labels, tolerance=2)
    assert loose.recall == 1.0 and loose.precision == 1.0 and loose.delays.tolist() == [3.0]


def test_scores_two_events_one_missed() -> None:
    labels = np.array([1, 1, 0, 0, 0, 1, 1, 0, 0, 0])
    flags = np.array([0, 1, 0, 0, 0, 0, 0, 0, 1, 0], dtype=bool)
    s = event_scores(flags, labels)
    assert s.recall == 0.5 and s.precision == 0.5
    assert s.delays[0] == 1.0 and np.isnan(s.delays[1])


def test_scores_shape_mismatch() -> None:
    with pytest.raises(ValueError, match=r"same shape .* got flags \(5,\) and labels \(6,\)"):
        event_scores(np.zeros(5, dtype=bool), np.zeros(6, dtype=int))


def test_scores_labels_not_binary() -> None:
    with pytest.raises(ValueError, match=r"labels must hold only 0 and 1, got also \[2\]"):
        event_scores(np.zeros(3, dtype=bool), np.array([0, 2, 1]))


def test_scores_labels_float() -> None:
    with pytest.raises(TypeError, match=r"labels must hold booleans or 0/1 integers, got dtype float64; compare the values instead"):
        event_scores(np.zeros(3, dtype=bool), np.array([0.0, 1.0, 0.0]))


def test_scores_negative_tolerance() -> None:
    with pytest.raises(ValueError, match=r"tolerance must be an int >= 0, got -1; use tolerance=0 for none"):
        event_scores(np.zeros(3, dtype=bool), np.zeros(3, dtype=int), tolerance=-1)


# --- apply_where -----------------------------------------------------------------------------------


@st.composite
def series_and_flags(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(1, 40))
    n_feat = draw(st.integers(1, 3))
    x = draw(hnp.arrays(np.float64, (n, n_feat), elements=st.floats(-1e3, 1e3)))
    flags = draw(hnp.arrays(np.bool_, n))
    return x, flags


@settings(max_examples=80, deadline=None)
@given(series_and_flags(), st.sampled_from(["mask", "interpolate", "clip", "callable"]))
def test_apply_where_touches_only_flagged_rows(data: tuple[np.ndarray, np.ndarray], op: str) -> None:
    x, flags = data
    before = x.copy()
    if op == "interpolate" and flags.all():
        return  # documented error, tested below
    kwargs = {"lower": -1.0, "upper": 1.0} if op == "clip" else {}
    fn = (lambda rows: rows + 1.0) if op == "callable" else op
    out = apply_where(x, flags, fn, **kwargs)
    assert out.shape == x.shape and out.dtype == x.dtype
    assert not np.shares_memory(out, x)
    np.testing.assert_array_equal(x, before)  # input untouched
    np.testing.assert_array_equal(out[~flags], x[~flags])  # nothing outside the flags changed
    if op == "mask":
        assert np.isnan(out[flags]).all()
    if op == "clip":
        assert (np.abs(out[flags]) <= 1.0).all()


@given(st.integers(3, 30), st.data())
def test_interpolate_is_exact_on_a_line(n: int, data: st.DataObject) -> None:
    t = np.arange(n, dtype=float)
    x = np.stack([2.0 * t + 1.0, -t], axis=1)
    inner = data.draw(hnp.arrays(np.bool_, n - 2))
    flags = np.concatenate(([False], inner, [False]))  # endpoints known: pure interpolation
    np.testing.assert_allclose(apply_where(x, flags, "interpolate"), x)


def test_interpolate_edges_repeat_nearest_row() -> None:
    x = np.array([5.0, 6.0, 7.0, 8.0])
    out = apply_where(x, np.array([True, False, False, True]), "interpolate")
    np.testing.assert_array_equal(out, [6.0, 6.0, 7.0, 7.0])


def test_apply_where_no_flags_is_a_copy() -> None:
    x = np.arange(4.0)
    out = apply_where(x, np.zeros(4, dtype=bool), "mask")
    np.testing.assert_array_equal(out, x)
    assert out is not x


def test_apply_where_accepts_read_only_views() -> None:
    x = np.lib.stride_tricks.sliding_window_view(np.arange(6.0), 2)  # read-only (5, 2)
    out = apply_where(x, np.array([True, False, False, False, False]), "mask", value=0.0)
    assert out[0].tolist() == [0.0, 0.0] and out.flags.writeable


def test_apply_where_length_mismatch() -> None:
    with pytest.raises(ValueError, match=r"x has shape \(10, 2\) \(10 rows\) but flags has shape \(8,\)"):
        apply_where(np.zeros((10, 2)), np.zeros(8, dtype=bool), "mask")


def test_apply_where_2d_flags() -> None:
    with pytest.raises(ValueError, match=r"flags must be 1-D .* got shape \(10, 2\); .*any\(axis=1\)"):
        apply_where(np.zeros((10, 2)), np.zeros((10, 2), dtype=bool), "mask")


def test_apply_where_int_flags() -> None:
    with pytest.raises(TypeError, match=r"flags must hold booleans \(dtype bool\), got dtype int64"):
        apply_where(np.zeros(3), np.array([0, 1, 0]), "mask")


def test_apply_where_scalar_x() -> None:
    with pytest.raises(ValueError, match="x must have a time axis"):
        apply_where(np.float64(1.0), np.array([True]), "mask")


def test_apply_where_unknown_op() -> None:
    with pytest.raises(ValueError, match=r"op must be one of 'mask', 'interpolate', 'clip', got 'smooth'; or pass a callable"):
        apply_where(np.zeros(3), np.ones(3, dtype=bool), "smooth")
    with pytest.raises(TypeError, match=r"op must be one of .* or a callable, got int 3"):
        apply_where(np.zeros(3), np.ones(3, dtype=bool), 3)


def test_apply_where_mask_int_with_nan() -> None:
    with pytest.raises(TypeError, match=r"cannot mask an integer array \(dtype int64\) with NaN"):
        apply_where(np.arange(3), np.ones(3, dtype=bool), "mask")
    assert apply_where(np.arange(3), np.array([False, True, False]), "mask", value=-1).tolist() == [0, -1, 2]


def test_apply_where_interpolate_int() -> None:
    with pytest.raises(TypeError, match=r"interpolate needs a floating x, got dtype int64"):
        apply_where(np.arange(3), np.array([False, True, False]), "interpolate")


def test_apply_where_interpolate_all_flagged() -> None:
    with pytest.raises(ValueError, match="all rows are flagged"):
        apply_where(np.zeros(3), np.ones(3, dtype=bool), "interpolate")


def test_apply_where_clip_needs_bound() -> None:
    with pytest.raises(ValueError, match="clip needs lower"):
        apply_where(np.zeros(3), np.ones(3, dtype=bool), "clip")


def test_apply_where_callable_wrong_shape() -> None:
    with pytest.raises(ValueError, match=r"shaped like the flagged rows \(2,\), got \(1,\)"):
        apply_where(np.zeros(3), np.array([True, True, False]), lambda rows: rows[:1])


def test_apply_where_callable_cannot_touch_input() -> None:
    x = np.arange(4.0)

    def in_place(rows: np.ndarray) -> np.ndarray:
        rows *= 10
        return rows

    out = apply_where(x, np.array([False, True, True, False]), in_place)
    assert x.tolist() == [0.0, 1.0, 2.0, 3.0]
    assert out.tolist() == [0.0, 10.0, 20.0, 3.0]


def test_unwindow_of_errors_is_exact_at_the_edges() -> None:
    # Per-step errors of windows mapped back with unwindow: the first and last steps are covered
    # by one window only and must get exactly that window's value; later steps are NaN.
    x = np.arange(20, dtype=float)
    w = sliding_windows(x, 6, stride=3)
    per_step = unwindow(np.asarray(w), stride=3, n_steps=22)
    assert per_step[0] == x[0] and per_step[17] == x[17]
    assert np.isnan(per_step[18:]).all()
    flags = flag(np.nan_to_num(per_step, nan=0.0), 15.5)
    assert events(flags).tolist() == [[16, 18]]


# --- brute-force references, written step by step from the documented definitions ---------------


def brute_runs(a: np.ndarray) -> list[tuple[int, int]]:
    runs, t = [], 0
    while t < len(a):
        if a[t]:
            s = t
            while t < len(a) and a[t]:
                t += 1
            runs.append((s, t))
        else:
            t += 1
    return runs


def brute_prf(tp: int, n_flag: int, n_lab: int) -> tuple[float, float, float]:
    p = tp / n_flag if n_flag else float("nan")
    r = tp / n_lab if n_lab else float("nan")
    if np.isnan(p) or np.isnan(r):
        return p, r, float("nan")
    return p, r, (0.0 if p + r == 0 else 2 * p * r / (p + r))


def brute_point(flags: np.ndarray, labels: np.ndarray) -> tuple[float, float, float]:
    tp = sum(1 for t in range(len(flags)) if flags[t] and labels[t])
    return brute_prf(tp, int(sum(flags)), int(sum(labels)))


def brute_event(flags: np.ndarray, labels: np.ndarray, tol: int) -> tuple[int, int, list[float]]:
    """Hundman et al. (2018) with a tolerance that stops at the next labelled event."""
    true = brute_runs(labels)
    scoring = []
    for k, (s, e) in enumerate(true):
        nxt = true[k + 1][0] if k + 1 < len(true) else len(labels)
        scoring.append(set(range(s, min(e + tol, nxt, len(labels)))))
    delays = []
    for (s, _), steps in zip(true, scoring, strict=True):
        hits = sorted(t for t in steps if flags[t])
        delays.append(float(hits[0] - s) if hits else float("nan"))
    detected = sum(1 for d in delays if not np.isnan(d))
    false = sum(1 for (s, e) in brute_runs(flags) if not any(set(range(s, e)) & steps for steps in scoring))
    return detected, false, delays


def brute_adjusted(flags: np.ndarray, labels: np.ndarray) -> tuple[float, float, float]:
    adj = list(flags)
    for s, e in brute_runs(labels):
        if any(flags[s:e]):
            for t in range(s, e):
                adj[t] = True
    tp = sum(1 for t in range(len(adj)) if adj[t] and labels[t])
    return brute_prf(tp, int(sum(adj)), int(sum(labels)))


flags_and_labels = st.integers(1, 40).flatmap(
    lambda n: st.tuples(hnp.arrays(np.bool_, n), hnp.arrays(np.bool_, n))
)


def same(a: float, b: float) -> bool:
    return (np.isnan(a) and np.isnan(b)) or a == pytest.approx(b)


@settings(max_examples=300, deadline=None)
@given(flags_and_labels)
def test_point_scores_match_brute_force(data: tuple[np.ndarray, np.ndarray]) -> None:
    flags, labels = data
    s = point_scores(flags, labels)
    for got, want in zip((s.precision, s.recall, s.f1), brute_point(flags, labels), strict=True):
        assert same(got, want)


@settings(max_examples=400, deadline=None)
@given(flags_and_labels, st.integers(0, 6))
def test_event_scores_match_brute_force(data: tuple[np.ndarray, np.ndarray], tol: int) -> None:
    flags, labels = data
    s = event_scores(flags, labels, tolerance=tol)
    detected, false, delays = brute_event(flags, labels, tol)
    assert (s.n_detected, s.n_false) == (detected, false)
    np.testing.assert_array_equal(s.delays, delays)
    np.testing.assert_array_equal(s.latency, delays)  # no availability given: latency == delay
    assert same(s.precision, detected / (detected + false) if flags.any() else float("nan"))
    assert same(s.recall, detected / len(delays) if delays else float("nan"))
    assert s.n_flagged == len(brute_runs(flags)) and s.n_true == len(brute_runs(labels))
    p, r, _ = brute_point(flags, labels)
    assert same(s.point_precision, p) and same(s.point_recall, r)


@settings(max_examples=300, deadline=None)
@given(flags_and_labels)
def test_point_adjusted_matches_brute_force_and_never_scores_lower(data: tuple[np.ndarray, np.ndarray]) -> None:
    flags, labels = data
    adj, plain = point_adjusted_scores(flags, labels), point_scores(flags, labels)
    for got, want in zip((adj.precision, adj.recall, adj.f1), brute_adjusted(flags, labels), strict=True):
        assert same(got, want)
    if not np.isnan(plain.f1):
        assert adj.precision >= plain.precision and adj.recall >= plain.recall and adj.f1 >= plain.f1


@settings(max_examples=200, deadline=None)
@given(flags_and_labels, st.integers(0, 5))
def test_fragments_of_one_detection_count_once(data: tuple[np.ndarray, np.ndarray], tol: int) -> None:
    # Joining the fragments that hit one labelled event (filling the labelled steps between
    # its first and last flag) changes neither the true nor the false positives.
    flags, labels = data
    merged = flags.copy()
    for start, stop in events(labels):
        hit = np.flatnonzero(flags[start:stop])
        if hit.size:
            merged[start + hit[0] : start + hit[-1] + 1] = True
    a, b = event_scores(flags, labels, tolerance=tol), event_scores(merged, labels, tolerance=tol)
    assert (a.n_detected, a.n_false) == (b.n_detected, b.n_false)


scores_and_labels = st.integers(2, 40).flatmap(
    lambda n: st.tuples(
        hnp.arrays(
            np.float64,
            n,
            # scores on a 1e-6 grid: a ratio of two of them never overflows a float64
            elements=st.floats(0, 10, allow_nan=False).map(lambda v: round(v, 6)),
        ),
        hnp.arrays(np.bool_, n),
    )
).filter(lambda sl: sl[1].any())


@settings(max_examples=300, deadline=None)
@given(scores_and_labels, st.integers(0, 5))
def test_top1_location_matches_brute_force(data: tuple[np.ndarray, np.ndarray], tol: int) -> None:
    scores, labels = data
    best = max(range(len(scores)), key=lambda t: (scores[t], -t))  # first maximum
    dist = min(abs(best - t) for t in range(len(labels)) if labels[t])
    top = top1_location(scores, labels, tolerance=tol)
    assert (top.location, top.hit, top.distance) == (best, dist <= tol, dist)


@settings(max_examples=300, deadline=None)
@given(scores_and_labels, st.integers(0, 5))
def test_separation_matches_brute_force(data: tuple[np.ndarray, np.ndarray], tol: int) -> None:
    scores, labels = data
    zone = [any(labels[u] and abs(u - t) <= tol for u in range(len(labels))) for t in range(len(labels))]
    inside = [scores[t] for t in range(len(scores)) if zone[t]]
    outside = [scores[t] for t in range(len(scores)) if not zone[t]]
    assume(bool(outside))
    s = separation(scores, labels, tolerance=tol)
    assert s.peak_anomaly == max(inside) and s.peak_normal == max(outside)
    assert s.rank == 1 + sum(1 for v in outside if v > max(inside))
    if max(outside) > 0:
        assert s.ratio == pytest.approx(max(inside) / max(outside))
    # ratio above 1 and a top-1 hit are the same statement
    if max(inside) != max(outside):
        assert (s.ratio > 1) == top1_location(scores, labels, tolerance=tol).hit


@settings(max_examples=300, deadline=None)
@given(hnp.arrays(np.bool_, st.integers(0, 40)), st.integers(0, 6))
def test_close_gaps_matches_brute_force(flags: np.ndarray, max_gap: int) -> None:
    want = flags.copy()
    for t in range(len(flags)):
        if flags[t]:
            continue
        left = next((u for u in range(t, -1, -1) if flags[u]), None)
        right = next((u for u in range(t, len(flags)) if flags[u]), None)
        if left is not None and right is not None and right - left - 1 <= max_gap:
            want[t] = True
    got = close_gaps(flags, max_gap=max_gap)
    np.testing.assert_array_equal(got, want)
    assert (got >= flags).all()  # never removes a flag, at the edges either


def test_close_gaps_keeps_edge_flags_that_binary_closing_drops() -> None:
    from scipy import ndimage

    flags = np.array([1, 1, 0, 1, 0, 0, 0, 0, 0, 1], dtype=bool)
    closed = ndimage.binary_closing(flags, structure=np.ones(4, dtype=bool))
    assert not closed[0] and not closed[-1]  # scipy's closing erodes the ends away
    np.testing.assert_array_equal(close_gaps(flags, max_gap=3), [1, 1, 1, 1, 0, 0, 0, 0, 0, 1])


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 6), st.integers(1, 4), st.integers(1, 6), st.data())
def test_unwindow_causal_and_available_at_match_brute_force(
    length: int, stride: int, n_windows: int, data: st.DataObject
) -> None:
    n_steps = (n_windows - 1) * stride + length + data.draw(st.integers(0, 3))
    values = data.draw(hnp.arrays(np.float64, (n_windows, length), elements=st.floats(-5, 5)))
    got = unwindow_causal(values, stride=stride, n_steps=n_steps)
    n_all = (n_steps - length) // stride + 1  # windows sliding_windows would cut from n_steps
    for t in range(n_steps):
        # windows that end at or before t and still cover t: only one ending exactly at t
        ending = [i for i in range(n_windows) if i * stride + length - 1 == t]
        if ending:
            assert got[t] == values[ending[0], -1]
        else:
            assert np.isnan(got[t])
    avail = available_at(n_steps, length=length, stride=stride)
    for t in range(n_steps):
        ends = [i * stride + length - 1 for i in range(n_all) if i * stride <= t <= i * stride + length - 1]
        assert (np.isnan(avail[t]) and not ends) or avail[t] == max(ends)
    np.testing.assert_array_equal(available_at(n_steps, length=length, stride=stride, lookahead=False),
                                  np.arange(n_steps))


@settings(max_examples=200, deadline=None)
@given(hnp.arrays(np.float64, st.integers(1, 80), elements=st.floats(0, 100)), st.floats(0.001, 0.5))
def test_calibrate_threshold_is_the_conformal_order_statistic(errors: np.ndarray, rate: float) -> None:
    n = len(errors)
    k = int(np.ceil((n + 1) * (1 - rate)))
    if k > n:
        with pytest.raises(ValueError, match=r"false_alarm_rate=.* is below 1 / \(n \+ 1\)"):
            calibrate_threshold(errors, false_alarm_rate=rate)
        return
    thr = calibrate_threshold(errors, false_alarm_rate=rate)
    assert thr == sorted(errors)[k - 1]
    assert (errors > thr).sum() <= rate * (n + 1)  # at most the target share of its own data


def test_calibrate_threshold_errors() -> None:
    with pytest.raises(ValueError, match=r"false_alarm_rate must be a number in \(0, 1\), got 0; e.g. false_alarm_rate=0.01"):
        calibrate_threshold(np.ones(10), false_alarm_rate=0)
    with pytest.raises(TypeError, match=r"false_alarm_rate must be a number in \(0, 1\), got str"):
        calibrate_threshold(np.ones(10), false_alarm_rate="1%")
    with pytest.raises(ValueError, match=r"use a longer calibration split or false_alarm_rate >= 0.09091"):
        calibrate_threshold(np.ones(10), false_alarm_rate=0.01)


def test_event_latency_counts_availability() -> None:
    labels = np.zeros(30, dtype=int)
    labels[10:14] = 1
    flags = np.zeros(30, dtype=bool)
    flags[12] = True
    s = event_scores(flags, labels, available=available_at(30, length=5))
    assert s.delays.tolist() == [2.0] and s.latency.tolist() == [6.0]  # flag on 12 exists at 16
    with pytest.raises(ValueError, match=r"available must have one value per step, shape \(30,\), got \(29,\)"):
        event_scores(flags, labels, available=np.zeros(29))


def test_random_flag_baseline_shows_point_adjustment_inflating() -> None:
    labels = np.zeros(2000, dtype=int)
    labels[500:700] = 1  # one long event, as in many benchmarks
    base = random_flag_baseline(labels, rate=0.02, n_draws=100, seed=1)
    assert base.adjusted_f1.shape == base.point_f1.shape == (100,)
    assert np.median(base.adjusted_f1) > 0.5 > 0.1 > np.nanmedian(base.point_f1)
    again = random_flag_baseline(labels, rate=0.02, n_draws=100, seed=1)
    np.testing.assert_array_equal(again.adjusted_f1, base.adjusted_f1)  # seeded


def test_threshold_sweep_agrees_with_event_scores() -> None:
    rng = np.random.default_rng(3)
    scores = rng.random(200)
    labels = np.zeros(200, dtype=int)
    labels[50:60] = 1
    thresholds = np.linspace(0.5, 0.99, 7)
    sweep = threshold_sweep(scores, labels, thresholds, tolerance=2)
    for i, t in enumerate(thresholds):
        s = event_scores(flag(scores, t), labels, tolerance=2)
        assert sweep["n_flagged"][i] == s.n_flagged and sweep["n_false"][i] == s.n_false
        assert same(sweep["recall"][i], s.recall)
    with pytest.raises(ValueError, match=r"thresholds must be 1-D"):
        threshold_sweep(scores, labels, np.ones((2, 2)))


def test_top1_and_separation_errors() -> None:
    with pytest.raises(ValueError, match="labels marks no anomalous step"):
        top1_location(np.ones(5), np.zeros(5, dtype=int))
    with pytest.raises(ValueError, match=r"scores and labels must have the same shape"):
        separation(np.ones(5), np.ones(4, dtype=int))
    with pytest.raises(ValueError, match="scores is NaN everywhere"):
        top1_location(np.full(3, np.nan), np.array([0, 1, 0]))
    with pytest.raises(ValueError, match="separation needs scores both inside and outside"):
        separation(np.ones(3), np.array([0, 1, 0]), tolerance=1)


# --- regressions for defects found in review ------------------------------------------------------


def test_tolerance_never_reaches_into_the_next_event() -> None:
    # A flag inside event 2 must not "detect" event 1 two steps earlier.
    s = event_scores(np.array([0, 0, 1, 0, 0], dtype=bool), np.array([1, 0, 1, 0, 0]), tolerance=2)
    assert s.recall == 0.5 and s.n_detected == 1
    assert np.isnan(s.delays[0]) and s.delays[1] == 0.0


def test_fragments_of_one_event_are_one_true_positive() -> None:
    labels = np.array([0, 1, 1, 1, 1, 1, 0, 0, 0, 0])
    flags = np.array([0, 1, 0, 1, 0, 1, 0, 0, 1, 0], dtype=bool)
    s = event_scores(flags, labels)
    assert (s.n_flagged, s.n_detected, s.n_false) == (4, 1, 1)
    assert s.precision == 0.5  # counting every fragment would give 3 / 4


def test_tolerance_type_error() -> None:
    with pytest.raises(TypeError, match=r"tolerance must be an int >= 0, got float 2.0; pass a whole number"):
        event_scores(np.zeros(3, dtype=bool), np.zeros(3, dtype=int), tolerance=2.0)


@pytest.mark.parametrize(
    ("op", "kwargs"),
    [("mask", {"value": 2.7}), ("clip", {"upper": 2.5}), (lambda rows: rows / 2, {})],
    ids=["mask", "clip", "callable"],
)
def test_apply_where_never_truncates_into_integers(op: object, kwargs: dict) -> None:
    x = np.array([1, 5, 3])
    flags = np.array([False, True, False])
    with pytest.raises(TypeError, match=r"x's dtype int64 cannot hold exactly \(e.g. 2.5|2.7\).*x.astype\(float\)"):
        apply_where(x, flags, op, **kwargs)
    assert x.tolist() == [1, 5, 3]
    # values an integer can hold are fine, and the dtype is kept
    out = apply_where(x, flags, "clip", upper=2)
    assert out.tolist() == [1, 2, 3] and out.dtype == x.dtype
    assert apply_where(x, flags, "mask", value=4.0).tolist() == [1, 4, 3]
    np.testing.assert_allclose(apply_where(x.astype(float), flags, "mask", value=2.7), [1, 2.7, 3])


def test_apply_where_bool_x_refuses_numbers() -> None:
    with pytest.raises(TypeError, match="x's dtype bool cannot hold exactly"):
        apply_where(np.array([True, False]), np.array([True, False]), "mask", value=5)


def test_forecasts_to_timeline_accepts_horizon_zero() -> None:
    x = np.arange(20, dtype=float)
    for stride in (1, 3):
        _, targets = make_supervised(x, length=4, horizon=0, stride=stride)
        placed = forecasts_to_timeline(targets, length=4, n_steps=20, horizon=0, stride=stride)
        covered = ~np.isnan(placed)
        np.testing.assert_array_equal(placed[covered], x[covered])
        assert covered.sum() == len(targets) and np.isnan(placed[:3]).all()
    with pytest.raises(ValueError, match=r"horizon must be an int >= 0, got -1; use horizon=0"):
        forecasts_to_timeline(np.zeros(2), length=4, n_steps=8, horizon=-1)


@pytest.mark.parametrize(
    "call",
    [
        lambda z: forecasts_to_timeline(z, length=2, n_steps=5),
        lambda z: threshold_from(z),
        lambda z: flag(z, 0.5),
        lambda z: apply_where(z, np.array([True, False, False]), "mask", value=0.0),
        lambda z: unwindow_causal(z[:, None], stride=1),
        lambda z: top1_location(z, np.array([0, 1, 0])),
    ],
    ids=["forecasts_to_timeline", "threshold_from", "flag", "apply_where", "unwindow_causal", "top1_location"],
)
def test_complex_input_is_a_type_error(call: object) -> None:
    z = np.array([1 + 1j, 2 + 0j, 3 - 1j])
    with pytest.raises(TypeError, match=r"must hold (real )?numbers .*got dtype complex128; complex values would lose their imaginary part.*np.abs"):
        call(z)

"""Tests for seqshape.anomaly: placement on the timeline, thresholds, flags, events, scores, apply_where."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from seqshape.anomaly import (
    EventScores,
    apply_where,
    event_scores,
    events,
    flag,
    forecasts_to_timeline,
    threshold_from,
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
    with pytest.raises(TypeError, match="length must be an int, got float"):
        forecasts_to_timeline(np.zeros(2), length=4.0, n_steps=8)
    with pytest.raises(ValueError, match="stride must be >= 1, got 0"):
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
    with pytest.raises(ValueError, match=r"errors holds 1 NaN of 3 values.*errors\[~np.isnan\(errors\)\]"):
        threshold_from(np.array([1.0, np.nan, 2.0]))


def test_threshold_rejects_empty() -> None:
    with pytest.raises(ValueError, match="errors is empty"):
        threshold_from(np.array([]))


def test_threshold_rejects_2d() -> None:
    with pytest.raises(ValueError, match=r"errors must be 1-D .* got shape \(4, 2\).*mean\(axis=1\)"):
        threshold_from(np.zeros((4, 2)))


def test_threshold_rejects_non_numeric() -> None:
    with pytest.raises(TypeError, match="errors must hold numbers, got dtype <U1"):
        threshold_from(np.array(["a", "b"]))


def test_threshold_rejects_bad_quantile_and_margin() -> None:
    with pytest.raises(ValueError, match=r"quantile must be in \[0, 1\], got 99"):
        threshold_from(np.ones(3), quantile=99)
    with pytest.raises(ValueError, match="margin must be > 0, got 0"):
        threshold_from(np.ones(3), margin=0)


def test_flag_nan_is_not_flagged() -> None:
    np.testing.assert_array_equal(flag(np.array([np.nan, 2.0, 0.5]), 1.0), [False, True, False])


def test_flag_rejects_nan_threshold() -> None:
    with pytest.raises(ValueError, match="threshold is NaN"):
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
    with pytest.raises(TypeError, match=r"flags must be a boolean array, got dtype int64; .*astype\(bool\)"):
        events(np.array([0, 1, 1], dtype=np.int64))


def test_events_rejects_2d_flags() -> None:
    with pytest.raises(ValueError, match=r"got shape \(3, 2\); for one flag per row use flags.any\(axis=1\)"):
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
    with pytest.raises(TypeError, match="labels must be boolean or 0/1 integers, got dtype float64"):
        event_scores(np.zeros(3, dtype=bool), np.array([0.0, 1.0, 0.0]))


def test_scores_negative_tolerance() -> None:
    with pytest.raises(ValueError, match="tolerance must be a non-negative int, got -1"):
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
    with pytest.raises(TypeError, match=r"flags must be a boolean array, got dtype int64"):
        apply_where(np.zeros(3), np.array([0, 1, 0]), "mask")


def test_apply_where_scalar_x() -> None:
    with pytest.raises(ValueError, match="x must have a time axis"):
        apply_where(np.float64(1.0), np.array([True]), "mask")


def test_apply_where_unknown_op() -> None:
    with pytest.raises(TypeError, match=r"op must be one of \('mask', 'interpolate', 'clip'\) or a callable, got 'smooth'"):
        apply_where(np.zeros(3), np.ones(3, dtype=bool), "smooth")


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

"""Tests for seqshape.windows: window content, counts, views, alignment, round trips, errors."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seqshape.windows import make_supervised, sliding_windows, unwindow


# --------------------------------------------------------------------------------------------
# strategies
# --------------------------------------------------------------------------------------------
@st.composite
def series_and_window(draw: st.DrawFn) -> tuple[np.ndarray, int, int]:
    """A series with 0-2 trailing axes, a window length that fits, and a stride."""
    n = draw(st.integers(1, 40))
    trailing = draw(st.lists(st.integers(1, 3), min_size=0, max_size=2))
    x = np.arange(n * math.prod(trailing), dtype=np.float64).reshape(n, *trailing)
    length = draw(st.integers(1, n))
    stride = draw(st.integers(1, 12))
    return x, length, stride


# --------------------------------------------------------------------------------------------
# sliding_windows
# --------------------------------------------------------------------------------------------
@given(series_and_window())
def test_window_content_matches_definition(case: tuple[np.ndarray, int, int]) -> None:
    x, length, stride = case
    w = sliding_windows(x, length, stride=stride)
    n_windows = (len(x) - length) // stride + 1
    assert w.shape == (n_windows, length, *x.shape[1:])
    for i in range(n_windows):
        np.testing.assert_array_equal(w[i], x[i * stride : i * stride + length])


@given(series_and_window())
def test_drop_is_a_read_only_view(case: tuple[np.ndarray, int, int]) -> None:
    x, length, stride = case
    w = sliding_windows(x, length, stride=stride, remainder="drop")
    assert np.shares_memory(w, x)
    assert not w.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        w[0, 0] = 1.0


@given(series_and_window())
def test_pad_keeps_every_reachable_step(case: tuple[np.ndarray, int, int]) -> None:
    x, length, stride = case
    n = len(x)
    w = sliding_windows(x, length, stride=stride, remainder="pad", pad_value=-1.0)
    n_full = (n - length) // stride + 1
    covered_end = (n_full - 1) * stride + length
    padded = covered_end < n and n_full * stride < n
    assert len(w) == n_full + int(padded)
    if padded:
        start = n_full * stride
        np.testing.assert_array_equal(w[-1, : n - start], x[start:])
        assert np.all(w[-1, n - start :] == -1.0)
        assert n - start >= 1  # never a window of padding only
        # every step reached by a window start is now inside some window
        starts = np.arange(len(w)) * stride
        covered = np.zeros(n, dtype=bool)
        for s in starts:
            covered[s : s + length] = True
        assert covered[starts[-1] :].all()
        if stride <= length:
            assert covered.all()
    else:
        assert np.shares_memory(w, x)


@given(series_and_window())
def test_error_mode_raises_exactly_when_pad_would_pad(case: tuple[np.ndarray, int, int]) -> None:
    x, length, stride = case
    padded = len(sliding_windows(x, length, stride=stride, remainder="pad"))
    dropped = len(sliding_windows(x, length, stride=stride))
    if padded > dropped:
        with pytest.raises(ValueError, match="would be left out"):
            sliding_windows(x, length, stride=stride, remainder="error")
    else:
        w = sliding_windows(x, length, stride=stride, remainder="error")
        assert len(w) == dropped


def test_counts_for_every_remainder_mode() -> None:
    x = np.arange(50)
    assert sliding_windows(x, 10, stride=5).shape == (9, 10)  # steps 0..49 exactly
    assert sliding_windows(x, 10, stride=5, remainder="error").shape == (9, 10)
    assert sliding_windows(x, 10, stride=5, remainder="pad").shape == (9, 10)
    assert sliding_windows(x, 8, stride=8).shape == (6, 8)  # 48 steps used, 2 dropped
    assert sliding_windows(x, 8, stride=8, remainder="pad").shape == (7, 8)
    # stride > length: gaps by choice; the tail step 48-49 lies in a gap, nothing to pad
    assert sliding_windows(x, 2, stride=12).shape == (5, 2)
    assert sliding_windows(x, 2, stride=12, remainder="pad").shape == (5, 2)


def test_overlap_means_stride_length_minus_overlap() -> None:
    x = np.arange(50 * 4 * 4, dtype=np.float32).reshape(50, 4, 4)
    np.testing.assert_array_equal(
        sliding_windows(x, 10, overlap=5), sliding_windows(x, 10, stride=5)
    )
    assert sliding_windows(x, 10, overlap=0).shape == (5, 10, 4, 4)
    assert sliding_windows(x, 10, overlap=9).shape == (41, 10, 4, 4)


def test_trailing_axes_kept_for_images() -> None:
    frames = np.zeros((30, 8, 8, 3), dtype=np.float32)
    assert sliding_windows(frames, 10, stride=10).shape == (3, 10, 8, 8, 3)


def test_pad_value_dtype_and_list_input() -> None:
    w = sliding_windows([1, 2, 3, 4, 5], 2, stride=2, remainder="pad", pad_value=0)
    assert w.dtype == np.asarray([1]).dtype
    assert w.tolist() == [[1, 2], [3, 4], [5, 0]]
    nan_pad = sliding_windows(np.arange(5.0), 2, stride=2, remainder="pad", pad_value=np.nan)
    assert np.isnan(nan_pad[-1, 1])


def test_pad_is_a_writeable_copy() -> None:
    x = np.arange(7.0)
    w = sliding_windows(x, 3, stride=3, remainder="pad")
    assert not np.shares_memory(w, x)
    assert w.flags.writeable


def test_import_does_not_load_keras() -> None:
    code = (
        "import sys, seqshape.windows as w; w.sliding_windows([1, 2, 3], 2); "
        "print('keras' in sys.modules, 'tensorflow' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# one test per documented error ----------------------------------------------------------------
def test_error_scalar_input() -> None:
    with pytest.raises(ValueError, match=r"x must have a time axis .*shape \(\)"):
        sliding_windows(np.float32(3.0), 1)


def test_error_length_not_int() -> None:
    with pytest.raises(TypeError, match=r"length must be an int, got float 2\.5"):
        sliding_windows(np.arange(5), 2.5)  # type: ignore[arg-type]


def test_error_length_not_positive() -> None:
    with pytest.raises(ValueError, match=r"length must be a positive int \(>= 1\), got 0"):
        sliding_windows(np.arange(5), 0)


def test_error_stride_not_positive() -> None:
    with pytest.raises(ValueError, match=r"stride must be a positive int \(>= 1\), got -1"):
        sliding_windows(np.arange(5), 2, stride=-1)


def test_error_stride_not_int() -> None:
    with pytest.raises(TypeError, match="stride must be an int"):
        sliding_windows(np.arange(5), 2, stride=1.0)  # type: ignore[arg-type]


def test_error_stride_and_overlap_both_given() -> None:
    with pytest.raises(ValueError, match="give stride or overlap, not both"):
        sliding_windows(np.arange(10), 4, stride=1, overlap=2)


def test_error_overlap_not_int() -> None:
    with pytest.raises(TypeError, match="overlap must be an int"):
        sliding_windows(np.arange(10), 4, overlap="2")  # type: ignore[arg-type]


def test_error_overlap_too_large() -> None:
    with pytest.raises(ValueError, match=r"overlap must be in \[0, length\) = \[0, 4\).*got overlap=4"):
        sliding_windows(np.arange(10), 4, overlap=4)


def test_error_overlap_negative() -> None:
    with pytest.raises(ValueError, match="got overlap=-1"):
        sliding_windows(np.arange(10), 4, overlap=-1)


def test_error_length_longer_than_series() -> None:
    with pytest.raises(ValueError, match=r"length=11 is longer than the series: x has 10 steps .*shape \(10, 3\).*use length <= 10"):
        sliding_windows(np.zeros((10, 3)), 11)


def test_error_unknown_remainder() -> None:
    with pytest.raises(ValueError, match="remainder must be 'drop', 'pad' or 'error', got 'keep'"):
        sliding_windows(np.arange(10), 4, remainder="keep")  # type: ignore[arg-type]


def test_error_remainder_error_names_the_steps() -> None:
    with pytest.raises(ValueError, match=r"steps 48..49 \(2 steps\) would be left out.*trim x to 48 steps"):
        sliding_windows(np.arange(50), 8, stride=8, remainder="error")


def test_error_pad_value_not_representable() -> None:
    with pytest.raises(ValueError, match=r"pad_value=nan cannot be stored.*int"):
        sliding_windows(np.arange(5), 2, stride=2, remainder="pad", pad_value=np.nan)
    with pytest.raises(ValueError, match=r"pad_value=0.5 cannot be stored exactly"):
        sliding_windows(np.arange(5), 2, stride=2, remainder="pad", pad_value=0.5)


# --------------------------------------------------------------------------------------------
# make_supervised
# --------------------------------------------------------------------------------------------
@given(series_and_window(), st.integers(0, 5))
def test_make_supervised_alignment(case: tuple[np.ndarray, int, int], horizon: int) -> None:
    x, length, stride = case
    n = len(x)
    y = np.arange(n) * 10
    if length + horizon > n:
        with pytest.raises(ValueError, match="no window has a target"):
            make_supervised(x, y, length=length, horizon=horizon, stride=stride)
        return
    X, Y = make_supervised(x, y, length=length, horizon=horizon, stride=stride)
    n_windows = (n - length - horizon) // stride + 1
    assert X.shape == (n_windows, length, *x.shape[1:])
    assert Y.shape == (n_windows,)
    for i in range(n_windows):
        s = i * stride
        np.testing.assert_array_equal(X[i], x[s : s + length])
        assert Y[i] == y[s + length - 1 + horizon]
    # no window was left out that still has a target
    assert n_windows * stride + length - 1 + horizon >= n
    assert np.shares_memory(X, x) and np.shares_memory(Y, y)
    assert not X.flags.writeable and not Y.flags.writeable


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # TensorFlow's import-time warnings
@pytest.mark.parametrize(("length", "horizon", "stride"), [(3, 1, 1), (4, 2, 3), (5, 0, 2)])
def test_make_supervised_matches_keras_with_shifted_targets(length: int, horizon: int, stride: int) -> None:
    keras = pytest.importorskip("keras")
    x = np.arange(40, dtype=np.float32).reshape(20, 2)
    y = np.arange(20) * 10
    X, Y = make_supervised(x, y, length=length, horizon=horizon, stride=stride)
    ds = keras.utils.timeseries_dataset_from_array(
        x,
        targets=y[length - 1 + horizon :],
        sequence_length=length,
        sequence_stride=stride,
        batch_size=1000,
        shuffle=False,
    )
    kx, ky = next(iter(ds))
    np.testing.assert_array_equal(np.asarray(kx), X)
    np.testing.assert_array_equal(np.asarray(ky), Y)


def test_make_supervised_defaults_to_forecasting_x() -> None:
    X, Y = make_supervised(np.arange(6.0), length=2)
    assert X.tolist() == [[0, 1], [1, 2], [2, 3], [3, 4]]
    assert Y.tolist() == [2, 3, 4, 5]


def test_make_supervised_error_length_mismatch() -> None:
    with pytest.raises(ValueError, match=r"same number of steps.*x shape \(10,\) and y shape \(9,\)"):
        make_supervised(np.arange(10), np.arange(9), length=3)


def test_make_supervised_error_negative_horizon() -> None:
    with pytest.raises(ValueError, match=r"horizon must be >= 0.*got -1"):
        make_supervised(np.arange(10), length=3, horizon=-1)


def test_make_supervised_error_horizon_not_int() -> None:
    with pytest.raises(TypeError, match="horizon must be an int"):
        make_supervised(np.arange(10), length=3, horizon=1.5)  # type: ignore[arg-type]


def test_make_supervised_error_no_target() -> None:
    with pytest.raises(ValueError, match=r"no window has a target: length=9 \+ horizon=2 > 10 steps.*length <= 8"):
        make_supervised(np.arange(10), length=9, horizon=2)


def test_make_supervised_error_scalar_y() -> None:
    with pytest.raises(ValueError, match="y must have a time axis"):
        make_supervised(np.arange(10), 3.0, length=3)


def test_make_supervised_error_bad_stride_and_length() -> None:
    with pytest.raises(ValueError, match="stride must be a positive int"):
        make_supervised(np.arange(10), length=3, stride=0)
    with pytest.raises(TypeError, match="length must be an int"):
        make_supervised(np.arange(10), length=None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# unwindow
# --------------------------------------------------------------------------------------------
@given(series_and_window(), st.sampled_from(["mean", "max", "median"]))
def test_unwindow_round_trip(case: tuple[np.ndarray, int, int], reduce: str) -> None:
    x, length, stride = case
    w = sliding_windows(x, length, stride=stride)
    back = unwindow(w, stride=stride, reduce=reduce)  # type: ignore[arg-type]
    span = (len(w) - 1) * stride + length
    assert back.shape == (span, *x.shape[1:])
    covered = np.zeros(span, dtype=bool)
    for i in range(len(w)):
        covered[i * stride : i * stride + length] = True
    np.testing.assert_array_equal(back[covered], x[:span][covered])
    assert np.isnan(back[~covered]).all()
    if stride <= length:
        assert covered.all()


@given(series_and_window())
def test_unwindow_inverts_pad_with_n_steps(case: tuple[np.ndarray, int, int]) -> None:
    x, length, stride = case
    if stride > length:
        return  # gaps are NaN by design; covered by the round-trip test
    w = sliding_windows(x, length, stride=stride, remainder="pad", pad_value=-99.0)
    np.testing.assert_array_equal(unwindow(w, stride=stride, n_steps=len(x)), x)


@settings(max_examples=50)
@given(
    st.integers(1, 6),
    st.integers(1, 6),
    st.integers(1, 4),
    st.sampled_from(["mean", "max", "median"]),
)
def test_unwindow_reduce_matches_brute_force(n_windows: int, length: int, stride: int, reduce: str) -> None:
    rng = np.random.default_rng(n_windows * 100 + length * 10 + stride)
    vals = rng.normal(size=(n_windows, length))
    n_steps = (n_windows - 1) * stride + length + 2
    got = unwindow(vals, stride=stride, n_steps=n_steps, reduce=reduce)  # type: ignore[arg-type]
    fn = {"mean": np.mean, "max": np.max, "median": np.median}[reduce]
    for t in range(n_steps):
        here = [vals[i, t - i * stride] for i in range(n_windows) if 0 <= t - i * stride < length]
        if here:
            assert got[t] == pytest.approx(fn(here))
        else:
            assert np.isnan(got[t])


def test_unwindow_trailing_axes_and_dtype() -> None:
    vals = np.ones((3, 4, 2, 2), dtype=np.float32)
    out = unwindow(vals, stride=2)
    assert out.shape == (8, 2, 2) and out.dtype == np.float32
    assert unwindow(np.ones((2, 2), dtype=np.int64), stride=1).dtype == np.float64


@pytest.mark.parametrize("reduce", ["mean", "max", "median"])
def test_unwindow_nan_in_values_propagates(reduce: str) -> None:
    vals = np.array([[1.0, np.nan], [2.0, 3.0]])
    out = unwindow(vals, stride=1, reduce=reduce)  # type: ignore[arg-type]
    assert out[0] == 1.0 and np.isnan(out[1]) and out[2] == 3.0


def test_unwindow_error_too_few_axes() -> None:
    with pytest.raises(ValueError, match=r"values must have shape \(n_windows, length, ...\), got shape \(5,\)"):
        unwindow(np.arange(5.0), stride=1)


def test_unwindow_error_empty() -> None:
    with pytest.raises(ValueError, match=r"no window steps, got shape \(0, 3\)"):
        unwindow(np.zeros((0, 3)), stride=1)


def test_unwindow_error_bad_stride() -> None:
    with pytest.raises(ValueError, match="stride must be a positive int"):
        unwindow(np.zeros((2, 3)), stride=0)


def test_unwindow_error_n_steps_cuts_last_window() -> None:
    with pytest.raises(ValueError, match=r"n_steps=4 would leave the last window .*starts at step 4.*n_steps > 4"):
        unwindow(np.zeros((3, 3)), stride=2, n_steps=4)


def test_unwindow_error_n_steps_not_int() -> None:
    with pytest.raises(TypeError, match="n_steps must be an int"):
        unwindow(np.zeros((3, 3)), stride=2, n_steps=7.0)  # type: ignore[arg-type]


def test_unwindow_error_unknown_reduce() -> None:
    with pytest.raises(ValueError, match="reduce must be 'mean', 'max' or 'median', got 'sum'"):
        unwindow(np.zeros((3, 3)), stride=2, reduce="sum")  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# WindowDataset (needs Keras)
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def window_dataset() -> type:
    pytest.importorskip("keras")
    from seqshape.windows import WindowDataset

    return WindowDataset


@settings(max_examples=30, deadline=None)
@given(series_and_window(), st.integers(0, 3), st.integers(1, 7), st.booleans())
def test_window_dataset_matches_make_supervised(
    window_dataset: type, case: tuple[np.ndarray, int, int], horizon: int, batch_size: int, shuffle: bool
) -> None:
    x, length, stride = case
    y = np.arange(len(x)) * 10
    if length + horizon > len(x):
        return
    ds = window_dataset(x, y, length=length, stride=stride, horizon=horizon, batch_size=batch_size, shuffle=shuffle, seed=1)
    X, Y = make_supervised(x, y, length=length, horizon=horizon, stride=stride)
    assert ds.n_windows == len(X)
    assert len(ds) == math.ceil(len(X) / batch_size)
    xs, ys = zip(*(ds[b] for b in range(len(ds))), strict=True)
    xb, yb = np.concatenate(xs), np.concatenate(ys)
    order = np.argsort(yb, kind="stable") if shuffle else np.arange(len(yb))
    np.testing.assert_array_equal(xb[order], X)
    np.testing.assert_array_equal(yb[order], Y)


def test_window_dataset_inputs_only(window_dataset: type) -> None:
    x = np.arange(30.0).reshape(15, 2)
    ds = window_dataset(x, length=5, stride=5, batch_size=2)
    assert ds.n_windows == 3 and len(ds) == 2
    first = ds[0]
    assert isinstance(first, np.ndarray) and first.shape == (2, 5, 2)
    np.testing.assert_array_equal(np.concatenate([ds[0], ds[1]]), sliding_windows(x, 5, stride=5))


def test_window_dataset_shuffles_each_epoch_reproducibly(window_dataset: type) -> None:
    x = np.arange(100.0)

    def orders(seed: int) -> list[list[float]]:
        ds = window_dataset(x, x, length=3, batch_size=200, shuffle=True, seed=seed)
        out = []
        for _ in range(3):
            out.append(ds[0][1].tolist())
            ds.on_epoch_end()
        return out

    a, b = orders(7), orders(7)
    assert a == b
    assert a[0] != a[1] != a[2]
    assert sorted(a[0]) == sorted(a[1]) == list(np.arange(3.0, 100.0))


def test_window_dataset_does_not_copy_the_series(window_dataset: type) -> None:
    x = np.zeros((1000, 16, 16), dtype=np.float32)
    ds = window_dataset(x, length=10, stride=5)
    assert np.shares_memory(ds._windows, x)
    assert not np.shares_memory(ds[0], x)  # each batch is a fresh gathered copy
    assert ds[0].shape == (32, 10, 16, 16)


def test_window_dataset_passes_pydataset_kwargs(window_dataset: type) -> None:
    ds = window_dataset(np.arange(20.0), length=3, workers=2, use_multiprocessing=False, max_queue_size=4)
    assert ds.workers == 2 and ds.max_queue_size == 4 and ds.use_multiprocessing is False


@pytest.mark.slow
def test_window_dataset_fits_a_model(window_dataset: type) -> None:
    import keras

    keras.utils.set_random_seed(0)
    t = np.arange(400, dtype=np.float32)
    x = np.stack([np.sin(t / 5), np.cos(t / 5)], axis=1)
    train = window_dataset(x, x[:, 0], length=8, batch_size=32, shuffle=True, seed=0)
    model = keras.Sequential([keras.Input(shape=(8, 2)), keras.layers.LSTM(8), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
    history = model.fit(train, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_window_dataset_error_unknown_kwarg(window_dataset: type) -> None:
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['workerz'\]"):
        window_dataset(np.arange(20.0), length=3, workerz=2)


def test_window_dataset_error_batch_size(window_dataset: type) -> None:
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        window_dataset(np.arange(20.0), length=3, batch_size=0)


def test_window_dataset_error_targets_length(window_dataset: type) -> None:
    with pytest.raises(ValueError, match=r"targets must have as many steps as x.*\(20,\).*\(19,\)"):
        window_dataset(np.arange(20.0), np.arange(19.0), length=3)


def test_window_dataset_error_no_target(window_dataset: type) -> None:
    with pytest.raises(ValueError, match="no window has a target"):
        window_dataset(np.arange(5.0), np.arange(5.0), length=5)


def test_window_dataset_error_too_short(window_dataset: type) -> None:
    with pytest.raises(ValueError, match="length=6 is longer than the series"):
        window_dataset(np.arange(5.0), length=6)


def test_window_dataset_error_negative_horizon(window_dataset: type) -> None:
    with pytest.raises(ValueError, match="horizon must be >= 0"):
        window_dataset(np.arange(5.0), np.arange(5.0), length=2, horizon=-1)


def test_window_dataset_error_horizon_type(window_dataset: type) -> None:
    with pytest.raises(TypeError, match="horizon must be an int"):
        window_dataset(np.arange(5.0), np.arange(5.0), length=2, horizon=None)


def test_window_dataset_error_index_out_of_range(window_dataset: type) -> None:
    ds = window_dataset(np.arange(10.0), length=2, batch_size=4)
    with pytest.raises(IndexError, match=r"batch index 3 out of range \[0, 3\)"):
        _ = ds[3]
    with pytest.raises(TypeError, match="batch index must be an int"):
        _ = ds[1.0]

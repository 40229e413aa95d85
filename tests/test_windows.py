"""Tests for seqshape.windows: window content, counts, views, alignment, round trips, errors."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import assume, given, settings
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
    kx, ky = keras_pairs(keras, x, y, length=length, horizon=horizon, stride=stride, rate=1)
    np.testing.assert_array_equal(kx, X)
    np.testing.assert_array_equal(ky, Y)


def keras_pairs(
    keras: object, x: np.ndarray, y: np.ndarray | None, *, length: int, horizon: int, stride: int, rate: int
) -> tuple[np.ndarray, ...]:
    """All of timeseries_dataset_from_array's pairs, targets shifted as make_supervised does."""
    ds = keras.utils.timeseries_dataset_from_array(  # type: ignore[attr-defined]
        x,
        targets=None if y is None else y[(length - 1) * rate + horizon :],
        sequence_length=length,
        sampling_rate=rate,
        sequence_stride=stride,
        batch_size=10_000,
        shuffle=False,
    )
    first = next(iter(ds))
    return tuple(np.asarray(t) for t in first) if y is not None else (np.asarray(first),)


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
@given(series_and_window(), st.sampled_from(["mean", "min", "max", "median"]))
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
    assume(stride <= length)  # gaps are NaN by design; covered by the round-trip test
    w = sliding_windows(x, length, stride=stride, remainder="pad", pad_value=-99.0)
    np.testing.assert_array_equal(unwindow(w, stride=stride, n_steps=len(x)), x)


@settings(max_examples=50)
@given(
    st.integers(1, 6),
    st.integers(1, 6),
    st.integers(1, 4),
    st.sampled_from(["mean", "min", "max", "median"]),
)
def test_unwindow_reduce_matches_brute_force(n_windows: int, length: int, stride: int, reduce: str) -> None:
    rng = np.random.default_rng(n_windows * 100 + length * 10 + stride)
    vals = rng.normal(size=(n_windows, length))
    n_steps = (n_windows - 1) * stride + length + 2
    got = unwindow(vals, stride=stride, n_steps=n_steps, reduce=reduce)  # type: ignore[arg-type]
    fn = {"mean": np.mean, "min": np.min, "max": np.max, "median": np.median}[reduce]
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


@pytest.mark.parametrize("reduce", ["mean", "min", "max", "median"])
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
    with pytest.raises(ValueError, match="reduce must be 'mean', 'min', 'max' or 'median', got 'sum'"):
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
    assume(length + horizon <= len(x))
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
    assert np.shares_memory(ds._views[0], x)
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


# --------------------------------------------------------------------------------------------
# sampling_rate, target_length, lists of series: brute-force references
# --------------------------------------------------------------------------------------------
def reference_windows(x: np.ndarray, length: int, stride: int, rate: int) -> list[np.ndarray]:
    span = (length - 1) * rate + 1
    return [x[s : s + span : rate] for s in range(0, len(x) - span + 1, stride)]


def reference_pairs(
    x: np.ndarray, y: np.ndarray, length: int, horizon: int, stride: int, rate: int, target_length: int
) -> tuple[list[np.ndarray], list[np.ndarray], list[int]]:
    """Windows, targets and start steps, one step at a time from the definition."""
    xs, ys, starts = [], [], []
    for s in range(0, len(x), stride):
        e = s + (length - 1) * rate + horizon
        if e >= len(x):
            break
        xs.append(x[s : s + (length - 1) * rate + 1 : rate])
        ys.append(y[e] if target_length == 1 else y[e - target_length + 1 : e + 1])
        starts.append(s)
    return xs, ys, starts


@st.composite
def many_series(draw: st.DrawFn, max_series: int = 4) -> list[np.ndarray]:
    """1-4 series of 0-30 steps with the same trailing shape and distinct values."""
    trailing = draw(st.lists(st.integers(1, 3), min_size=0, max_size=2))
    lengths = draw(st.lists(st.integers(0, 30), min_size=1, max_size=max_series))
    size = math.prod(trailing)
    return [
        (1000.0 * k + np.arange(n * size, dtype=np.float64)).reshape(n, *trailing)
        for k, n in enumerate(lengths)
    ]


spec = st.fixed_dictionaries(
    {
        "length": st.integers(1, 6),
        "stride": st.integers(1, 5),
        "rate": st.integers(1, 4),
        "horizon": st.integers(0, 4),
        "target_length": st.integers(1, 5),
    }
)


def targets_of(series: list[np.ndarray]) -> list[np.ndarray]:
    return [-(np.arange(len(s)) + 1000 * k) for k, s in enumerate(series)]


@given(series_and_window(), st.integers(1, 5))
def test_sampling_rate_window_content(case: tuple[np.ndarray, int, int], rate: int) -> None:
    x, length, stride = case
    assume((length - 1) * rate + 1 <= len(x))
    w = sliding_windows(x, length, stride=stride, sampling_rate=rate)
    ref = reference_windows(x, length, stride, rate)
    assert w.shape == (len(ref), length, *x.shape[1:])
    np.testing.assert_array_equal(w, np.array(ref))
    assert np.shares_memory(w, x) and not w.flags.writeable


@given(series_and_window(), st.integers(1, 4))
def test_sampling_rate_pad_keeps_reachable_steps(case: tuple[np.ndarray, int, int], rate: int) -> None:
    x, length, stride = case
    span = (length - 1) * rate + 1
    assume(span <= len(x))
    w = sliding_windows(x, length, stride=stride, sampling_rate=rate, remainder="pad", pad_value=-1.0)
    full = reference_windows(x, length, stride, rate)
    np.testing.assert_array_equal(w[: len(full)], np.array(full))
    start = len(full) * stride
    if len(w) > len(full):  # the padded window: real steps start::rate, then padding
        real = x[start::rate][:length]
        assert 1 <= len(real) < length
        np.testing.assert_array_equal(w[-1, : len(real)], real)
        assert np.all(w[-1, len(real) :] == -1.0)
    else:  # nothing reachable was left out
        assert start >= len(x) or (len(full) - 1) * stride + span >= len(x)


@pytest.fixture(scope="module")
def keras_module() -> object:
    return pytest.importorskip("keras")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # TensorFlow's import-time warnings
@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 50),
    st.integers(1, 6),
    st.integers(1, 5),
    st.integers(1, 6),
    st.integers(0, 4),
)
def test_sampling_rate_matches_keras(
    keras_module: object, n: int, length: int, rate: int, stride: int, horizon: int
) -> None:
    keras = keras_module
    assume((length - 1) * rate + 1 + horizon <= n)
    assume(rate < n and stride < n)  # Keras' own limits on these arguments
    x = np.arange(2 * n, dtype=np.float32).reshape(n, 2)
    y = np.arange(n) * 10
    X, Y = make_supervised(x, y, length=length, horizon=horizon, stride=stride, sampling_rate=rate)
    kx, ky = keras_pairs(keras, x, y, length=length, horizon=horizon, stride=stride, rate=rate)
    np.testing.assert_array_equal(kx, X)
    np.testing.assert_array_equal(ky, Y)
    (only_x,) = keras_pairs(keras, x, None, length=length, horizon=0, stride=stride, rate=rate)
    np.testing.assert_array_equal(only_x, sliding_windows(x, length, stride=stride, sampling_rate=rate))


@given(series_and_window(), spec)
def test_target_length_matches_brute_force(case: tuple[np.ndarray, int, int], sp: dict[str, int]) -> None:
    x, _, _ = case
    y = np.arange(len(x)) * 10
    length, rate, horizon, tl = sp["length"], sp["rate"], sp["horizon"], sp["target_length"]
    assume((length - 1) * rate + 1 + horizon <= len(x))
    assume((length - 1) * rate + horizon - tl + 1 >= 0)
    X, Y = make_supervised(
        x, y, length=length, horizon=horizon, stride=sp["stride"], sampling_rate=rate, target_length=tl
    )
    rx, ry, _ = reference_pairs(x, y, length, horizon, sp["stride"], rate, tl)
    assert X.shape == (len(rx), length, *x.shape[1:])
    assert Y.shape == ((len(rx),) if tl == 1 else (len(rx), tl))
    np.testing.assert_array_equal(X, np.array(rx))
    np.testing.assert_array_equal(Y, np.array(ry))
    assert np.shares_memory(X, x) and np.shares_memory(Y, y)
    assert not X.flags.writeable and not Y.flags.writeable


def test_target_length_for_return_sequences() -> None:
    x = np.arange(10.0)
    X, Y = make_supervised(x, length=4, target_length=4)
    np.testing.assert_array_equal(Y, X + 1)  # the next value of every input step
    X, Y = make_supervised(x, length=3, horizon=2, target_length=2)
    assert X[0].tolist() == [0, 1, 2] and Y[0].tolist() == [3, 4]
    _, Y = make_supervised(np.zeros((12, 3)), length=4, horizon=3, target_length=3)
    assert Y.shape == (6, 3, 3)  # (n_windows, target_length, features)


@given(many_series(), st.integers(1, 6), st.integers(1, 5), st.integers(1, 3))
def test_sliding_windows_of_many_series(series: list[np.ndarray], length: int, stride: int, rate: int) -> None:
    span = (length - 1) * rate + 1
    assume(any(len(s) >= span for s in series))
    w = sliding_windows(series, length, stride=stride, sampling_rate=rate, skip_short=True)
    ref = [win for s in series if len(s) >= span for win in reference_windows(s, length, stride, rate)]
    np.testing.assert_array_equal(w, np.array(ref).reshape(w.shape))
    assert len(w) == len(ref)
    assert not any(np.shares_memory(w, s) for s in series)  # a concatenation: a copy
    if all(len(s) >= span for s in series):
        np.testing.assert_array_equal(sliding_windows(tuple(series), length, stride=stride, sampling_rate=rate), w)


@given(many_series(), spec)
def test_make_supervised_of_many_series(series: list[np.ndarray], sp: dict[str, int]) -> None:
    length, rate, horizon, tl = sp["length"], sp["rate"], sp["horizon"], sp["target_length"]
    need = (length - 1) * rate + 1 + horizon
    assume(any(len(s) >= need for s in series))
    assume((length - 1) * rate + horizon - tl + 1 >= 0)
    ys = targets_of(series)
    kw = {"length": length, "horizon": horizon, "stride": sp["stride"], "sampling_rate": rate, "target_length": tl}
    X, Y = make_supervised(series, ys, skip_short=True, **kw)
    rx: list[np.ndarray] = []
    ry: list[np.ndarray] = []
    for s, y in zip(series, ys, strict=True):
        if len(s) >= need:
            a, b, _ = reference_pairs(s, y, length, horizon, sp["stride"], rate, tl)
            rx += a
            ry += b
    assert len(X) == len(Y) == len(rx)
    np.testing.assert_array_equal(X, np.array(rx))
    np.testing.assert_array_equal(Y, np.array(ry))


def test_series_list_detection() -> None:
    # a list of numbers and a nested list of numbers are one series, as before
    assert sliding_windows([1, 2, 3, 4], 2).shape == (3, 2)
    assert sliding_windows([[1, 2], [3, 4], [5, 6]], 2).shape == (2, 2, 2)
    assert sliding_windows([np.float64(1.0), np.float64(2.0), np.float64(3.0)], 2).shape == (2, 2)
    # a list or tuple of arrays is several series; pandas objects and memmaps count as arrays
    pd = pytest.importorskip("pandas")
    runs = [pd.Series(np.arange(4.0)), np.arange(10.0, 13.0)]
    w = sliding_windows(runs, 3)
    assert w.tolist() == [[0, 1, 2], [1, 2, 3], [10, 11, 12]]
    same = (np.zeros((5, 2)), np.zeros((5, 2)))  # equal shapes: still two series, never stacked
    assert sliding_windows(same, 5).shape == (2, 5, 2)


def test_series_list_of_memmaps(tmp_path: object) -> None:
    path = str(tmp_path) + "/run.dat"  # type: ignore[operator]
    mm = np.memmap(path, dtype=np.float32, mode="w+", shape=(8, 2))
    mm[:] = np.arange(16).reshape(8, 2)
    X, Y = make_supervised([mm, np.asarray(mm[:5])], length=3)
    assert X.shape == (7, 3, 2) and Y.shape == (7, 2)
    np.testing.assert_array_equal(Y[-2:], mm[3:5])


# one test per documented error of the new options ------------------------------------------
def test_error_sampling_rate_not_int() -> None:
    with pytest.raises(TypeError, match=r"sampling_rate must be an int, got float 2\.0"):
        sliding_windows(np.arange(10), 3, sampling_rate=2.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="sampling_rate must be an int"):
        make_supervised(np.arange(10), length=3, sampling_rate="2")  # type: ignore[arg-type]


def test_error_sampling_rate_not_positive() -> None:
    with pytest.raises(ValueError, match=r"sampling_rate must be a positive int \(>= 1\), got 0"):
        sliding_windows(np.arange(10), 3, sampling_rate=0)
    with pytest.raises(ValueError, match="sampling_rate must be a positive int"):
        make_supervised(np.arange(10), length=3, sampling_rate=-2)


def test_error_sampling_rate_window_longer_than_series() -> None:
    with pytest.raises(
        ValueError,
        match=r"length=4 with sampling_rate=3 \(a window spans 10 steps\) is longer than the series: "
        r"x has 9 steps.*use length <= 3 or a smaller sampling_rate",
    ):
        sliding_windows(np.arange(9), 4, sampling_rate=3)


def test_error_sampling_rate_no_target() -> None:
    with pytest.raises(ValueError, match=r"no window has a target: length=4 with sampling_rate=3 .*spans 10.* \+ horizon=1 > 10 steps.*length <= 3"):
        make_supervised(np.arange(10), length=4, sampling_rate=3)


def test_error_sampling_rate_remainder_error() -> None:
    with pytest.raises(ValueError, match=r"steps 6..8 \(3 steps\) would be left out.*trim x to 8 steps"):
        sliding_windows(np.arange(9), 2, stride=3, sampling_rate=4, remainder="error")


def test_error_target_length_not_int() -> None:
    with pytest.raises(TypeError, match="target_length must be an int, got NoneType"):
        make_supervised(np.arange(10), length=3, target_length=None)  # type: ignore[arg-type]


def test_error_target_length_not_positive() -> None:
    with pytest.raises(ValueError, match=r"target_length must be a positive int \(>= 1\), got 0"):
        make_supervised(np.arange(10), length=3, target_length=0)


def test_error_target_length_before_the_start() -> None:
    with pytest.raises(ValueError, match=r"target_length=5 reaches before the series starts: .*steps -1..3; use target_length <= 4"):
        make_supervised(np.arange(10), length=3, horizon=1, target_length=5)


def test_error_series_too_short_names_it() -> None:
    runs = [np.zeros(10), np.zeros(2), np.zeros(8)]
    with pytest.raises(ValueError, match=r"series 1 of x \(shape \(2,\)\) has 2 steps, too short .*needs at least 3 steps.*skip_short=True"):
        sliding_windows(runs, 3)
    with pytest.raises(ValueError, match=r"series 1 of x .* has 8 steps.*needs at least 9 steps"):
        make_supervised(runs[::2], length=6, horizon=3, skip_short=False)
    assert sliding_windows(runs, 3, skip_short=True).shape == (8 + 6, 3)


def test_error_every_series_skipped() -> None:
    with pytest.raises(ValueError, match=r"skip_short=True skipped every series of x: none of the 2 has the 5 steps.*longest has 4"):
        sliding_windows([np.zeros(3), np.zeros(4)], 5, skip_short=True)


def test_error_series_trailing_shapes_differ() -> None:
    with pytest.raises(ValueError, match=r"same shape after the time axis, got x\[0\] shape \(5, 2\) and x\[1\] shape \(6, 3\)"):
        sliding_windows([np.zeros((5, 2)), np.zeros((6, 3))], 2)


def test_error_series_list_mixes_items() -> None:
    with pytest.raises(TypeError, match=r"mixes arrays and other items: item 1 is float 3\.0"):
        sliding_windows([np.zeros(5), 3.0], 2)


def test_error_targets_do_not_match_series_list() -> None:
    runs = [np.zeros(5), np.zeros(6)]
    with pytest.raises(ValueError, match=r"y must match x: x is a list of 2 series, but y is one array of shape \(11,\)"):
        make_supervised(runs, np.zeros(11), length=2)
    with pytest.raises(ValueError, match=r"y must match x: x is one array of shape \(5,\), but y is a list of 1 series"):
        make_supervised(np.zeros(5), [np.zeros(5)], length=2)
    with pytest.raises(ValueError, match="x is a list of 2 series, but y is a list of 3 series"):
        make_supervised(runs, [np.zeros(5)] * 3, length=2)


def test_error_targets_series_length_differs() -> None:
    with pytest.raises(ValueError, match=r"series 1: x and y must have the same number of steps.*x\[1\] shape \(6,\) and y\[1\] shape \(7,\)"):
        make_supervised([np.zeros(5), np.zeros(6)], [np.zeros(5), np.zeros(7)], length=2)


def test_unwindow_min_of_flags() -> None:
    flags = np.array([[True, True, True], [True, False, True], [True, True, True]])
    assert unwindow(flags, stride=1, reduce="min").tolist() == [1, 1, 0, 1, 1]
    assert unwindow(flags, stride=1, reduce="max").tolist() == [1, 1, 1, 1, 1]
    assert np.isnan(unwindow(flags[:2], stride=4, reduce="min")[3])  # a gap stays NaN


# --------------------------------------------------------------------------------------------
# WindowDataset: new options, lists of series, origins, shards, seeding
# --------------------------------------------------------------------------------------------
def all_batches(ds: object) -> tuple[np.ndarray, ...]:
    batches = [ds[b] for b in range(len(ds))]  # type: ignore[index, arg-type]
    if isinstance(batches[0], tuple):
        return tuple(np.concatenate(part) for part in zip(*batches, strict=True))
    return (np.concatenate(batches),)


@settings(max_examples=40, deadline=None)
@given(many_series(), spec, st.booleans(), st.integers(1, 7), st.booleans())
def test_window_dataset_many_series_matches_brute_force(
    window_dataset: type, series: list[np.ndarray], sp: dict[str, int], with_targets: bool, batch_size: int, as_list: bool
) -> None:
    length, rate, horizon, tl, stride = sp["length"], sp["rate"], sp["horizon"], sp["target_length"], sp["stride"]
    if not as_list:
        series = series[:1]
    span = (length - 1) * rate + 1
    need = span + horizon if with_targets else span
    assume(any(len(s) >= need for s in series) if as_list else len(series[0]) >= need)
    assume(not with_targets or (length - 1) * rate + horizon - tl + 1 >= 0)
    ys = targets_of(series)
    ds = window_dataset(
        series if as_list else series[0],
        (ys if as_list else ys[0]) if with_targets else None,
        length=length, stride=stride, horizon=horizon, sampling_rate=rate, target_length=tl,
        batch_size=batch_size, skip_short=True,
    )
    rx: list[np.ndarray] = []
    ry: list[np.ndarray] = []
    origins: list[list[int]] = []
    for k, (s, y) in enumerate(zip(series, ys, strict=True)):
        if len(s) < need:
            continue
        if with_targets:
            a, b, starts = reference_pairs(s, y, length, horizon, stride, rate, tl)
            ry += b
        else:
            a = reference_windows(s, length, stride, rate)
            starts = list(range(0, len(s) - span + 1, stride))
        rx += a
        origins += [[k, st_] for st_ in starts]
    got = all_batches(ds)
    assert ds.n_windows == len(rx) and len(ds) == math.ceil(len(rx) / batch_size)
    np.testing.assert_array_equal(got[0], np.array(rx))
    if with_targets:
        np.testing.assert_array_equal(got[1], np.array(ry))
    else:
        assert len(got) == 1
    assert ds.origins.tolist() == origins
    assert ds.origins.dtype == np.int64 and ds.origins.shape == (len(rx), 2)


def test_window_dataset_many_series_copies_nothing(window_dataset: type) -> None:
    runs = [np.zeros((40, 3), dtype=np.float32), np.ones((25, 3), dtype=np.float32)]
    ds = window_dataset(runs, [r[:, 0] for r in runs], length=5, batch_size=64, shuffle=True, seed=0)
    assert all(np.shares_memory(v, r) for v, r in zip(ds._views, runs, strict=True))
    xb, yb = ds[0]
    assert xb.shape == (36 + 21 - 2, 5, 3) and yb.shape == (55,)
    # no window mixes the two recordings, even shuffled
    assert set(np.unique(xb.reshape(len(xb), -1).mean(axis=1)).tolist()) == {0.0, 1.0}


def test_window_dataset_origins_map_back(window_dataset: type) -> None:
    runs = [np.arange(30.0), np.arange(3.0), np.arange(100.0, 120.0)]
    ds = window_dataset(runs, length=4, stride=3, sampling_rate=2, skip_short=True)
    windows = all_batches(ds)[0]
    for (series, start), win in zip(ds.origins, windows, strict=True):
        np.testing.assert_array_equal(win, runs[series][start : start + 7 : 2])
    assert set(ds.origins[:, 0].tolist()) == {0, 2}  # series 1 skipped, still counted
    with pytest.raises(ValueError, match="read-only"):
        ds.origins[0, 0] = 5


@settings(max_examples=30, deadline=None)
@given(many_series(), st.integers(1, 5), st.integers(1, 4), st.integers(1, 6), st.booleans(), st.data())
def test_window_dataset_shards_partition_the_windows(
    window_dataset: type, series: list[np.ndarray], length: int, stride: int, num_shards: int, shuffle: bool, data: st.DataObject
) -> None:
    assume(any(len(s) >= length + 1 for s in series))
    ys = targets_of(series)
    ds = window_dataset(series, ys, length=length, stride=stride, batch_size=3, skip_short=True, shuffle=shuffle, seed=5)
    assume(num_shards <= ds.n_windows)
    shards = [ds.shard(num_shards, i) for i in range(num_shards)]
    assert sum(s.n_windows for s in shards) == ds.n_windows
    rows = np.concatenate([np.arange(i, ds.n_windows, num_shards) for i in range(num_shards)])
    np.testing.assert_array_equal(np.concatenate([s.origins for s in shards]), ds.origins[rows])
    # disjoint, and together every window: origins are unique per window
    all_origins = {tuple(o) for s in shards for o in s.origins.tolist()}
    assert all_origins == {tuple(o) for o in ds.origins.tolist()}
    full = window_dataset(series, ys, length=length, stride=stride, batch_size=10_000, skip_short=True)
    fx, fy = full[0]
    i = data.draw(st.integers(0, num_shards - 1))
    sx, sy = all_batches(shards[i])
    order = np.argsort(sy, kind="stable") if shuffle else np.arange(len(sy))
    ref = np.arange(i, ds.n_windows, num_shards)
    ref = ref[np.argsort(fy[ref], kind="stable")] if shuffle else ref
    np.testing.assert_array_equal(sx[order], fx[ref])
    np.testing.assert_array_equal(sy[order], fy[ref])
    assert shards[i].batch_size == 3 and shards[i].shuffle == shuffle


def test_shard_of_a_shard_and_settings(window_dataset: type) -> None:
    ds = window_dataset(np.arange(50.0), length=2, batch_size=4, workers=2, max_queue_size=3)
    sub = ds.shard(3, 1).shard(2, 0)
    assert sub.origins[:, 1].tolist() == list(range(1, 49, 6))
    assert sub.workers == 2 and sub.max_queue_size == 3
    assert ds.n_windows == 49  # the original is untouched


def test_window_dataset_seed_none_honours_set_random_seed(window_dataset: type) -> None:
    import keras

    def first_order() -> list[float]:
        return window_dataset(np.arange(200.0), length=2, batch_size=500, shuffle=True)[0].tolist()

    keras.utils.set_random_seed(11)
    a = first_order()
    keras.utils.set_random_seed(11)
    b = first_order()
    keras.utils.set_random_seed(12)
    c = first_order()
    assert a == b
    assert a != c


def test_window_dataset_error_sampling_rate(window_dataset: type) -> None:
    with pytest.raises(ValueError, match="sampling_rate must be a positive int"):
        window_dataset(np.arange(20.0), length=3, sampling_rate=0)
    with pytest.raises(TypeError, match="sampling_rate must be an int"):
        window_dataset(np.arange(20.0), length=3, sampling_rate=1.5)


def test_window_dataset_error_sampling_rate_too_long(window_dataset: type) -> None:
    with pytest.raises(ValueError, match=r"length=5 with sampling_rate=5 .*spans 21 steps.* longer than the series"):
        window_dataset(np.arange(20.0), length=5, sampling_rate=5)
    with pytest.raises(ValueError, match=r"no window has a target: length=5 with sampling_rate=4"):
        window_dataset(np.arange(17.0), np.arange(17.0), length=5, sampling_rate=4)


def test_window_dataset_error_target_length(window_dataset: type) -> None:
    with pytest.raises(ValueError, match="target_length must be a positive int"):
        window_dataset(np.arange(20.0), np.arange(20.0), length=3, target_length=0)
    with pytest.raises(TypeError, match="target_length must be an int"):
        window_dataset(np.arange(20.0), np.arange(20.0), length=3, target_length="2")
    with pytest.raises(ValueError, match="target_length=9 reaches before the series starts"):
        window_dataset(np.arange(20.0), np.arange(20.0), length=3, target_length=9)


def test_window_dataset_error_series_list(window_dataset: type) -> None:
    runs = [np.zeros(10), np.zeros(3)]
    with pytest.raises(ValueError, match=r"series 1 of x \(shape \(3,\)\) has 3 steps.*needs at least 5"):
        window_dataset(runs, runs, length=4)
    with pytest.raises(ValueError, match="skip_short=True skipped every series"):
        window_dataset(runs, length=11, skip_short=True)
    with pytest.raises(ValueError, match="targets must match x: x is a list of 2 series"):
        window_dataset(runs, np.zeros(13), length=2)
    with pytest.raises(ValueError, match=r"series 0: x and targets must have the same number of steps"):
        window_dataset(runs, [np.zeros(9), np.zeros(3)], length=2)
    with pytest.raises(ValueError, match="same shape after the time axis"):
        window_dataset([np.zeros((5, 1)), np.zeros(5)], length=2)
    with pytest.raises(TypeError, match="mixes arrays and other items"):
        window_dataset([np.zeros(5), [1.0, 2.0]], length=2)


def test_window_dataset_error_shard_arguments(window_dataset: type) -> None:
    ds = window_dataset(np.arange(10.0), length=3)  # 8 windows
    with pytest.raises(TypeError, match="num_shards must be an int"):
        ds.shard(2.0, 0)
    with pytest.raises(ValueError, match=r"num_shards must be a positive int \(>= 1\), got 0"):
        ds.shard(0, 0)
    with pytest.raises(ValueError, match=r"num_shards=9 is more than the 8 windows.*num_shards <= 8"):
        ds.shard(9, 0)
    with pytest.raises(TypeError, match="index must be an int, got str"):
        ds.shard(2, "1")
    with pytest.raises(ValueError, match=r"index must be in \[0, num_shards\) = \[0, 2\), got index=2"):
        ds.shard(2, 2)


def test_error_remainder_error_names_the_series_of_a_list() -> None:
    with pytest.raises(ValueError, match=r"10 steps of x\[1\] do not split.*trim x\[1\] to 8 steps"):
        sliding_windows([np.arange(8), np.arange(10)], 4, stride=4, remainder="error")

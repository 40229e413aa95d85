"""Tests for seqshape.features: alignment, no leakage from the future, documented errors."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from seqshape.features import lag_features, rolling_features

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
series_1d = arrays(np.float64, st.integers(1, 40), elements=finite)
series_2d = arrays(
    np.float64, st.tuples(st.integers(1, 30), st.integers(1, 3)), elements=finite
)
steps = st.lists(st.integers(1, 12), min_size=1, max_size=4)


# --- alignment -------------------------------------------------------------------------------


@given(x=series_2d, lags=steps)
def test_lag_columns_hold_past_values(x: np.ndarray, lags: list[int]) -> None:
    out = lag_features(x, lags)
    n, f = x.shape
    assert out.shape == (n, len(lags) * f)
    for j, lag in enumerate(lags):
        block = out[:, j * f : (j + 1) * f]
        assert np.isnan(block[: min(lag, n)]).all()
        np.testing.assert_array_equal(block[lag:], x[: n - lag] if lag < n else x[:0])


@given(x=series_1d, windows=steps)
def test_rolling_matches_pandas_shifted_rolling_mean(x: np.ndarray, windows: list[int]) -> None:
    out = rolling_features(x, windows)
    assert out.shape == (x.shape[0], len(windows))
    for j, w in enumerate(windows):
        expected = pd.Series(x).rolling(w).mean().shift(1).to_numpy()
        np.testing.assert_allclose(out[:, j], expected, rtol=1e-9, atol=1e-6)


@given(x=series_2d, w=st.integers(1, 12))
def test_rolling_is_mean_of_previous_w_rows(x: np.ndarray, w: int) -> None:
    out = rolling_features(x, w)
    for t in range(x.shape[0]):
        if t < w:
            assert np.isnan(out[t]).all()
        else:
            np.testing.assert_allclose(out[t], x[t - w : t].mean(axis=0), rtol=1e-12, atol=1e-9)


def test_rolling_one_equals_lag_one() -> None:
    x = np.random.default_rng(0).normal(size=(20, 2))
    np.testing.assert_array_equal(rolling_features(x, 1), lag_features(x, 1))


def test_documented_examples() -> None:
    x = np.arange(6.0)
    np.testing.assert_array_equal(lag_features(x, [1, 3])[3], [2.0, 0.0])
    np.testing.assert_array_equal(rolling_features(x, 2)[4], [2.5])


def test_lag_longer_than_series_is_all_nan_not_dropped() -> None:
    out = lag_features(np.arange(3.0), [1, 5])
    assert out.shape == (3, 2)
    assert np.isnan(out[:, 1]).all()
    assert np.isnan(rolling_features(np.arange(3.0), 3)).all()


def test_dtypes() -> None:
    assert lag_features(np.arange(5, dtype=np.float32), 1).dtype == np.float32
    assert rolling_features(np.arange(5, dtype=np.float32), 2).dtype == np.float32
    assert lag_features(np.arange(5), 1).dtype == np.float64
    assert rolling_features(np.arange(5), 2).dtype == np.float64


# --- no leakage: row t never depends on x[t:] ------------------------------------------------


@settings(max_examples=60)
@given(x=series_2d, lags=steps, windows=steps, data=st.data())
def test_row_t_does_not_depend_on_present_or_future(
    x: np.ndarray, lags: list[int], windows: list[int], data: st.DataObject
) -> None:
    n = x.shape[0]
    t = data.draw(st.integers(0, n - 1), label="t")
    changed = x.copy()
    # Overwrite the present and the whole future with values that cannot coincide.
    changed[t:] = data.draw(arrays(np.float64, changed[t:].shape, elements=finite), label="future") + 1e7
    for fn, arg in ((lag_features, lags), (rolling_features, windows)):
        before, after = fn(x, arg), fn(changed, arg)
        np.testing.assert_array_equal(before[: t + 1], after[: t + 1])


@given(x=series_1d, data=st.data())
def test_changing_the_past_changes_some_row(x: np.ndarray, data: st.DataObject) -> None:
    # The leakage test above could pass with features that ignore x entirely; this one cannot.
    n = x.shape[0]
    if n < 2:
        return
    s = data.draw(st.integers(0, n - 2), label="s")
    changed = x.copy()
    changed[s] += 1.0 + abs(changed[s])
    assert not np.array_equal(lag_features(x, 1), lag_features(changed, 1), equal_nan=True)
    assert not np.array_equal(rolling_features(x, 1), rolling_features(changed, 1), equal_nan=True)


def test_no_tensorflow_import() -> None:
    # seqshape.features needs only numpy; the check runs in a fresh interpreter.
    import subprocess

    code = "import seqshape.features, sys; print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


# --- documented errors -------------------------------------------------------------------------


def test_lag_below_one_raises() -> None:
    with pytest.raises(ValueError, match=r"lags must be >= 1 .* got 0; lags=0 would put x\[t\]"):
        lag_features(np.arange(5.0), [1, 0])


def test_window_below_one_raises() -> None:
    with pytest.raises(ValueError, match=r"windows must be >= 1 .* got -2"):
        rolling_features(np.arange(5.0), -2)


def test_empty_steps_raise() -> None:
    with pytest.raises(ValueError, match=r"lags must not be empty"):
        lag_features(np.arange(5.0), [])
    with pytest.raises(ValueError, match=r"windows must not be empty"):
        rolling_features(np.arange(5.0), ())


def test_non_int_steps_raise() -> None:
    with pytest.raises(TypeError, match=r"lags must contain ints, got 1.5"):
        lag_features(np.arange(5.0), [1.5])
    with pytest.raises(TypeError, match=r"windows must contain ints, got True"):
        rolling_features(np.arange(5.0), [True])
    with pytest.raises(TypeError, match=r"lags must be an int or a sequence of ints, got str"):
        lag_features(np.arange(5.0), "3")


def test_wrong_ndim_raises() -> None:
    with pytest.raises(ValueError, match=r"x must be 1-D \(T,\) or 2-D \(T, F\) .* got shape \(2, 3, 4\)"):
        lag_features(np.zeros((2, 3, 4)), 1)
    with pytest.raises(ValueError, match=r"got shape \(\)"):
        rolling_features(np.float64(3.0), 1)


def test_non_numeric_raises() -> None:
    with pytest.raises(TypeError, match=r"x must be a numeric array, got dtype <U1"):
        lag_features(np.array(["a", "b"]), 1)

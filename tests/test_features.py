"""Tests for seqshape.features: alignment, no leakage from the future, documented errors."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
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


@given(x=series_1d, lengths=steps)
def test_rolling_matches_pandas_shifted_rolling_mean(x: np.ndarray, lengths: list[int]) -> None:
    out = rolling_features(x, lengths)
    assert out.shape == (x.shape[0], len(lengths))
    for j, w in enumerate(lengths):
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
@given(x=series_2d, lags=steps, lengths=steps, data=st.data())
def test_row_t_does_not_depend_on_present_or_future(
    x: np.ndarray, lags: list[int], lengths: list[int], data: st.DataObject
) -> None:
    n = x.shape[0]
    t = data.draw(st.integers(0, n - 1), label="t")
    changed = x.copy()
    # Overwrite the present and the whole future with values that cannot coincide.
    changed[t:] = data.draw(arrays(np.float64, changed[t:].shape, elements=finite), label="future") + 1e7
    for fn, arg in ((lag_features, lags), (rolling_features, lengths)):
        before, after = fn(x, arg), fn(changed, arg)
        np.testing.assert_array_equal(before[: t + 1], after[: t + 1])


@given(x=series_1d, data=st.data())
def test_changing_the_past_changes_some_row(x: np.ndarray, data: st.DataObject) -> None:
    # The leakage test above could pass with features that ignore x entirely; this one cannot.
    n = x.shape[0]
    assume(n >= 2)
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
    with pytest.raises(ValueError, match=r"lags\[1\] must be an int >= 1, got 0; lags=0 would put x\[t\]"):
        lag_features(np.arange(5.0), [1, 0])


def test_length_below_one_raises() -> None:
    with pytest.raises(ValueError, match=r"lengths must be an int >= 1, got -2"):
        rolling_features(np.arange(5.0), -2)


def test_empty_steps_raise() -> None:
    with pytest.raises(ValueError, match=r"lags must not be empty"):
        lag_features(np.arange(5.0), [])
    with pytest.raises(ValueError, match=r"lengths must not be empty"):
        rolling_features(np.arange(5.0), ())


def test_non_int_steps_raise() -> None:
    with pytest.raises(TypeError, match=r"lags\[0\] must be an int >= 1, got float 1.5"):
        lag_features(np.arange(5.0), [1.5])
    with pytest.raises(TypeError, match=r"lengths\[0\] must be an int >= 1, got bool True"):
        rolling_features(np.arange(5.0), [True])
    with pytest.raises(TypeError, match=r"lags must be an int or a sequence of ints, got str"):
        lag_features(np.arange(5.0), "3")


def test_windows_is_a_deprecated_alias_of_lengths() -> None:
    x = np.arange(6.0)
    with pytest.warns(DeprecationWarning, match=r"rolling_features\(windows=\.\.\.\) is deprecated"):
        old = rolling_features(x, windows=[2])
    np.testing.assert_array_equal(old, rolling_features(x, [2]), strict=True)


def test_wrong_ndim_raises() -> None:
    with pytest.raises(ValueError, match=r"x must be 1-D or 2-D \(T,\) or \(T, F\), got shape \(2, 3, 4\)"):
        lag_features(np.zeros((2, 3, 4)), 1)
    with pytest.raises(ValueError, match=r"got shape \(\)"):
        rolling_features(np.float64(3.0), 1)


@pytest.mark.parametrize("fn", [lag_features, rolling_features])
def test_a_series_without_steps_raises(fn) -> None:
    # Regression: lag_features(np.zeros((0, 3)), 1) surfaced NumPy's raw reshape error.
    with pytest.raises(ValueError, match=r"x must have at least 1 time step\(s\) on axis 0, got 0 step\(s\) \(shape \(0, 3\)\)"):
        fn(np.zeros((0, 3)), 1)


def test_non_numeric_raises() -> None:
    with pytest.raises(TypeError, match=r"x must hold real numbers \(bool, int or float\), got dtype <U1"):
        lag_features(np.array(["a", "b"]), 1)


@pytest.mark.parametrize("fn", [lag_features, rolling_features])
def test_complex_input_raises_instead_of_dropping_the_imaginary_part(fn) -> None:
    # Regression: complex input lost its imaginary part with only a ComplexWarning.
    with pytest.raises(TypeError, match=r"x must hold real numbers .* complex128; .*x\.real"):
        fn(np.arange(5.0) * 1j, 1)

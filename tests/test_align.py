"""Tests for seqshape.align: stacking, resampling and padding with masks."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from seqshape.align import add_batch_axis, pad_batch, resample, stack_features

# --------------------------------------------------------------------------- stack_features


@st.composite
def same_length_series(draw):
    t = draw(st.integers(1, 20))
    widths = draw(st.lists(st.sampled_from([None, 1, 2, 3]), min_size=1, max_size=4))
    out = []
    for w in widths:
        shape = (t,) if w is None else (t, w)
        out.append(draw(hnp.arrays(np.float64, shape, elements=st.floats(-1e6, 1e6))))
    return out


@given(same_length_series())
def test_stack_features_keeps_every_column_in_order(series):
    x = stack_features(*series)
    widths = [1 if s.ndim == 1 else s.shape[1] for s in series]
    assert x.shape == (series[0].shape[0], sum(widths))
    col = 0
    for s, w in zip(series, widths, strict=True):
        np.testing.assert_array_equal(x[:, col : col + w], s.reshape(len(s), -1))
        col += w


def test_stack_features_of_equal_pandas_indexes():
    idx = pd.date_range("2000-01-01", periods=4, freq="MS")
    a = pd.Series([1.0, 2, 3, 4], index=idx, name="a")
    b = pd.DataFrame({"b": [5.0, 6, 7, 8], "c": [0.0, 0, 0, 1]}, index=idx)
    x = stack_features(a, b)
    assert x.shape == (4, 3)
    assert x[3].tolist() == [4.0, 8.0, 1.0]


def test_stack_features_length_mismatch_lists_each_length():
    with pytest.raises(
        ValueError,
        match=r"series 0: 3 steps, series 1: 4 steps, series 2: 3 steps\. Align them first",
    ):
        stack_features(np.zeros(3), np.zeros((4, 2)), np.zeros(3))


def test_stack_features_length_mismatch_uses_names():
    a = pd.Series(np.zeros(3), name="co2")
    b = pd.Series(np.zeros(5), name="sst")
    with pytest.raises(ValueError, match=r"series 0 \('co2'\): 3 steps, series 1 \('sst'\): 5 steps"):
        stack_features(a, b)
    with pytest.raises(ValueError, match=r"series 1 \('second'\): 5 steps"):
        stack_features(np.zeros(3), np.zeros(5), names=["first", "second"])


def test_stack_features_rejects_different_timestamps_of_same_length():
    a = pd.Series(np.zeros(3), index=pd.date_range("2000-01-01", periods=3, freq="D"), name="a")
    b = pd.Series(np.zeros(3), index=pd.date_range("2000-01-02", periods=3, freq="D"), name="b")
    with pytest.raises(ValueError, match=r"same length \(3\) but different time indexes.*join='inner'"):
        stack_features(a, b)


def test_stack_features_needs_a_series():
    with pytest.raises(ValueError, match=r"at least one series.*not stack_features\(\[a, b\]\)"):
        stack_features()


def test_stack_features_rejects_3d_series():
    with pytest.raises(ValueError, match=r"series 1 must be 1-D .* got shape \(4, 2, 2\)"):
        stack_features(np.zeros(4), np.zeros((4, 2, 2)))


def test_stack_features_rejects_one_list_of_series():
    # Regression: stack_features([a, b]) of two (5,) arrays returned (2, 5): 2 steps of 5 features.
    a, b = np.arange(5.0), np.arange(5.0) * 10
    with pytest.raises(TypeError, match=r"got one list of 2 series; unpack it: stack_features\(\*series\)"):
        stack_features([a, b])
    with pytest.raises(TypeError, match=r"got one tuple of 2 series"):
        stack_features((a, b))
    assert stack_features(*[a, b]).shape == (5, 2)
    # A plain list of numbers is still one series.
    assert stack_features([1.0, 2.0, 3.0]).shape == (3, 1)


def test_stack_features_rejects_complex_series():
    with pytest.raises(TypeError, match=r"series\[1\] must hold real numbers .* complex128"):
        stack_features(np.zeros(3), np.zeros(3, complex))


def test_stack_features_names_must_match_series():
    with pytest.raises(ValueError, match=r"got 1 names for 2 series"):
        stack_features(np.zeros(3), np.zeros(3), names=["a"])


# --------------------------------------------------------------------------- add_batch_axis


def test_add_batch_axis_is_a_read_only_view():
    x = np.arange(12.0).reshape(6, 2)
    b = add_batch_axis(x)
    assert b.shape == (1, 6, 2)
    assert np.shares_memory(b, x)
    assert not b.flags.writeable
    np.testing.assert_array_equal(b[0], x)


@pytest.mark.parametrize(
    ("shape", "hint"),
    [
        ((), r"got shape \(\); a scalar is not a sequence"),
        ((5,), r"got shape \(5,\); for one feature use x\[:, None\]"),
        ((1, 5, 2), r"got shape \(1, 5, 2\); it already has 3 axes"),
        ((1, 1, 5, 2), r"got shape \(1, 1, 5, 2\); reshape it"),
    ],
)
def test_add_batch_axis_rejects_non_2d(shape, hint):
    with pytest.raises(ValueError, match=hint):
        add_batch_axis(np.zeros(shape))


# --------------------------------------------------------------------------- resample


def _tones(t: np.ndarray, freqs_amps: list[tuple[float, float]]) -> np.ndarray:
    return sum(a * np.sin(2 * np.pi * f * t + 0.3) for f, a in freqs_amps)


@pytest.mark.parametrize(("from_rate", "to_rate"), [(100, 40), (100, 250), (10, 7), (48, 12)])
def test_resample_reproduces_a_band_limited_signal(from_rate, to_rate):
    # Tones well below both Nyquist frequencies survive with their amplitude and phase.
    low = min(from_rate, to_rate) / 2
    tones = [(0.05 * low, 1.0), (0.3 * low, 0.5)]
    duration = 40.0
    x = _tones(np.arange(int(duration * from_rate)) / from_rate, tones)
    y = resample(x, from_rate=from_rate, to_rate=to_rate)
    expected = _tones(np.arange(y.shape[0]) / to_rate, tones)
    inner = slice(y.shape[0] // 10, -y.shape[0] // 10)  # the ends feel the padding
    assert np.max(np.abs(y[inner] - expected[inner])) < 5e-3


def _amplitude_at(y: np.ndarray, rate: float, freq: float) -> float:
    t = np.arange(y.shape[0]) / rate
    basis = np.exp(-2j * np.pi * freq * t)
    return float(2 * np.abs(np.mean(y * basis)))


def test_resample_removes_a_component_above_the_new_nyquist():
    # 100 Hz -> 20 Hz: the new Nyquist is 10 Hz. A 45 Hz tone must vanish, not fold to 5 Hz.
    rate, new_rate = 100, 20
    t = np.arange(100 * rate) / rate
    x = np.sin(2 * np.pi * 2 * t) + np.sin(2 * np.pi * 45 * t)
    good = resample(x, from_rate=rate, to_rate=new_rate)
    naive = x[:: rate // new_rate]  # every 5th sample
    assert good.shape == naive.shape == (2000,)
    assert _amplitude_at(naive, new_rate, 5.0) > 0.9  # the alias is as loud as the tone
    assert _amplitude_at(good, new_rate, 5.0) < 0.01
    assert _amplitude_at(good, new_rate, 2.0) == pytest.approx(1.0, abs=0.01)


def test_resample_works_on_each_column_along_axis_0():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(90, 3))
    y = resample(x, from_rate=3, to_rate=2)
    assert y.shape == (60, 3)
    for j in range(3):
        np.testing.assert_allclose(y[:, j], resample(x[:, j], from_rate=3, to_rate=2))


@given(
    t=st.integers(2, 200),
    up=st.integers(1, 12),
    down=st.integers(1, 12),
)
@settings(max_examples=50, deadline=None)
def test_resample_length_is_ceil_of_t_times_ratio(t, up, down):
    y = resample(np.zeros((t, 2)), from_rate=down, to_rate=up)
    ratio = Fraction(up, down)
    assert y.shape == (math.ceil(t * ratio), 2)


def test_resample_dtypes():
    assert resample(np.zeros(10, np.float32), from_rate=2, to_rate=1).dtype == np.float32
    assert resample(np.arange(10), from_rate=2, to_rate=1).dtype == np.float64
    assert resample(np.arange(10), from_rate=2, to_rate=2).dtype == np.float64


def test_resample_float_rates_are_read_as_decimals():
    assert resample(np.zeros(441), from_rate=44.1, to_rate=16).shape == (160,)
    assert resample(np.zeros(30), from_rate=0.3, to_rate=Fraction(1, 10)).shape == (10,)
    assert resample(np.zeros(30), from_rate=np.int64(3), to_rate=np.float64(1.0)).shape == (10,)


def test_resample_keeps_a_trend_at_the_edges():
    # padtype="line": a straight line is reproduced up to the very ends.
    x = 300 + 0.5 * np.arange(120.0)
    y = resample(x, from_rate=4, to_rate=1)
    np.testing.assert_allclose(y, 300 + 0.5 * np.arange(0, 120, 4), atol=1e-6)


@pytest.mark.parametrize("bad", [0, -1, -0.5, math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("which", ["from_rate", "to_rate"])
def test_resample_rejects_non_positive_or_non_finite_rates(bad, which):
    rates = {"from_rate": 2, "to_rate": 1, which: bad}
    with pytest.raises(ValueError, match=rf"{which} must be a positive, finite number"):
        resample(np.zeros(10), **rates)


@pytest.mark.parametrize("bad", ["10", None, True, [2]])
def test_resample_rejects_non_numeric_rates(bad):
    with pytest.raises(TypeError, match=r"from_rate must be a real number, got .*; pass an int or a float"):
        resample(np.zeros(10), from_rate=bad, to_rate=1)


def test_resample_rejects_nan_in_x():
    x = np.ones((10, 2))
    x[3, 1] = np.nan
    x[7, 0] = np.nan
    with pytest.raises(ValueError, match=r"NaN at 2 time steps \(first: \[3, 7\]\).*interpolate"):
        resample(x, from_rate=2, to_rate=1)


@pytest.mark.parametrize("shape", [(), (0,), (0, 3)])
def test_resample_rejects_empty_x(shape):
    with pytest.raises(ValueError, match=r"x must have at least 1 time step\(s\) on axis 0"):
        resample(np.zeros(shape), from_rate=2, to_rate=1)


@pytest.mark.parametrize("shape", [(1,), (1, 3)])
def test_resample_rejects_a_single_step(shape):
    # Regression: one step came back as NaN (padtype="line" fits a line through one point).
    with pytest.raises(ValueError, match=r"at least 2 time steps on axis 0 to be resampled, got shape \(1"):
        resample(np.ones(shape), from_rate=2, to_rate=1)


def test_resample_rejects_inf_like_nan():
    # Regression: one inf among 101 steps made 22 of 51 outputs non-finite; only NaN was checked.
    x = np.ones(101)
    x[50] = np.inf
    with pytest.raises(ValueError, match=r"x contains inf at 1 time steps \(first: \[50\]\); the filter would spread each inf"):
        resample(x, from_rate=2, to_rate=1)
    x[10] = np.nan
    with pytest.raises(ValueError, match=r"x contains NaN or inf at 2 time steps \(first: \[10, 50\]\)"):
        resample(x, from_rate=2, to_rate=1)


def test_resample_rejects_complex_and_object_input():
    # Regression: complex input lost its imaginary part with only a ComplexWarning.
    with pytest.raises(TypeError, match=r"x must hold real numbers .* got dtype complex128; .*x\.real, np\.abs\(x\)"):
        resample(np.ones(10) * 1j, from_rate=2, to_rate=1)
    with pytest.raises(TypeError, match=r"got dtype object; .*np\.asarray\(x, dtype=float\)"):
        resample(np.array([1.0, "a"] * 5, dtype=object), from_rate=2, to_rate=1)


@pytest.mark.parametrize(
    ("from_rate", "to_rate", "up", "down"),
    [(1 / 3, 1, 3, 1), (1, 1 / 3, 1, 3), (2 / 3, 1 / 7, 3, 14), (1 / 48, 1 / 336, 1, 7), (44.1, 16, 160, 441)],
)
def test_resample_float_rates_that_are_not_short_decimals(from_rate, to_rate, up, down):
    # Regression: from_rate=1/3 was read as 3333333333333333/10**16, giving up=10**16.
    y = resample(np.zeros(42 * down), from_rate=from_rate, to_rate=to_rate)
    assert y.shape == (42 * up,)


def test_resample_rejects_a_ratio_with_huge_factors():
    with pytest.raises(ValueError, match=r"reduces to up=1600, down=6957, above max_factor=1000"):
        resample(np.zeros(100), from_rate=52.1775, to_rate=12)
    # The same call passes when the caller accepts the cost.
    assert resample(np.zeros(100), from_rate=52.1775, to_rate=12, max_factor=30000).shape == (23,)


def test_resample_rejects_a_bad_max_factor():
    with pytest.raises(ValueError, match=r"max_factor must be an int >= 1, got 0; use max_factor=1 or more"):
        resample(np.zeros(10), from_rate=2, to_rate=1, max_factor=0)


@pytest.mark.parametrize("bad", [True, 10.0, "10", None])
def test_resample_max_factor_must_be_an_int(bad):
    # Regression: max_factor=True was accepted as 1.
    with pytest.raises(TypeError, match=r"max_factor must be an int >= 1, got "):
        resample(np.zeros(10), from_rate=2, to_rate=1, max_factor=bad)


# --------------------------------------------------------------------------- pad_batch


@st.composite
def ragged_batch(draw):
    n_features = draw(st.integers(1, 3))
    lengths = draw(st.lists(st.integers(1, 10), min_size=1, max_size=6))
    seqs = [
        draw(hnp.arrays(np.float32, (n, n_features), elements=st.floats(1, 100, width=32)))
        for n in lengths
    ]
    maxlen = draw(st.one_of(st.none(), st.integers(1, 12)))
    side = draw(st.sampled_from(["post", "pre"]))
    truncate = draw(st.sampled_from(["post", "pre"]))
    value = draw(st.sampled_from([0.0, -1.0]))
    return seqs, maxlen, side, truncate, value


@given(ragged_batch())
@settings(deadline=None)
def test_pad_batch_shapes_mask_and_content(case):
    seqs, maxlen, side, truncate, value = case
    padded, mask = pad_batch(seqs, maxlen=maxlen, side=side, truncate=truncate, pad_value=value)
    t = maxlen if maxlen is not None else max(len(s) for s in seqs)
    assert padded.shape == (len(seqs), t, seqs[0].shape[1])
    assert padded.dtype == np.float32
    assert mask.shape == (len(seqs), t) and mask.dtype == np.bool_
    for i, s in enumerate(seqs):
        k = min(len(s), t)
        assert mask[i].sum() == k
        kept = s[:k] if truncate == "post" else s[len(s) - k :]
        real = slice(0, k) if side == "post" else slice(t - k, t)
        assert mask[i, real].all()
        np.testing.assert_array_equal(padded[i, real], kept)
        assert np.all(padded[i][~mask[i]] == value)


@given(ragged_batch())
@settings(max_examples=20, deadline=None)
def test_pad_batch_mask_matches_keras_masking(case):
    # Real values lie in [1, 100], so no real step equals the padding value in every feature.
    import keras

    seqs, maxlen, side, truncate, value = case
    padded, mask = pad_batch(seqs, maxlen=maxlen, side=side, truncate=truncate, pad_value=value)
    keras_mask = keras.layers.Masking(mask_value=value).compute_mask(padded)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(keras_mask), mask)


def test_pad_batch_documented_example():
    padded, mask = pad_batch([np.ones((3, 2)), np.full((5, 2), 2.0)], maxlen=4, truncate="pre")
    assert padded[:, :, 0].tolist() == [[1, 1, 1, 0], [2, 2, 2, 2]]
    assert mask.tolist() == [[True, True, True, False], [True, True, True, True]]


def test_pad_batch_rejects_an_empty_list():
    with pytest.raises(ValueError, match=r"sequences is empty"):
        pad_batch([])


def test_pad_batch_rejects_ragged_feature_counts():
    seqs = [np.zeros((3, 12)), np.zeros((4, 12)), np.zeros((2, 11))]
    with pytest.raises(ValueError, match=r"11 features in sequences\[2\]; 12 features in sequences\[0, 1\]"):
        pad_batch(seqs)


def test_pad_batch_rejects_1d_samples():
    with pytest.raises(ValueError, match=r"sequences\[1\] must be 2-D .* got shape \(4,\); for one feature use"):
        pad_batch([np.zeros((3, 1)), np.zeros(4)])


def test_pad_batch_rejects_3d_samples():
    with pytest.raises(ValueError, match=r"got shape \(4, 2, 2\); reshape each sample"):
        pad_batch([np.zeros((4, 2, 2))])


def test_pad_batch_rejects_an_empty_sample():
    with pytest.raises(ValueError, match=r"sequences\[0\] has no time steps \(shape \(0, 3\)\)"):
        pad_batch([np.zeros((0, 3)), np.zeros((2, 3))])


def test_pad_batch_rejects_one_series_instead_of_a_list():
    with pytest.raises(TypeError, match=r"sequences\[0\] is a scalar .* wrap it in a list"):
        pad_batch([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match=r"sequences must be a list of .* got str"):
        pad_batch("abc")


@pytest.mark.parametrize("one", [np.zeros((5, 3)), np.zeros(5), pd.DataFrame(np.zeros((5, 3)))])
def test_pad_batch_rejects_a_single_array_and_says_wrap_it_in_a_list(one):
    # Regression: pad_batch(np.zeros((5, 3))) raised a ValueError about features.
    with pytest.raises(TypeError, match=r"got one .* of shape \(5,?( 3)?\); for a single sample, wrap it in a list: pad_batch\(\[x\]\)"):
        pad_batch(one)


def test_pad_batch_accepts_a_3d_array_as_a_batch():
    padded, mask = pad_batch(np.ones((2, 4, 3)))
    assert padded.shape == (2, 4, 3) and mask.all()


def test_pad_batch_value_is_a_deprecated_alias_of_pad_value():
    with pytest.warns(DeprecationWarning, match=r"pad_batch\(value=\.\.\.\) is deprecated.*pad_value"):
        padded, _ = pad_batch([np.ones((1, 1)), np.ones((2, 1))], value=-1.0)
    np.testing.assert_array_equal(padded, pad_batch([np.ones((1, 1)), np.ones((2, 1))], pad_value=-1.0)[0])
    assert padded[0, 1, 0] == -1.0


def test_pad_batch_rejects_non_numeric_samples():
    with pytest.raises(TypeError, match=r"sequences\[0\] must hold real numbers \(bool, int or float\), got dtype <U1"):
        pad_batch([np.array([["a"]])])
    with pytest.raises(TypeError, match=r"sequences\[1\] must hold real numbers .* complex128"):
        pad_batch([np.zeros((2, 1)), np.zeros((2, 1), complex)])


@pytest.mark.parametrize("maxlen", [0, -3])
def test_pad_batch_rejects_bad_maxlen(maxlen):
    with pytest.raises(ValueError, match=r"maxlen must be an int >= 1, got -?\d; pass maxlen=None"):
        pad_batch([np.zeros((2, 1))], maxlen=maxlen)


@pytest.mark.parametrize("maxlen", [2.5, True, "3"])
def test_pad_batch_rejects_non_int_maxlen_with_a_type_error(maxlen):
    # Regression: a non-int maxlen raised ValueError, where a non-int length raises TypeError.
    with pytest.raises(TypeError, match=r"maxlen must be an int >= 1, got "):
        pad_batch([np.zeros((2, 1))], maxlen=maxlen)


@pytest.mark.parametrize("option", ["side", "truncate"])
def test_pad_batch_rejects_bad_side_or_truncate(option):
    with pytest.raises(ValueError, match=rf"{option} must be one of 'post', 'pre', got 'left'"):
        pad_batch([np.zeros((2, 1))], **{option: "left"})
    with pytest.raises(TypeError, match=rf"{option} must be one of 'post', 'pre', got int 1"):
        pad_batch([np.zeros((2, 1))], **{option: 1})


def test_pad_batch_rejects_a_non_numeric_pad_value():
    with pytest.raises(TypeError, match=r"pad_value must be a real number, got str 'x'"):
        pad_batch([np.zeros((2, 1))], pad_value="x")
    with pytest.raises(ValueError, match=r"pad_value must be a finite number, got nan; pass pad_value as a finite number"):
        pad_batch([np.zeros((2, 1))], pad_value=float("nan"))

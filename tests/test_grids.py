"""Tests for seqshape.grids: grid sequences, flattening per step, and the three model builders."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from seqshape.grids import (
    GRID_AXES,
    build_cnn_lstm,
    build_convlstm,
    build_flatten_lstm,
    flatten_grid,
    require_grid_sequence,
    unflatten_grid,
)

grid_shapes = st.tuples(*(st.integers(1, 5) for _ in GRID_AXES))


# --- require_grid_sequence -------------------------------------------------------------------


def test_require_returns_same_array_without_copy() -> None:
    x = np.zeros((2, 3, 4, 5, 1), dtype=np.float32)
    assert require_grid_sequence(x, channels=1) is x


def test_require_accepts_lists() -> None:
    out = require_grid_sequence([[[[[1.0]]]]])
    assert out.shape == (1, 1, 1, 1, 1)


def test_require_rejects_non_numeric() -> None:
    with pytest.raises(TypeError, match=r"x must hold real numbers \(bool, int or float\), got dtype <U1"):
        require_grid_sequence(np.full((1, 1, 1, 1, 1), "a"))


def test_require_4d_missing_channels() -> None:
    with pytest.raises(ValueError, match=r"got 4-D shape \(32, 10, 16, 16\): the channels axis is missing; .*x\[\.\.\., np\.newaxis\] \(shape \(32, 10, 16, 16, 1\)\)"):
        require_grid_sequence(np.zeros((32, 10, 16, 16)))


def test_require_4d_missing_samples_guessed_from_rgb() -> None:
    with pytest.raises(ValueError, match=r"got 4-D shape \(10, 16, 16, 3\): the samples axis is missing; .*x\[np\.newaxis\] \(shape \(1, 10, 16, 16, 3\)\)"):
        require_grid_sequence(np.zeros((10, 16, 16, 3)))


def test_require_4d_channels_argument_decides() -> None:
    # (100, 2, 3, 1) could be 100 steps of 2 x 3 single-channel grids: channels=1 says so.
    with pytest.raises(ValueError, match="the samples axis is missing"):
        require_grid_sequence(np.zeros((100, 2, 3, 1)), channels=1)
    # With channels=3 the same last axis of size 1 cannot be channels.
    with pytest.raises(ValueError, match="the channels axis is missing"):
        require_grid_sequence(np.zeros((100, 2, 3, 1)), channels=3)


def test_require_3d_names_unflatten_grid() -> None:
    with pytest.raises(ValueError, match=r"got 3-D shape \(40, 100, 6\): two axes are missing.*unflatten_grid\(frames, grid=\(height, width\)\)"):
        require_grid_sequence(np.zeros((40, 100, 6)), name="frames")


def test_require_2d_is_one_grid() -> None:
    with pytest.raises(ValueError, match=r"got 2-D shape \(16, 16\): that is at most one grid"):
        require_grid_sequence(np.zeros((16, 16)))


def test_require_6d_axis_too_many() -> None:
    with pytest.raises(ValueError, match=r"got 6-D shape .*: 1 axis too many"):
        require_grid_sequence(np.zeros((2, 3, 4, 5, 6, 1)))


def test_require_empty_axis() -> None:
    with pytest.raises(ValueError, match=r"every axis needs at least one value, got shape \(0, 3, 4, 4, 1\) \(empty: samples\)"):
        require_grid_sequence(np.zeros((0, 3, 4, 4, 1)))


def test_require_wrong_channel_count_suggests_moveaxis() -> None:
    with pytest.raises(ValueError, match=r"expected 3 channel\(s\) .* got shape \(2, 5, 3, 16, 16\).*np\.moveaxis\(x, 2, -1\)"):
        require_grid_sequence(np.zeros((2, 5, 3, 16, 16)), channels=3)


# --- flatten_grid / unflatten_grid -----------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(hnp.arrays(np.float32, grid_shapes, elements=st.floats(-1, 1, width=32)))
def test_flatten_unflatten_round_trip(x: np.ndarray) -> None:
    flat = flatten_grid(x)
    n, t, h, w, c = x.shape
    assert flat.shape == (n, t, h * w * c)
    np.testing.assert_array_equal(unflatten_grid(flat, grid=(h, w, c)), x)
    if c == flat.shape[-1] // (h * w):
        np.testing.assert_array_equal(unflatten_grid(flat, grid=(h, w)), x)


@settings(max_examples=50, deadline=None)
@given(grid_shapes, st.data())
def test_flatten_keeps_samples_and_time_aligned(shape: tuple[int, ...], data: st.DataObject) -> None:
    # Feature (h * W + w) * C + c of step t of sample i is pixel (h, w), channel c of that step.
    x = np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)
    n, t, h, w, c = shape
    i, s = data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, t - 1))
    r, col, ch = data.draw(st.integers(0, h - 1)), data.draw(st.integers(0, w - 1)), data.draw(st.integers(0, c - 1))
    assert flatten_grid(x)[i, s, (r * w + col) * c + ch] == x[i, s, r, col, ch]


def test_flatten_is_a_view_of_contiguous_input() -> None:
    x = np.zeros((2, 3, 4, 4, 1))
    assert np.shares_memory(flatten_grid(x), x)


def test_views_are_read_only_and_copies_writeable() -> None:
    # Regression: flatten_grid and unflatten_grid returned writeable views (writing changed x).
    x = np.zeros((2, 3, 4, 4, 1))
    flat = flatten_grid(x)
    grid = unflatten_grid(flat, grid=(4, 4))
    for view in (flat, grid):
        assert np.shares_memory(view, x) and not view.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            view[0, 0, 0] = 1.0
    assert x.flags.writeable and not x.any()  # the input itself is untouched and still writeable
    fortran = np.asfortranarray(x)
    copy = flatten_grid(fortran)
    assert not np.shares_memory(copy, fortran) and copy.flags.writeable
    # Splitting the last axis of a Fortran-ordered array is still a view, so read-only.
    flat_f = np.asfortranarray(flat)
    split = unflatten_grid(flat_f, grid=(4, 4))
    assert np.shares_memory(split, flat_f) and not split.flags.writeable


def test_flatten_rejects_4d_with_rank_message() -> None:
    with pytest.raises(ValueError, match="the channels axis is missing"):
        flatten_grid(np.zeros((2, 3, 16, 16)))


def test_unflatten_rejects_non_numeric() -> None:
    with pytest.raises(TypeError, match=r"x must hold real numbers .* got dtype object"):
        unflatten_grid(np.full((1, 1, 4), None), grid=(2, 2))


def test_unflatten_rejects_wrong_rank() -> None:
    with pytest.raises(ValueError, match=r"expected 3-D input \(samples, timesteps, features\), got 5-D shape .*; it already has a grid per step"):
        unflatten_grid(np.zeros((1, 2, 2, 2, 1)), grid=(2, 2))


@pytest.mark.parametrize("grid", [(2,), (2, 2, 1, 1), (0, 2)])
def test_unflatten_rejects_bad_grid(grid: object) -> None:
    with pytest.raises(ValueError, match=r"grid must be \(height, width\) or \(height, width, channels\)"):
        unflatten_grid(np.zeros((1, 2, 4)), grid=grid)  # type: ignore[arg-type]


@pytest.mark.parametrize("grid", [(2.0, 2), "ab", (True, 2), 4])
def test_unflatten_rejects_a_grid_of_non_ints_with_a_type_error(grid: object) -> None:
    with pytest.raises(TypeError, match=r"grid must be \(height, width\) or .* e\.g\. grid=\(16, 16\)"):
        unflatten_grid(np.zeros((1, 2, 4)), grid=grid)  # type: ignore[arg-type]


@pytest.mark.parametrize(("features", "grid"), [(7, (2, 3)), (12, (2, 3, 1))])
def test_unflatten_rejects_grid_that_does_not_fit(features: int, grid: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match=rf"holds \d+ values per step, but x has {features} features per step"):
        unflatten_grid(np.zeros((1, 2, features)), grid=grid)


def test_unflatten_basic_motions_layout() -> None:
    # Channels 0-2 are the accelerometer, 3-5 the gyroscope: row 0 and row 1 of the 2 x 3 grid.
    x = np.arange(6, dtype=np.float32).reshape(1, 1, 6)
    grid = unflatten_grid(x, grid=(2, 3))
    assert grid.shape == (1, 1, 2, 3, 1)
    assert grid[0, 0, :, :, 0].tolist() == [[0, 1, 2], [3, 4, 5]]


def test_module_import_does_not_import_tensorflow() -> None:
    code = "import sys, seqshape.grids; print('tensorflow' in sys.modules or 'keras' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- model builders --------------------------------------------------------------------------

BUILDERS = [build_flatten_lstm, build_cnn_lstm, build_convlstm]


@pytest.mark.parametrize("builder", BUILDERS)
@pytest.mark.parametrize("channels", [1, 3])
def test_builders_share_the_input_contract(builder, channels: int) -> None:
    model = builder((5, 8, 8, channels), n_outputs=4)
    assert model.input_shape == (None, 5, 8, 8, channels)
    assert model.output_shape == (None, 4)


@pytest.mark.parametrize("builder", BUILDERS)
def test_builders_accept_variable_timesteps(builder) -> None:
    model = builder((None, 8, 8, 1), n_outputs=2)
    for steps in (3, 7):
        out = model.predict(np.zeros((2, steps, 8, 8, 1), dtype="float32"), verbose=0)
        assert out.shape == (2, 2)


def test_lstm_input_shapes_follow_the_documented_formulas() -> None:
    flat = build_flatten_lstm((5, 16, 12, 3), n_outputs=4)
    assert flat.get_layer("lstm").input.shape == (None, 5, 16 * 12 * 3)
    cnn = build_cnn_lstm((5, 16, 12, 3), n_outputs=4, filters=6, pool_size=4)
    assert cnn.get_layer("lstm").input.shape == (None, 5, (16 // 4) * (12 // 4) * 6)
    conv = build_convlstm((5, 16, 12, 3), n_outputs=4, filters=6)
    assert conv.get_layer("convlstm").output.shape == (None, 16, 12, 6)


def test_parameter_counts_follow_the_documented_formulas() -> None:
    units, features, filters, k, c = 16, 16 * 16 * 1, 8, 3, 1
    flat = build_flatten_lstm((5, 16, 16, c), n_outputs=4, units=units)
    assert flat.get_layer("lstm").count_params() == 4 * units * (features + units + 1)
    conv = build_convlstm((5, 16, 16, c), n_outputs=4, filters=filters, kernel_size=k)
    assert conv.get_layer("convlstm").count_params() == 4 * filters * (k * k * (c + filters) + 1)


def test_regression_head_without_activation() -> None:
    model = build_convlstm((3, 4, 4, 1), n_outputs=1, output_activation=None)
    assert model.get_layer("output").activation.__name__ == "linear"


@pytest.mark.parametrize("builder", BUILDERS)
def test_builders_hint_at_missing_channels(builder) -> None:
    with pytest.raises(ValueError, match=r"got \(5, 16, 16\); for single-channel grids add channels=1: \(5, 16, 16, 1\)"):
        builder((5, 16, 16), n_outputs=4)


@pytest.mark.parametrize("builder", BUILDERS)
def test_builders_hint_at_batch_axis(builder) -> None:
    with pytest.raises(ValueError, match=r"leave out the samples \(batch\) axis: \(5, 16, 16, 1\)"):
        builder((32, 5, 16, 16, 1), n_outputs=4)


def test_builders_reject_non_sequence_shape() -> None:
    with pytest.raises(ValueError, match="input_shape must be \\(timesteps, height, width, channels\\)"):
        build_flatten_lstm(5, n_outputs=4)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("shape", "axis"), [((5, 16, 16, 0), r"input_shape\[3\] \(channels\)"), ((0, 16, 16, 1), r"input_shape\[0\] \(timesteps\)")]
)
def test_builders_reject_bad_sizes(shape: tuple, axis: str) -> None:
    with pytest.raises(ValueError, match=rf"{axis} must be an int >= 1, got 0"):
        build_convlstm(shape, n_outputs=4)


@pytest.mark.parametrize(
    ("shape", "axis"), [((5, None, 16, 1), r"input_shape\[1\] \(height\)"), ((5, 16, 16, 1.5), r"input_shape\[3\] \(channels\)")]
)
def test_builders_reject_non_int_sizes_with_a_type_error(shape: tuple, axis: str) -> None:
    with pytest.raises(TypeError, match=rf"{axis} must be an int >= 1, got (NoneType None|float 1.5)"):
        build_convlstm(shape, n_outputs=4)


@pytest.mark.parametrize("builder", BUILDERS)
def test_builders_reject_bad_n_outputs(builder) -> None:
    with pytest.raises(ValueError, match="n_outputs must be an int >= 1, got 0"):
        builder((5, 8, 8, 1), n_outputs=0)


@pytest.mark.parametrize("builder", BUILDERS)
@pytest.mark.parametrize("n_outputs", [2.0, True, "4"])
def test_builders_reject_non_int_n_outputs_with_a_type_error(builder, n_outputs: object) -> None:
    # Regression: a non-int n_outputs raised ValueError, where a non-int length raises TypeError.
    with pytest.raises(TypeError, match="n_outputs must be an int >= 1, got "):
        builder((5, 8, 8, 1), n_outputs=n_outputs)


def test_cnn_lstm_rejects_pool_larger_than_grid() -> None:
    with pytest.raises(ValueError, match=r"pool_size must be an int in \[1, 2\], got 3; the grids are 2 x 3"):
        build_cnn_lstm((100, 2, 3, 1), n_outputs=4, pool_size=3)


@pytest.mark.slow
def test_convlstm_learns_direction_of_motion() -> None:
    # A bright pixel moves right or left along a row: one frame alone cannot tell which.
    rng = np.random.default_rng(0)
    n, t, side = 128, 4, 6
    x = np.zeros((n, t, side, side, 1), dtype="float32")
    y = rng.integers(0, 2, n)
    rows, cols = rng.integers(0, side, n), rng.integers(0, side - t + 1, n)
    for i in range(n):
        for s in range(t):
            col = cols[i] + s if y[i] == 0 else cols[i] + t - 1 - s
            x[i, s, rows[i], col, 0] = 1.0
    import keras

    keras.utils.set_random_seed(0)
    model = build_convlstm((t, side, side, 1), n_outputs=2, filters=4)
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x[:96], y[:96], validation_data=(x[96:], y[96:]), epochs=15, batch_size=32, verbose=0)
    accuracy = model.evaluate(x[96:], y[96:], verbose=0)[1]
    assert accuracy > 0.8  # chance is 0.5

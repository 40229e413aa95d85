"""Tests for seqshape.models: the shared input contract, parameter counts, documented errors."""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from seqshape.models import (  # noqa: E402  (after the importorskip guard)
    BUILDERS,
    build_bilstm,
    build_conv1d,
    build_dense,
    build_gru,
    build_lstm,
    build_model,
)

FAMILIES = list(BUILDERS)


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize(("timesteps", "features", "outputs"), [(1, 5, 1), (12, 2, 3)])
def test_shared_contract(family: str, timesteps: int, features: int, outputs: int) -> None:
    model = build_model(family, timesteps, features, units=4, n_outputs=outputs)
    assert model.input_shape == (None, timesteps, features)
    assert model.output_shape == (None, outputs)
    x = np.random.default_rng(0).normal(size=(3, timesteps, features)).astype("float32")
    assert model.predict(x, verbose=0).shape == (3, outputs)


@pytest.mark.parametrize("family", FAMILIES)
def test_same_keyword_signature(family: str) -> None:
    model = BUILDERS[family](6, 1, units=4, n_outputs=2)
    assert model.output_shape == (None, 2)


def test_parameter_counts_follow_documented_formulas() -> None:
    t, f, u, o = 10, 3, 8, 2
    assert build_dense(t, f, units=u, n_outputs=o).count_params() == (t * f + 1) * u + (u + 1) * o
    assert build_lstm(t, f, units=u, n_outputs=o).count_params() == 4 * u * (f + u + 1) + o * (u + 1)
    assert build_gru(t, f, units=u, n_outputs=o).count_params() == 3 * u * (f + u + 2) + o * (u + 1)
    h = u // 2
    assert build_bilstm(t, f, units=u, n_outputs=o).count_params() == 2 * 4 * h * (f + h + 1) + o * (2 * h + 1)


def test_recurrent_and_conv_sizes_do_not_grow_with_timesteps() -> None:
    for builder in (build_conv1d, build_lstm, build_gru, build_bilstm):
        assert builder(8, 2).count_params() == builder(80, 2).count_params()
    assert build_dense(80, 2).count_params() > build_dense(8, 2).count_params()


def test_conv1d_is_causal() -> None:
    # Changing the last input step must not change what the model saw of earlier steps:
    # the per-step features at position k depend only on steps <= k.
    keras.utils.set_random_seed(0)
    model = build_conv1d(10, 1, units=4)
    conv_out = keras.Model(model.inputs, model.layers[2].output)  # second Conv1D, all steps
    x = np.random.default_rng(1).normal(size=(1, 10, 1)).astype("float32")
    y = x.copy()
    y[0, -1, 0] += 5.0
    a, b = conv_out.predict(x, verbose=0), conv_out.predict(y, verbose=0)
    np.testing.assert_array_equal(a[:, :-1], b[:, :-1])
    assert not np.array_equal(a[:, -1], b[:, -1])


def test_models_train_and_reduce_loss() -> None:
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 6, 1)).astype("float32")
    y = x[:, -1, :] * 2.0
    model = build_gru(6, 1, units=4)
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
    history = model.fit(x, y, epochs=15, batch_size=16, verbose=0, validation_data=(x, y))
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]


def test_unknown_family_raises() -> None:
    with pytest.raises(ValueError, match=r"family must be one of 'bilstm', 'conv1d', 'dense', 'gru', 'lstm', got 'rnn'"):
        build_model("rnn", 10, 1)


@pytest.mark.parametrize("family", FAMILIES)
def test_non_positive_arguments_raise(family: str) -> None:
    with pytest.raises(ValueError, match=r"timesteps must be an int >= 1, got 0; use timesteps=1 or more"):
        build_model(family, 0, 1)
    with pytest.raises(ValueError, match=r"units must be an int >= 1, got -1"):
        build_model(family, 4, 1, units=-1)


@pytest.mark.parametrize("family", FAMILIES)
def test_non_int_arguments_raise(family: str) -> None:
    with pytest.raises(TypeError, match=r"features must be an int >= 1, got float 2.0"):
        build_model(family, 4, 2.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"n_outputs must be an int >= 1, got bool True"):
        build_model(family, 4, 1, n_outputs=True)
    with pytest.raises(TypeError, match=r"family must be one of .* got int 3"):
        build_model(3, 4, 1)  # type: ignore[arg-type]


@pytest.mark.parametrize("old", ["dense_model", "conv1d_model", "lstm_model", "gru_model", "bilstm_model"])
def test_old_builder_names_are_deprecated_aliases(old: str) -> None:
    import seqshape.models as models

    new = getattr(models, "build_" + old.removesuffix("_model"))
    with pytest.warns(DeprecationWarning, match=rf"{old} is deprecated: .* use {new.__name__}"):
        model = getattr(models, old)(6, 2, units=4)
    assert model.count_params() == new(6, 2, units=4).count_params()


def test_outputs_is_a_deprecated_alias_of_n_outputs() -> None:
    with pytest.warns(DeprecationWarning, match=r"outputs= is deprecated: .* use n_outputs="):
        model = build_model("gru", 6, 1, units=4, outputs=3)
    assert model.output_shape == (None, 3)
    with pytest.warns(DeprecationWarning, match=r"outputs= is deprecated"):
        assert build_lstm(6, 1, units=4, outputs=2).output_shape == (None, 2)


def test_conv1d_kernel_size_raises() -> None:
    with pytest.raises(ValueError, match=r"kernel_size must be an int >= 1, got 0"):
        build_conv1d(4, 1, kernel_size=0)


def test_bilstm_needs_two_units() -> None:
    with pytest.raises(ValueError, match=r"units must be an int >= 2 for build_bilstm"):
        build_bilstm(4, 1, units=1)


def test_numpy_integers_are_accepted() -> None:
    # Shapes often come from array arithmetic as np.int64.
    model = build_model("conv1d", np.int64(8), np.int64(2), units=np.int64(4))
    assert model.input_shape == (None, 8, 2)

"""Tests for seqshape.models: the shared input contract, parameter counts, documented errors."""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from seqshape.models import (  # noqa: E402  (after the importorskip guard)
    BUILDERS,
    bilstm_model,
    build_model,
    conv1d_model,
    dense_model,
    gru_model,
    lstm_model,
)

FAMILIES = list(BUILDERS)


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize(("timesteps", "features", "outputs"), [(1, 5, 1), (12, 2, 3)])
def test_shared_contract(family: str, timesteps: int, features: int, outputs: int) -> None:
    model = build_model(family, timesteps, features, units=4, outputs=outputs)
    assert model.input_shape == (None, timesteps, features)
    assert model.output_shape == (None, outputs)
    x = np.random.default_rng(0).normal(size=(3, timesteps, features)).astype("float32")
    assert model.predict(x, verbose=0).shape == (3, outputs)


@pytest.mark.parametrize("family", FAMILIES)
def test_same_keyword_signature(family: str) -> None:
    model = BUILDERS[family](6, 1, units=4, outputs=2)
    assert model.output_shape == (None, 2)


def test_parameter_counts_follow_documented_formulas() -> None:
    t, f, u, o = 10, 3, 8, 2
    assert dense_model(t, f, units=u, outputs=o).count_params() == (t * f + 1) * u + (u + 1) * o
    assert lstm_model(t, f, units=u, outputs=o).count_params() == 4 * u * (f + u + 1) + o * (u + 1)
    assert gru_model(t, f, units=u, outputs=o).count_params() == 3 * u * (f + u + 2) + o * (u + 1)
    h = u // 2
    assert bilstm_model(t, f, units=u, outputs=o).count_params() == 2 * 4 * h * (f + h + 1) + o * (2 * h + 1)


def test_recurrent_and_conv_sizes_do_not_grow_with_timesteps() -> None:
    for builder in (conv1d_model, lstm_model, gru_model, bilstm_model):
        assert builder(8, 2).count_params() == builder(80, 2).count_params()
    assert dense_model(80, 2).count_params() > dense_model(8, 2).count_params()


def test_conv1d_is_causal() -> None:
    # Changing the last input step must not change what the model saw of earlier steps:
    # the per-step features at position k depend only on steps <= k.
    keras.utils.set_random_seed(0)
    model = conv1d_model(10, 1, units=4)
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
    model = gru_model(6, 1, units=4)
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
    history = model.fit(x, y, epochs=15, batch_size=16, verbose=0, validation_data=(x, y))
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]


def test_unknown_family_raises() -> None:
    with pytest.raises(ValueError, match=r"family must be one of \['bilstm', 'conv1d', 'dense', 'gru', 'lstm'\], got 'rnn'"):
        build_model("rnn", 10, 1)


@pytest.mark.parametrize("family", FAMILIES)
def test_non_positive_arguments_raise(family: str) -> None:
    with pytest.raises(ValueError, match=r"timesteps must be >= 1, got 0"):
        build_model(family, 0, 1)
    with pytest.raises(ValueError, match=r"units must be >= 1, got -1"):
        build_model(family, 4, 1, units=-1)


@pytest.mark.parametrize("family", FAMILIES)
def test_non_int_arguments_raise(family: str) -> None:
    with pytest.raises(TypeError, match=r"features must be a positive int, got 2.0 of type float"):
        build_model(family, 4, 2.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"outputs must be a positive int, got True"):
        build_model(family, 4, 1, outputs=True)


def test_conv1d_kernel_size_raises() -> None:
    with pytest.raises(ValueError, match=r"kernel_size must be >= 1, got 0"):
        conv1d_model(4, 1, kernel_size=0)


def test_bilstm_needs_two_units() -> None:
    with pytest.raises(ValueError, match=r"units must be >= 2 for bilstm_model"):
        bilstm_model(4, 1, units=1)


def test_numpy_integers_are_accepted() -> None:
    # Shapes often come from array arithmetic as np.int64.
    model = build_model("conv1d", np.int64(8), np.int64(2), units=np.int64(4))
    assert model.input_shape == (None, 8, 2)

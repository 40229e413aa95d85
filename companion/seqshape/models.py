"""Small Keras forecasters that share one input contract, for comparing layers like with like.

Every builder takes the same arguments, ``(timesteps, features, *, units=16, outputs=1)``, starts
from ``keras.Input(shape=(timesteps, features))`` and ends with ``keras.layers.Dense(outputs)``,
so only the layer in the middle changes between families:

==================  ===================================================================
family              what reads the window ``(batch, timesteps, features)``
==================  ===================================================================
``"dense"``         ``Flatten`` then ``Dense(units, relu)``: every step is a separate input
``"conv1d"``        two causal ``Conv1D`` layers; the last step and the average feed the head
``"lstm"``          ``LSTM(units)``: reads the steps in order, keeps the last state
``"gru"``           ``GRU(units)``: like LSTM with fewer gates and parameters
``"bilstm"``        ``Bidirectional(LSTM(units // 2))``: reads the window both ways
==================  ===================================================================

A table of engineered features (lags, rolling means) of shape ``(samples, n_features)`` enters
the ``"dense"`` builder as a window of one step: ``table[:, None, :]`` with ``timesteps=1``.

The builders return uncompiled models: compile them with the loss and optimizer you want.
This module imports Keras (and so TensorFlow) when it is imported.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

import keras

__all__ = [
    "BUILDERS",
    "bilstm_model",
    "build_model",
    "conv1d_model",
    "dense_model",
    "gru_model",
    "lstm_model",
]


def _check_positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive int, got {value!r} of type {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return int(value)


def _check_contract(timesteps: int, features: int, units: int, outputs: int) -> None:
    for value, name in ((timesteps, "timesteps"), (features, "features"), (units, "units"), (outputs, "outputs")):
        _check_positive_int(value, name)


def dense_model(
    timesteps: int, features: int, *, units: int = 16, outputs: int = 1, name: str = "dense"
) -> keras.Model:
    """A multilayer perceptron on the flattened window (or on a one-step table of features).

    Parameters
    ----------
    timesteps : int
        Steps per input window; 1 for a table of lag and rolling features.
    features : int
        Values per step.
    units : int, optional
        Width of the hidden ``Dense`` layer. Default 16.
    outputs : int, optional
        Values predicted per sample (e.g. the forecast horizon). Default 1.
    name : str, optional
        The model's name. Default ``"dense"``.

    Returns
    -------
    keras.Model
        Uncompiled; input ``(batch, timesteps, features)``, output ``(batch, outputs)``.
        ``(timesteps * features + 1) * units + (units + 1) * outputs`` parameters.

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If an argument is < 1.

    See Also
    --------
    conv1d_model : shares weights across steps, so its size does not grow with ``timesteps``.

    Notes
    -----
    The cheapest family to train. It ignores the order of the steps (any fixed permutation of
    the window trains the same), which is fine when the window is short and aligned.

    Examples
    --------
    >>> model = dense_model(48, 2, units=16)
    >>> model.input_shape, model.output_shape
    ((None, 48, 2), (None, 1))
    >>> model.count_params()
    1569
    """
    _check_contract(timesteps, features, units, outputs)
    return keras.Sequential(
        [
            keras.Input(shape=(timesteps, features)),
            keras.layers.Flatten(),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(outputs),
        ],
        name=name,
    )


def conv1d_model(
    timesteps: int,
    features: int,
    *,
    units: int = 16,
    outputs: int = 1,
    kernel_size: int = 3,
    name: str = "conv1d",
) -> keras.Model:
    """Two causal 1-D convolutions, then the last step and the window average, then a linear output.

    Parameters
    ----------
    timesteps : int
        Steps per input window, at least 1.
    features : int
        Values per step.
    units : int, optional
        Filters in each ``Conv1D`` layer. Default 16.
    outputs : int, optional
        Values predicted per sample. Default 1.
    kernel_size : int, optional
        Steps each filter spans. Default 3.
    name : str, optional
        The model's name. Default ``"conv1d"``.

    Returns
    -------
    keras.Model
        Uncompiled; input ``(batch, timesteps, features)``, output ``(batch, outputs)``.

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If an argument is < 1.

    See Also
    --------
    dense_model : the same idea without weight sharing.
    lstm_model : a state that can carry information across the whole window.

    Notes
    -----
    ``padding="causal"`` keeps ``timesteps`` and lets each output step see only the steps before
    it; the second layer is dilated (rate 2) so the receptive field covers
    ``3 * (kernel_size - 1) + 1`` steps. The head reads the last step's filters ("now") beside
    their average over the window ("level"). Fast on CPU: the convolutions run for all steps
    at once.

    Examples
    --------
    >>> model = conv1d_model(48, 2)
    >>> model.input_shape, model.output_shape
    ((None, 48, 2), (None, 1))
    """
    _check_contract(timesteps, features, units, outputs)
    _check_positive_int(kernel_size, "kernel_size")
    inputs = keras.Input(shape=(timesteps, features))
    h = keras.layers.Conv1D(units, kernel_size, padding="causal", activation="relu")(inputs)
    h = keras.layers.Conv1D(
        units, kernel_size, padding="causal", dilation_rate=2, activation="relu"
    )(h)
    last = keras.layers.Flatten()(keras.layers.Cropping1D((timesteps - 1, 0))(h))
    mean = keras.layers.GlobalAveragePooling1D()(h)
    h = keras.layers.Concatenate()([last, mean])
    return keras.Model(inputs, keras.layers.Dense(outputs)(h), name=name)


def lstm_model(
    timesteps: int, features: int, *, units: int = 16, outputs: int = 1, name: str = "lstm"
) -> keras.Model:
    """One ``LSTM`` layer that reads the window in time order; its last state feeds the output.

    Parameters
    ----------
    timesteps : int
        Steps per input window.
    features : int
        Values per step.
    units : int, optional
        Size of the LSTM state. Default 16.
    outputs : int, optional
        Values predicted per sample. Default 1.
    name : str, optional
        The model's name. Default ``"lstm"``.

    Returns
    -------
    keras.Model
        Uncompiled; input ``(batch, timesteps, features)``, output ``(batch, outputs)``.
        ``4 * units * (features + units + 1) + outputs * (units + 1)`` parameters.

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If an argument is < 1.

    See Also
    --------
    gru_model : three gates instead of four, about 3/4 of the parameters.
    bilstm_model : reads the window both ways.

    Notes
    -----
    Training time grows linearly with ``timesteps``: the steps are processed one after another.

    Examples
    --------
    >>> model = lstm_model(48, 2)
    >>> model.input_shape, model.output_shape
    ((None, 48, 2), (None, 1))
    >>> model.count_params()
    1233
    """
    _check_contract(timesteps, features, units, outputs)
    return keras.Sequential(
        [
            keras.Input(shape=(timesteps, features)),
            keras.layers.LSTM(units),
            keras.layers.Dense(outputs),
        ],
        name=name,
    )


def gru_model(
    timesteps: int, features: int, *, units: int = 16, outputs: int = 1, name: str = "gru"
) -> keras.Model:
    """One ``GRU`` layer that reads the window in time order; its last state feeds the output.

    Parameters
    ----------
    timesteps : int
        Steps per input window.
    features : int
        Values per step.
    units : int, optional
        Size of the GRU state. Default 16.
    outputs : int, optional
        Values predicted per sample. Default 1.
    name : str, optional
        The model's name. Default ``"gru"``.

    Returns
    -------
    keras.Model
        Uncompiled; input ``(batch, timesteps, features)``, output ``(batch, outputs)``.
        ``3 * units * (features + units + 2) + outputs * (units + 1)`` parameters (Keras'
        default ``reset_after=True`` keeps two bias vectors).

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If an argument is < 1.

    See Also
    --------
    lstm_model : one more gate and a separate cell state.

    Notes
    -----
    Sequential over ``timesteps`` like the LSTM, with about 3/4 of its work per step.

    Examples
    --------
    >>> model = gru_model(48, 2)
    >>> model.input_shape, model.output_shape
    ((None, 48, 2), (None, 1))
    >>> model.count_params()
    977
    """
    _check_contract(timesteps, features, units, outputs)
    return keras.Sequential(
        [
            keras.Input(shape=(timesteps, features)),
            keras.layers.GRU(units),
            keras.layers.Dense(outputs),
        ],
        name=name,
    )


def bilstm_model(
    timesteps: int, features: int, *, units: int = 16, outputs: int = 1, name: str = "bilstm"
) -> keras.Model:
    """A ``Bidirectional(LSTM)`` over the input window: one LSTM forwards, one backwards.

    Each direction gets ``units // 2`` cells, so the concatenated state has about ``units``
    values, like the other families.

    Parameters
    ----------
    timesteps : int
        Steps per input window.
    features : int
        Values per step.
    units : int, optional
        Total state size of the two directions, at least 2. Default 16.
    outputs : int, optional
        Values predicted per sample. Default 1.
    name : str, optional
        The model's name. Default ``"bilstm"``.

    Returns
    -------
    keras.Model
        Uncompiled; input ``(batch, timesteps, features)``, output ``(batch, outputs)``.

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If an argument is < 1, or ``units`` < 2.

    See Also
    --------
    lstm_model : one direction only.

    Notes
    -----
    Safe for forecasting *only* when the window ends before the target: reading the window
    backwards then still reads the past. If the sequence it reads contains the target's time
    step or later (a per-step label across the prediction point, or a window that overlaps the
    horizon), the backward pass carries the future into every earlier step: that is leakage.
    Costs about twice an LSTM of ``units // 2`` cells.

    Examples
    --------
    >>> model = bilstm_model(48, 2)
    >>> model.input_shape, model.output_shape
    ((None, 48, 2), (None, 1))
    """
    _check_contract(timesteps, features, units, outputs)
    if units < 2:
        raise ValueError(f"units must be >= 2 for bilstm_model (units // 2 per direction), got {units}")
    return keras.Sequential(
        [
            keras.Input(shape=(timesteps, features)),
            keras.layers.Bidirectional(keras.layers.LSTM(units // 2)),
            keras.layers.Dense(outputs),
        ],
        name=name,
    )


#: The builders by family name, in the order the book compares them.
BUILDERS: dict[str, Callable[..., keras.Model]] = {
    "dense": dense_model,
    "conv1d": conv1d_model,
    "lstm": lstm_model,
    "gru": gru_model,
    "bilstm": bilstm_model,
}


def build_model(
    family: str, timesteps: int, features: int, *, units: int = 16, outputs: int = 1
) -> keras.Model:
    """Build one of the model families by name, with the shared input contract.

    Parameters
    ----------
    family : {"dense", "conv1d", "lstm", "gru", "bilstm"}
        Which builder to call.
    timesteps : int
        Steps per input window.
    features : int
        Values per step.
    units : int, optional
        Hidden size passed to the builder. Default 16.
    outputs : int, optional
        Values predicted per sample. Default 1.

    Returns
    -------
    keras.Model
        Uncompiled; input ``(batch, timesteps, features)``, output ``(batch, outputs)``.

    Raises
    ------
    ValueError
        If ``family`` is not one of the names in :data:`BUILDERS`.

    See Also
    --------
    BUILDERS : the same builders as a dict, to loop over them.

    Examples
    --------
    >>> [build_model(f, 24, 1).output_shape for f in ("dense", "gru")]
    [(None, 1), (None, 1)]
    """
    if family not in BUILDERS:
        raise ValueError(f"family must be one of {sorted(BUILDERS)}, got {family!r}")
    return BUILDERS[family](timesteps, features, units=units, outputs=outputs)

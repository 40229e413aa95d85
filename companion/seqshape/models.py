"""Small Keras forecasters that share one input contract, for comparing layers like with like.

Every builder takes the same arguments, ``(timesteps, features, *, units=16, n_outputs=1)``,
starts from ``keras.Input(shape=(timesteps, features))`` and ends with
``keras.layers.Dense(n_outputs)``,
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

The builders return uncompiled models: compile them with the loss and optimizer you want. They
are named ``build_<family>``, like those of :mod:`seqshape.grids`; the earlier names
(``dense_model``, ``lstm_model``...) and the ``outputs=`` keyword still work for one release
and raise a :class:`DeprecationWarning`.
This module imports Keras (and so TensorFlow) when it is imported.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

import keras

from seqshape._validation import check_choice, check_int

__all__ = [
    "BUILDERS",
    "build_bilstm",
    "build_conv1d",
    "build_dense",
    "build_gru",
    "build_lstm",
    "build_model",
]


def _check_contract(timesteps: int, features: int, units: int, n_outputs: int | None, outputs: int | None) -> int:
    """Check the shared arguments; return ``n_outputs`` (``outputs`` is its deprecated name)."""
    if outputs is not None:
        warnings.warn(
            "outputs= is deprecated: the number of values predicted per sample is called "
            "n_outputs, as in seqshape.grids; use n_outputs=",
            DeprecationWarning,
            stacklevel=3,
        )
        n_outputs = outputs
    for value, name in ((timesteps, "timesteps"), (features, "features"), (units, "units")):
        check_int(value, name)
    return check_int(1 if n_outputs is None else n_outputs, "n_outputs")


def build_dense(
    timesteps: int,
    features: int,
    *,
    units: int = 16,
    n_outputs: int = 1,
    name: str = "dense",
    outputs: int | None = None,
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
    n_outputs : int, optional
        Values predicted per sample (e.g. the forecast horizon). Default 1.
    outputs : int, optional
        Deprecated name of ``n_outputs`` (it warns); removed in the next release.
    name : str, optional
        The model's name. Default ``"dense"``.

    Returns
    -------
    keras.Model
        Uncompiled; input ``(batch, timesteps, features)``, output ``(batch, n_outputs)``.
        ``(timesteps * features + 1) * units + (units + 1) * n_outputs`` parameters.

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If an argument is < 1.

    See Also
    --------
    build_conv1d : shares weights across steps, so its size does not grow with ``timesteps``.

    Notes
    -----
    The cheapest family to train. It ignores the order of the steps (any fixed permutation of
    the window trains the same), which is fine when the window is short and aligned.

    Examples
    --------
    >>> model = build_dense(48, 2, units=16)
    >>> model.input_shape, model.output_shape
    ((None, 48, 2), (None, 1))
    >>> model.count_params()
    1569
    """
    n_outputs = _check_contract(timesteps, features, units, n_outputs, outputs)
    return keras.Sequential(
        [
            keras.Input(shape=(timesteps, features)),
            keras.layers.Flatten(),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(n_outputs),
        ],
        name=name,
    )


def build_conv1d(
    timesteps: int,
    features: int,
    *,
    units: int = 16,
    n_outputs: int = 1,
    kernel_size: int = 3,
    name: str = "conv1d",
    outputs: int | None = None,
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
    n_outputs : int, optional
        Values predicted per sample. Default 1.
    kernel_size : int, optional
        Steps each filter spans. Default 3.
    outputs : int, optional
        Deprecated name of ``n_outputs`` (it warns); removed in the next release.
    name : str, optional
        The model's name. Default ``"conv1d"``.

    Returns
    -------
    keras.Model
        Uncompiled; input ``(batch, timesteps, features)``, output ``(batch, n_outputs)``.

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If an argument is < 1.

    See Also
    --------
    build_dense : the same idea without weight sharing.
    build_lstm : a state that can carry information across the whole window.

    Notes
    -----
    ``padding="causal"`` keeps ``timesteps`` and lets each output step see only the steps before
    it; the second layer is dilated (rate 2) so the receptive field covers
    ``3 * (kernel_size - 1) + 1`` steps. The head reads the last step's filters ("now") beside
    their average over the window ("level"). Fast on CPU: the convolutions run for all steps
    at once.

    Examples
    --------
    >>> model = build_conv1d(48, 2)
    >>> model.input_shape, model.output_shape
    ((None, 48, 2), (None, 1))
    """
    n_outputs = _check_contract(timesteps, features, units, n_outputs, outputs)
    kernel_size = check_int(kernel_size, "kernel_size")
    inputs = keras.Input(shape=(timesteps, features))
    h = keras.layers.Conv1D(units, kernel_size, padding="causal", activation="relu")(inputs)
    h = keras.layers.Conv1D(
        units, kernel_size, padding="causal", dilation_rate=2, activation="relu"
    )(h)
    last = keras.layers.Flatten()(keras.layers.Cropping1D((timesteps - 1, 0))(h))
    mean = keras.layers.GlobalAveragePooling1D()(h)
    h = keras.layers.Concatenate()([last, mean])
    return keras.Model(inputs, keras.layers.Dense(n_outputs)(h), name=name)


def build_lstm(
    timesteps: int,
    features: int,
    *,
    units: int = 16,
    n_outputs: int = 1,
    name: str = "lstm",
    outputs: int | None = None,
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
    n_outputs : int, optional
        Values predicted per sample. Default 1.
    outputs : int, optional
        Deprecated name of ``n_outputs`` (it warns); removed in the next release.
    name : str, optional
        The model's name. Default ``"lstm"``.

    Returns
    -------
    keras.Model
        Uncompiled; input ``(batch, timesteps, features)``, output ``(batch, n_outputs)``.
        ``4 * units * (features + units + 1) + n_outputs * (units + 1)`` parameters.

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If an argument is < 1.

    See Also
    --------
    build_gru : three gates instead of four, about 3/4 of the parameters.
    build_bilstm : reads the window both ways.

    Notes
    -----
    Training time grows linearly with ``timesteps``: the steps are processed one after another.

    Examples
    --------
    >>> model = build_lstm(48, 2)
    >>> model.input_shape, model.output_shape
    ((None, 48, 2), (None, 1))
    >>> model.count_params()
    1233
    """
    n_outputs = _check_contract(timesteps, features, units, n_outputs, outputs)
    return keras.Sequential(
        [
            keras.Input(shape=(timesteps, features)),
            keras.layers.LSTM(units),
            keras.layers.Dense(n_outputs),
        ],
        name=name,
    )


def build_gru(
    timesteps: int,
    features: int,
    *,
    units: int = 16,
    n_outputs: int = 1,
    name: str = "gru",
    outputs: int | None = None,
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
    n_outputs : int, optional
        Values predicted per sample. Default 1.
    outputs : int, optional
        Deprecated name of ``n_outputs`` (it warns); removed in the next release.
    name : str, optional
        The model's name. Default ``"gru"``.

    Returns
    -------
    keras.Model
        Uncompiled; input ``(batch, timesteps, features)``, output ``(batch, n_outputs)``.
        ``3 * units * (features + units + 2) + n_outputs * (units + 1)`` parameters (Keras'
        default ``reset_after=True`` keeps two bias vectors).

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If an argument is < 1.

    See Also
    --------
    build_lstm : one more gate and a separate cell state.

    Notes
    -----
    Sequential over ``timesteps`` like the LSTM, with about 3/4 of its work per step.

    Examples
    --------
    >>> model = build_gru(48, 2)
    >>> model.input_shape, model.output_shape
    ((None, 48, 2), (None, 1))
    >>> model.count_params()
    977
    """
    n_outputs = _check_contract(timesteps, features, units, n_outputs, outputs)
    return keras.Sequential(
        [
            keras.Input(shape=(timesteps, features)),
            keras.layers.GRU(units),
            keras.layers.Dense(n_outputs),
        ],
        name=name,
    )


def build_bilstm(
    timesteps: int,
    features: int,
    *,
    units: int = 16,
    n_outputs: int = 1,
    name: str = "bilstm",
    outputs: int | None = None,
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
    n_outputs : int, optional
        Values predicted per sample. Default 1.
    outputs : int, optional
        Deprecated name of ``n_outputs`` (it warns); removed in the next release.
    name : str, optional
        The model's name. Default ``"bilstm"``.

    Returns
    -------
    keras.Model
        Uncompiled; input ``(batch, timesteps, features)``, output ``(batch, n_outputs)``.

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If an argument is < 1, or ``units`` < 2.

    See Also
    --------
    build_lstm : one direction only.

    Notes
    -----
    Safe for forecasting *only* when the window ends before the target: reading the window
    backwards then still reads the past. If the sequence it reads contains the target's time
    step or later (a per-step label across the prediction point, or a window that overlaps the
    horizon), the backward pass carries the future into every earlier step: that is leakage.
    Two LSTMs of ``units // 2`` cells each hold ``4 * units * (features + units // 2 + 1)``
    weights (even ``units``), fewer than one LSTM of ``units`` cells; per epoch the benchmark
    measured about 1.3x that LSTM's time on TensorFlow (``benchmarks/results/layers.json``).

    Examples
    --------
    >>> model = build_bilstm(48, 2)
    >>> model.input_shape, model.output_shape
    ((None, 48, 2), (None, 1))
    """
    n_outputs = _check_contract(timesteps, features, units, n_outputs, outputs)
    if units < 2:
        raise ValueError(f"units must be an int >= 2 for build_bilstm (units // 2 per direction), got {units}; use units=2 or more")
    return keras.Sequential(
        [
            keras.Input(shape=(timesteps, features)),
            keras.layers.Bidirectional(keras.layers.LSTM(units // 2)),
            keras.layers.Dense(n_outputs),
        ],
        name=name,
    )


#: The builders by family name, in the order the book compares them.
BUILDERS: dict[str, Callable[..., keras.Model]] = {
    "dense": build_dense,
    "conv1d": build_conv1d,
    "lstm": build_lstm,
    "gru": build_gru,
    "bilstm": build_bilstm,
}


def build_model(
    family: str,
    timesteps: int,
    features: int,
    *,
    units: int = 16,
    n_outputs: int = 1,
    outputs: int | None = None,
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
    n_outputs : int, optional
        Values predicted per sample. Default 1.
    outputs : int, optional
        Deprecated name of ``n_outputs`` (it warns); removed in the next release.

    Returns
    -------
    keras.Model
        Uncompiled; input ``(batch, timesteps, features)``, output ``(batch, n_outputs)``.

    Raises
    ------
    TypeError
        If ``family`` is not a string, or a size is not an int.
    ValueError
        If ``family`` is not one of the names in :data:`BUILDERS`, or a size is < 1.

    See Also
    --------
    BUILDERS : the same builders as a dict, to loop over them.

    Examples
    --------
    >>> [build_model(f, 24, 1).output_shape for f in ("dense", "gru")]
    [(None, 1), (None, 1)]
    """
    family = check_choice(family, "family", sorted(BUILDERS))
    if outputs is not None:
        n_outputs = _check_contract(timesteps, features, units, n_outputs, outputs)
    return BUILDERS[family](timesteps, features, units=units, n_outputs=n_outputs)


def _deprecated(old: str, new: Callable[..., keras.Model]) -> Callable[..., keras.Model]:
    @functools.wraps(new)
    def alias(*args: Any, **kwargs: Any) -> keras.Model:
        warnings.warn(
            f"{old} is deprecated: the builders are named build_<family>, like seqshape.grids'; "
            f"use {new.__name__}",
            DeprecationWarning,
            stacklevel=2,
        )
        return new(*args, **kwargs)

    alias.__name__ = alias.__qualname__ = old
    alias.__doc__ = f"Deprecated name of :func:`{new.__name__}` (warns); removed in the next release."
    return alias


dense_model = _deprecated("dense_model", build_dense)
conv1d_model = _deprecated("conv1d_model", build_conv1d)
lstm_model = _deprecated("lstm_model", build_lstm)
gru_model = _deprecated("gru_model", build_gru)
bilstm_model = _deprecated("bilstm_model", build_bilstm)

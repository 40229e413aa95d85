"""A grid at every time step: ``(samples, timesteps, height, width, channels)``.

An LSTM reads ``(samples, timesteps, features)``: one feature *vector* per step. When every step
is a grid (an image frame, or sensors laid out in rows and columns), there are three ways in:

1. flatten each grid to a vector per step (:func:`flatten_grid`, :func:`build_flatten_lstm`);
2. run a small CNN on every step with ``TimeDistributed``, then an LSTM
   (:func:`build_cnn_lstm`);
3. use ``ConvLSTM2D``, whose gates are convolutions, so the grid layout survives through time
   (:func:`build_convlstm`).

All three builders take the same per-sample ``input_shape = (timesteps, height, width,
channels)``, so one array of shape ``(samples, timesteps, height, width, channels)`` feeds them
all. :func:`require_grid_sequence` checks that array and, when an axis is missing, says which one
and how to add it.

Importing this module does not import TensorFlow: the builders import Keras when called.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from seqshape._validation import as_array, check_int, check_ints, read_only_view

if TYPE_CHECKING:  # pragma: no cover - only for type checkers
    import keras

__all__ = [
    "GRID_AXES",
    "build_cnn_lstm",
    "build_convlstm",
    "build_flatten_lstm",
    "flatten_grid",
    "require_grid_sequence",
    "unflatten_grid",
]

#: Names of the five axes of a batch of grid sequences, in order.
GRID_AXES = ("samples", "timesteps", "height", "width", "channels")

_LAYOUT = "(samples, timesteps, height, width, channels)"


def require_grid_sequence(x: Any, *, channels: int | None = None, name: str = "x") -> np.ndarray:
    """Check that ``x`` is a batch of grid sequences, ``(samples, timesteps, height, width, channels)``.

    Parameters
    ----------
    x : array_like
        The data to check. An ``ndarray`` is returned as is (no copy).
    channels : int, optional
        The number of channels expected on the last axis (1 for grey frames, 3 for RGB). When
        given, it is checked, and it tells a missing samples axis from a missing channels axis
        in a 4-D array. Default None: any number.
    name : str, optional
        The argument name to use in error messages. Default ``"x"``.

    Returns
    -------
    numpy.ndarray
        ``x`` as an array of shape ``(samples, timesteps, height, width, channels)``.

    Raises
    ------
    TypeError
        If ``x`` is not numeric.
    ValueError
        If ``x`` does not have 5 axes (the message says which axis is missing and how to add
        it), if an axis is empty, or if the last axis does not hold ``channels`` values.

    See Also
    --------
    flatten_grid : turn the checked array into ``(samples, timesteps, features)`` for an LSTM.
    numpy.expand_dims : add a missing axis (``x[np.newaxis]`` and ``x[..., np.newaxis]`` do the same).

    Notes
    -----
    Costs nothing: only the shape is inspected. With ``channels=None``, a 4-D array whose last
    axis has 1, 3 or 4 values (and is smaller than the axis before it) is read as one sequence
    missing its samples axis; any other 4-D array as grids missing their channels axis. Both
    fixes are in the message.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.zeros((32, 10, 16, 16, 1), dtype="float32")
    >>> require_grid_sequence(x, channels=1).shape
    (32, 10, 16, 16, 1)
    >>> require_grid_sequence(x[..., 0])
    Traceback (most recent call last):
    ...
    ValueError: x: expected 5-D input (samples, timesteps, height, width, channels), got 4-D shape (32, 10, 16, 16): the channels axis is missing; ...
    """
    arr = as_array(x, name, layout=_LAYOUT)
    shape = tuple(arr.shape)
    head = f"{name}: expected 5-D input {_LAYOUT}, got {arr.ndim}-D shape {shape}"
    if arr.ndim == 4:
        last_is_channels = (
            shape[-1] == channels
            if channels is not None
            else shape[-1] in (1, 3, 4) and shape[-1] < shape[-2]
        )
        add_channels = f"add it with {name}[..., np.newaxis] (shape {(*shape, 1)})"
        add_samples = f"add it with {name}[np.newaxis] (shape {(1, *shape)})"
        if last_is_channels:
            raise ValueError(
                f"{head}: the samples axis is missing; for one sequence (timesteps, height, width, "
                f"channels) {add_samples}. If the last axis is the width instead, the channels "
                f"axis is missing: {add_channels}"
            )
        raise ValueError(
            f"{head}: the channels axis is missing; for single-channel grids {add_channels}. "
            f"If {name} is one sequence (timesteps, height, width, channels) instead, the samples "
            f"axis is missing: {add_samples}"
        )
    if arr.ndim == 3:
        raise ValueError(
            f"{head}: two axes are missing. If {name} holds flattened steps "
            f"(samples, timesteps, features), restore the grids with "
            f"unflatten_grid({name}, grid=(height, width)); if it is one single-channel sequence "
            f"(timesteps, height, width), use {name}[np.newaxis, ..., np.newaxis]"
        )
    if arr.ndim < 3:
        raise ValueError(
            f"{head}: that is at most one grid, not a sequence of grids; stack the frames "
            f"on a timesteps axis first (np.stack(frames)), then add the samples and channels axes"
        )
    if arr.ndim > 5:
        raise ValueError(
            f"{head}: {arr.ndim - 5} axis too many; if the first axes are (samples, windows, ...), "
            f"merge them with {name}.reshape(-1, *{name}.shape[2:])"
        )
    if 0 in shape:
        empty = [GRID_AXES[i] for i, n in enumerate(shape) if n == 0]
        raise ValueError(f"{name}: every axis needs at least one value, got shape {shape} (empty: {', '.join(empty)})")
    if channels is not None and shape[-1] != channels:
        raise ValueError(
            f"{name}: expected {channels} channel(s) on the last axis of {_LAYOUT}, got shape "
            f"{shape}; if the channels come first (samples, timesteps, channels, height, width), "
            f"move them last with np.moveaxis({name}, 2, -1)"
        )
    return arr


def flatten_grid(x: Any) -> np.ndarray:
    """Flatten the grid of every step into one feature vector: ready for an LSTM.

    Parameters
    ----------
    x : array_like
        Shape ``(samples, timesteps, height, width, channels)``.

    Returns
    -------
    numpy.ndarray
        Shape ``(samples, timesteps, height * width * channels)``. The samples and timesteps
        axes are kept; only each step's grid becomes a vector, in row-major order: feature
        ``(h * width + w) * channels + c`` is pixel ``(h, w)``, channel ``c``.

    Raises
    ------
    TypeError, ValueError
        As :func:`require_grid_sequence`: ``x`` must be numeric and 5-D.

    See Also
    --------
    unflatten_grid : the inverse, back to the grid layout.
    build_flatten_lstm : the same flattening done inside a model, as its first layer.

    Notes
    -----
    ``x.reshape``: a read-only view (no copy, no cost; writing to it would change ``x``) when
    ``x`` is C-contiguous, as arrays made by NumPy are; a new, writeable copy otherwise (for
    example after ``np.moveaxis``, or for Fortran-ordered input).
    Never ``x.reshape(samples, -1)``: that also flattens time, and an LSTM then sees no steps.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(2 * 3 * 4 * 5 * 1).reshape(2, 3, 4, 5, 1)
    >>> flatten_grid(x).shape
    (2, 3, 20)
    >>> np.shares_memory(flatten_grid(x), x)
    True
    """
    arr = require_grid_sequence(x)
    return read_only_view(arr.reshape(arr.shape[0], arr.shape[1], -1), x)


def unflatten_grid(x: Any, *, grid: Sequence[int]) -> np.ndarray:
    """Restore the grid of every step from flattened steps: the inverse of :func:`flatten_grid`.

    Parameters
    ----------
    x : array_like
        Shape ``(samples, timesteps, features)``.
    grid : sequence of int
        ``(height, width)``, then the channels are ``features // (height * width)``; or
        ``(height, width, channels)``.

    Returns
    -------
    numpy.ndarray
        Shape ``(samples, timesteps, height, width, channels)``, with
        ``height * width * channels == features``.

    Raises
    ------
    TypeError
        If ``x`` does not hold real numbers, or ``grid`` is not a sequence of ints.
    ValueError
        If ``x`` is not 3-D or has an empty axis, if ``grid`` is not 2 or 3 positive integers, or if the grid does
        not account for every feature (the message gives the number of features).

    See Also
    --------
    flatten_grid : the forward direction.

    Notes
    -----
    A read-only view when ``x`` is C-contiguous, a writeable copy otherwise, like
    :func:`flatten_grid`.

    Examples
    --------
    BasicMotions stores 6 channels per step: accelerometer x, y, z, then gyroscope x, y, z.
    Viewed as a grid, every step is 2 sensors x 3 axes with one channel:

    >>> import numpy as np
    >>> x = np.zeros((40, 100, 6), dtype="float32")
    >>> unflatten_grid(x, grid=(2, 3)).shape
    (40, 100, 2, 3, 1)
    >>> unflatten_grid(np.zeros((8, 5, 768)), grid=(16, 16)).shape
    (8, 5, 16, 16, 3)
    """
    arr = as_array(x, "x", layout="(samples, timesteps, features)")
    if arr.ndim != 3:
        raise ValueError(
            f"x: expected 3-D input (samples, timesteps, features), got {arr.ndim}-D shape "
            f"{tuple(arr.shape)}"
            + ("; it already has a grid per step" if arr.ndim == 5 else "")
        )
    if 0 in arr.shape:
        raise ValueError(
            f"x: every axis needs at least one value, got shape {tuple(arr.shape)}; drop empty "
            "batches before restoring the grids"
        )
    dims = check_ints(grid, "grid", lengths=(2, 3), expected="(height, width) or (height, width, channels) of "
                      "positive integers", fix="e.g. grid=(16, 16)")
    features = arr.shape[-1]
    area = int(np.prod(dims))
    if features % area or (len(dims) == 3 and features != area):
        raise ValueError(
            f"grid={tuple(int(d) for d in dims)} holds {area} values per step, but x has "
            f"{features} features per step (shape {tuple(arr.shape)}); "
            f"height * width * channels must equal {features}"
        )
    h, w = int(dims[0]), int(dims[1])
    c = int(dims[2]) if len(dims) == 3 else features // area
    return read_only_view(arr.reshape(arr.shape[0], arr.shape[1], h, w, c), x)


def _check_input_shape(input_shape: Any) -> tuple[int | None, int, int, int]:
    """Validate a per-sample ``(timesteps, height, width, channels)`` and return it as a tuple."""
    try:
        shape = tuple(input_shape)
    except TypeError:
        shape = None
    hint = ""
    if shape is not None and len(shape) == 3:
        hint = f"; for single-channel grids add channels=1: {(*shape, 1)}"
    elif shape is not None and len(shape) == 5:
        hint = f"; leave out the samples (batch) axis: {shape[1:]}"
    if shape is None or len(shape) != 4:
        raise ValueError(
            f"input_shape must be (timesteps, height, width, channels), one sample without the "
            f"samples axis, got {input_shape!r}{hint}"
        )

    t = None if shape[0] is None else check_int(shape[0], "input_shape[0] (timesteps)")
    h, w, c = (check_int(v, f"input_shape[{i}] ({axis})") for i, (v, axis) in
               enumerate(zip(shape[1:], ("height", "width", "channels"), strict=True), start=1))
    return t, h, w, c


def _head(n_outputs: int, output_activation: str | None) -> Any:
    import keras

    n_outputs = check_int(n_outputs, "n_outputs")
    return keras.layers.Dense(n_outputs, activation=output_activation, name="output")


def build_flatten_lstm(
    input_shape: Sequence[int | None],
    *,
    n_outputs: int,
    units: int = 16,
    output_activation: str | None = "softmax",
) -> keras.Model:
    """Flatten each step's grid to a vector, then an LSTM: the simplest way in.

    Parameters
    ----------
    input_shape : sequence of int
        One sample: ``(timesteps, height, width, channels)``; ``timesteps`` may be None.
    n_outputs : int
        Units of the output layer (the number of classes for a classifier).
    units : int, optional
        LSTM units. Default 16.
    output_activation : str or None, optional
        Activation of the output layer. Default ``"softmax"``; None for regression.

    Returns
    -------
    keras.Model
        Input ``(samples, timesteps, height, width, channels)``; after
        ``TimeDistributed(Flatten())`` the LSTM reads ``(samples, timesteps, height * width *
        channels)``; output ``(samples, n_outputs)``.

    Raises
    ------
    TypeError
        If a size (in ``input_shape``, ``n_outputs``, ``units``, ``filters``...) is not an int.
    ValueError
        If ``input_shape`` is not 4 values (with a hint when the channels or the samples axis
        is the problem), or a size is < 1.

    See Also
    --------
    flatten_grid : the same flattening in NumPy, to feed a plain LSTM yourself.
    build_cnn_lstm : when neighbouring cells matter and the grid is large.

    Notes
    -----
    Parameters grow with the grid: the LSTM has ``4 * units * (height * width * channels +
    units + 1)`` weights. Fine for small grids (a few sensors); for images the convolutional
    models below need far fewer.

    Examples
    --------
    >>> model = build_flatten_lstm((5, 16, 16, 1), n_outputs=4)
    >>> model.input_shape, model.output_shape
    ((None, 5, 16, 16, 1), (None, 4))
    >>> model.get_layer("lstm").input.shape
    (None, 5, 256)
    """
    import keras

    t, h, w, c = _check_input_shape(input_shape)
    head = _head(n_outputs, output_activation)
    units = check_int(units, "units")
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input(shape=(t, h, w, c), name="grids"),
            layers.TimeDistributed(layers.Flatten(), name="flatten_per_step"),
            layers.LSTM(units, name="lstm"),
            head,
        ],
        name="flatten_lstm",
    )


def build_cnn_lstm(
    input_shape: Sequence[int | None],
    *,
    n_outputs: int,
    filters: int = 8,
    kernel_size: int = 3,
    pool_size: int = 2,
    units: int = 16,
    output_activation: str | None = "softmax",
) -> keras.Model:
    """A small CNN applied to every step with ``TimeDistributed``, then an LSTM.

    Parameters
    ----------
    input_shape : sequence of int
        One sample: ``(timesteps, height, width, channels)``; ``timesteps`` may be None.
    n_outputs : int
        Units of the output layer.
    filters : int, optional
        Filters of the per-step ``Conv2D`` (``padding="same"``). Default 8.
    kernel_size : int, optional
        Its kernel size. Default 3.
    pool_size : int, optional
        ``MaxPooling2D`` size after the convolution; at most ``min(height, width)``. Default 2.
    units : int, optional
        LSTM units. Default 16.
    output_activation : str or None, optional
        Activation of the output layer. Default ``"softmax"``.

    Returns
    -------
    keras.Model
        Input ``(samples, timesteps, height, width, channels)``; the LSTM reads
        ``(samples, timesteps, (height // pool_size) * (width // pool_size) * filters)``;
        output ``(samples, n_outputs)``.

    Raises
    ------
    TypeError
        If a size (in ``input_shape``, ``n_outputs``, ``units``, ``filters``...) is not an int.
    ValueError
        If ``input_shape`` is not 4 values, a size is < 1, or ``pool_size`` is larger than
        the grid.

    See Also
    --------
    build_flatten_lstm : fewer moving parts when the grid is small or has no spatial order.
    build_convlstm : when the answer depends on *where* things move, not only on what each frame shows.

    Notes
    -----
    ``TimeDistributed`` runs the same convolution (the same weights) on each of the
    ``timesteps`` frames: the cost is ``timesteps`` times one image's, and the time axis is
    never flattened away. Wrapping ``Flatten`` too is what keeps the LSTM's 3-D input.

    Examples
    --------
    >>> model = build_cnn_lstm((5, 16, 16, 3), n_outputs=4)
    >>> model.input_shape, model.output_shape
    ((None, 5, 16, 16, 3), (None, 4))
    >>> model.get_layer("lstm").input.shape
    (None, 5, 512)
    """
    import keras

    t, h, w, c = _check_input_shape(input_shape)
    head = _head(n_outputs, output_activation)
    side = min(h, w)
    pool_size = check_int(pool_size, "pool_size", maximum=side,
                          fix=f"the grids are {h} x {w}: pool at most {side} x {side} cells")
    filters, kernel_size, units = (check_int(v, n) for v, n in
                                   ((filters, "filters"), (kernel_size, "kernel_size"), (units, "units")))
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input(shape=(t, h, w, c), name="grids"),
            layers.TimeDistributed(
                layers.Conv2D(filters, kernel_size, padding="same", activation="relu"),
                name="conv_per_step",
            ),
            layers.TimeDistributed(layers.MaxPooling2D(pool_size), name="pool_per_step"),
            layers.TimeDistributed(layers.Flatten(), name="flatten_per_step"),
            layers.LSTM(units, name="lstm"),
            head,
        ],
        name="cnn_lstm",
    )


def build_convlstm(
    input_shape: Sequence[int | None],
    *,
    n_outputs: int,
    filters: int = 8,
    kernel_size: int = 3,
    output_activation: str | None = "softmax",
) -> keras.Model:
    """``ConvLSTM2D``: an LSTM whose gates are convolutions, so every step stays a grid.

    Parameters
    ----------
    input_shape : sequence of int
        One sample: ``(timesteps, height, width, channels)``; ``timesteps`` may be None.
        (``ConvLSTM2D`` needs a fixed height and width.)
    n_outputs : int
        Units of the output layer.
    filters : int, optional
        Filters (state channels) of the ``ConvLSTM2D`` (``padding="same"``). Default 8.
    kernel_size : int, optional
        Its kernel size. Default 3.
    output_activation : str or None, optional
        Activation of the output layer. Default ``"softmax"``.

    Returns
    -------
    keras.Model
        Input ``(samples, timesteps, height, width, channels)``; the ``ConvLSTM2D`` returns its
        last state ``(samples, height, width, filters)``, ``GlobalMaxPooling2D`` reduces it to
        ``(samples, filters)``; output ``(samples, n_outputs)``.

    Raises
    ------
    TypeError
        If a size (in ``input_shape``, ``n_outputs``, ``units``, ``filters``...) is not an int.
    ValueError
        If ``input_shape`` is not 4 values (with a hint when the channels or samples axis is
        the problem), or a size is < 1.

    See Also
    --------
    build_cnn_lstm : usually faster to train per epoch on a CPU.
    keras.layers.ConvLSTM2D : ``return_sequences=True`` keeps a grid for every step (for
        frame-by-frame outputs).

    Notes
    -----
    Few weights (``4 * filters * (kernel_size**2 * (channels + filters) + 1)``, independent of
    the grid size), but every step runs two convolutions over the whole grid, in sequence:
    on a CPU it is the slowest of the three per epoch.

    Examples
    --------
    >>> model = build_convlstm((5, 16, 16, 1), n_outputs=4)
    >>> model.input_shape, model.output_shape
    ((None, 5, 16, 16, 1), (None, 4))
    >>> model.get_layer("convlstm").output.shape
    (None, 16, 16, 8)
    """
    import keras

    t, h, w, c = _check_input_shape(input_shape)
    head = _head(n_outputs, output_activation)
    filters, kernel_size = check_int(filters, "filters"), check_int(kernel_size, "kernel_size")
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input(shape=(t, h, w, c), name="grids"),
            layers.ConvLSTM2D(filters, kernel_size, padding="same", name="convlstm"),
            layers.GlobalMaxPooling2D(name="pool_over_grid"),
            head,
        ],
        name="convlstm",
    )

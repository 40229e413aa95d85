"""seqshape: shape data for Keras sequence models.

The companion package of the *seqshape* book. Each submodule covers one concept:

``seqshape.windows``
    Cut series into ``(samples, timesteps, ...)`` windows, pair them with targets, and map
    per-window values back onto the original time axis.
``seqshape.align``
    Stack, pad, mask and resample several series so they can be concatenated as features.
``seqshape.features``
    Lag and rolling features without leakage from the future.
``seqshape.models``
    Small Keras model builders that share one input contract.
``seqshape.plotting``
    Figures of tensor shapes, windows and training histories.
``seqshape.datasets``
    Offline loaders for the real data sets the chapters use.
``seqshape.grids``
    A grid (image or sensor layout) at every time step: rank checks, flattening, model builders.
``seqshape.anomaly``
    Per-window outputs on the timeline, thresholds, flags and conditional transforms.
``seqshape.diagnose``
    ``seqshape.diagnose(x, model)`` says in one sentence what to change in an array's shape.
``seqshape.check``
    ``python -m seqshape.check`` verifies an environment before a workshop.

Importing ``seqshape`` is cheap: submodules are loaded on first use, and the modules that only
need NumPy (``windows`` apart from ``WindowDataset``, ``align.resample``, ``features``) never
import TensorFlow.

**The array contract.** Every public function keeps these rules; a test feeds each array function every kind of input
below and checks them (``tests/test_matrix.py``).

Axes
    Time is axis 0 of a single series; a batch is ``(samples, timesteps, ...)``.
Inputs
    NumPy arrays of any layout (C or Fortran order, negative strides, slices, ``np.memmap``),
    Python lists and pandas Series/DataFrames, read with ``np.asarray`` (no copy for arrays).
Dtypes
    bool, integers and floats are accepted. Complex, object (mixed or ragged), text and
    datetime arrays raise ``TypeError``: the result would drop an imaginary part or guess a
    conversion. Results computed in floating point are float32 for float16/float32 input and
    float64 for bool, integer and float64 input; the dtype follows from the input dtypes alone,
    so NumPy 1 and NumPy 2 promotion rules give the same result.
Views and copies
    A result that shares memory with the input is a read-only view (writing to it would change
    the caller's data); every other result is a new, writeable array. Which one a function
    returns depends on its options and the input's layout, as its docstring says, never on the
    data's length: ``sliding_windows(remainder="pad")`` always returns a new array.
Values and lengths
    Where a NaN or inf would spread (``align.resample``'s filter) it is refused, naming the time
    steps; elsewhere NaN propagates as in NumPy. A function that needs a number of steps says
    so (``ValueError`` with the shape); none returns an empty or all-NaN result by accident.
Arguments
    The data first, options keyword-only. A count or size is an ``int`` (a bool or a float
    raises ``TypeError``, a value out of range ``ValueError``); a choice is a string (another
    type raises ``TypeError``, an unknown name ``ValueError``). Every message says what was
    expected, what was received (with the shape or type) and the fix, and names the argument.
Names
    One word per idea: ``length`` (steps per window; ``lengths`` for several rolling means),
    ``stride``, ``sampling_rate``, ``horizon``, ``target_length``, ``pad_value`` (the padding
    value of ``sliding_windows`` and ``pad_batch``), ``n_steps`` (steps of a series),
    ``timesteps`` (the time axis of a model input), ``n_outputs`` (values a model predicts per
    sample) and ``build_<family>`` (model builders). The names these replaced work for one more
    release and raise a ``DeprecationWarning``: ``pad_batch(value=)``,
    ``rolling_features(windows=)``, ``models.dense_model`` and the other ``*_model`` builders,
    and ``outputs=`` of the model builders.
Figures
    Every ``seqshape.plotting`` function takes ``ax=None`` (a new figure) or the Axes to draw
    on, and returns the Figure.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_SUBMODULES = ("windows", "align", "features", "models", "plotting", "datasets", "diagnose", "anomaly", "grids", "check", "distribute")

__all__ = ["__version__", *_SUBMODULES]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'seqshape' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)

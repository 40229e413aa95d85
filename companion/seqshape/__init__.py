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
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_SUBMODULES = ("windows", "align", "features", "models", "plotting", "datasets", "diagnose", "anomaly", "grids", "check")

__all__ = ["__version__", *_SUBMODULES]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'seqshape' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)

"""Figures for the book: tensor shapes, windows, alignment, anomalies and training histories.

Every figure in the book is drawn by a function here, so a reader can draw the same picture of
their own data. The functions live in one module per concept and are all importable from
``seqshape.plotting``:

``seqshape.plotting.windows``
    :func:`plot_windows`, :func:`plot_window_coverage`: which steps each window holds.
``seqshape.plotting.shapes``
    :func:`plot_tensor_shape`, :func:`plot_model_shapes`, :func:`plot_grid_clip`,
    :func:`plot_masks`: what an array or a model looks like, axis by axis.
``seqshape.plotting.anomalies``
    :func:`plot_flags`: flagged runs (:func:`seqshape.anomaly.events`) over the series.
``seqshape.plotting.training``
    :func:`plot_histories`, :func:`plot_tradeoffs`, :func:`plot_forecast_comparison`.
``seqshape.plotting.resampling``
    :func:`plot_aliasing`, :func:`plot_coverage`: rates and the steps where each feature has values.

One convention for all: the data first, options keyword-only, ``ax=None`` last. ``ax=None``
draws on a new figure; otherwise pass one ``Axes`` (or, for a figure of several panels, a
sequence of exactly that many). Every function returns the ``Figure`` it drew on and never
calls ``plt.show()``. Importing this package does not import TensorFlow.
"""

from __future__ import annotations

from seqshape.plotting.anomalies import plot_flags
from seqshape.plotting.resampling import plot_aliasing, plot_coverage
from seqshape.plotting.shapes import (
    plot_grid_clip,
    plot_masks,
    plot_model_shapes,
    plot_tensor_shape,
)
from seqshape.plotting.training import plot_forecast_comparison, plot_histories, plot_tradeoffs
from seqshape.plotting.windows import plot_window_coverage, plot_windows

__all__ = [
    "plot_aliasing",
    "plot_coverage",
    "plot_flags",
    "plot_forecast_comparison",
    "plot_grid_clip",
    "plot_histories",
    "plot_masks",
    "plot_model_shapes",
    "plot_tensor_shape",
    "plot_tradeoffs",
    "plot_window_coverage",
    "plot_windows",
]

"""What every figure function shares: where to draw (the ``ax=None`` convention) and runs of flags."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from seqshape.anomaly import events


def figure_for(
    ax: Axes | Sequence[Axes] | None,
    n_panels: int = 1,
    *,
    figsize: tuple[float, float],
    nrows: int = 1,
    **subplots_kw: Any,
) -> tuple[Figure, list[Axes]]:
    """The figure and the ``n_panels`` Axes to draw on: the caller's, or new ones.

    The convention of every function in :mod:`seqshape.plotting`: ``ax=None`` makes a new
    figure of ``figsize`` with ``n_panels`` panels (in ``nrows`` rows); otherwise ``ax`` is one
    Axes (for one panel) or a sequence of exactly ``n_panels`` Axes, and the figure is theirs.
    """
    if ax is None:
        fig, axes = plt.subplots(nrows, n_panels // nrows, figsize=figsize, squeeze=False, **subplots_kw)
        return fig, list(axes.flat)
    panels = [ax] if isinstance(ax, Axes) else list(ax) if isinstance(ax, Sequence | np.ndarray) else None
    if panels is None or not all(isinstance(p, Axes) for p in panels):
        raise TypeError(
            f"ax must be a matplotlib Axes or a sequence of {n_panels} Axes, got {type(ax).__name__}; "
            "pass ax=None for a new figure"
        )
    if len(panels) != n_panels:
        raise ValueError(
            f"ax must hold {n_panels} Axes (one per panel), got {len(panels)}; "
            f"e.g. fig, ax = plt.subplots(1, {n_panels}), or pass ax=None for a new figure"
        )
    return panels[0].figure, panels


def runs(flags: Any) -> np.ndarray:
    """``(start, stop)`` of each run of True in a 1-D boolean array: :func:`seqshape.anomaly.events`."""
    return events(np.asarray(flags, dtype=bool))

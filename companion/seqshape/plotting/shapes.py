"""Figures of tensor shapes: a batch as a stack of grids, models layer by layer, clips and masks.

Part of :mod:`seqshape.plotting`; every function takes ``ax=None`` and returns the Figure.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from seqshape._validation import as_array, check_int
from seqshape.plotting._common import figure_for

__all__ = ["plot_grid_clip", "plot_masks", "plot_model_shapes", "plot_tensor_shape"]


def plot_tensor_shape(
    shape: tuple[int, int, int] = (3, 6, 4),
    *,
    labels: tuple[str, str, str] = ("samples", "timesteps", "features"),
    highlight: int | None = 0,
    ax: plt.Axes | None = None,
) -> plt.Figure:
    """Draw a 3-D batch as a stack of grids: one grid (timesteps x features) per sample.

    Parameters
    ----------
    shape : tuple of int, optional
        ``(samples, timesteps, features)`` to draw; each must be between 1 and 12 so the cells stay
        readable. Default ``(3, 6, 4)``.
    labels : tuple of str, optional
        Names of the three axes. Default ``("samples", "timesteps", "features")``.
    highlight : int or None, optional
        Index of the sample whose grid is shaded, to show what one sample is; ``None`` shades none.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.

    Raises
    ------
    TypeError
        If an entry of ``shape`` is not an int.
    ValueError
        If ``shape`` does not have three entries between 1 and 12.

    Examples
    --------
    >>> fig = plot_tensor_shape((2, 5, 3))
    >>> len(fig.axes)
    1
    >>> plt.close(fig)
    """
    if not isinstance(shape, (tuple, list)) or len(shape) != 3:
        raise ValueError(
            f"shape must be three integers between 1 and 12 (samples, timesteps, features), got {shape!r}"
        )
    n_samples, n_steps, n_feat = (check_int(n, f"shape[{i}]", maximum=12, fix="at most 12 cells per axis stay readable")
                                  for i, n in enumerate(shape))
    fig, (ax,) = figure_for(ax, figsize=(6.4, 3.6))
    dx, dy = 0.45, 0.35  # offset between consecutive samples (oblique projection)
    for s in reversed(range(n_samples)):
        ox, oy = s * dx, s * dy
        shaded = highlight is not None and s == highlight
        face = "#9ecae1" if shaded else "#f0f0f0"
        for t in range(n_steps):
            for f in range(n_feat):
                ax.add_patch(
                    plt.Rectangle((ox + t, oy + f), 1, 1, facecolor=face, edgecolor="#333333", lw=0.8)
                )
    ax.annotate("", xy=(n_steps, -0.45), xytext=(0, -0.45), arrowprops={"arrowstyle": "->"})
    ax.text(n_steps / 2, -0.65, f"{labels[1]} ({n_steps})", ha="center", va="top")
    ax.annotate("", xy=(-0.45, n_feat), xytext=(-0.45, 0), arrowprops={"arrowstyle": "->"})
    ax.text(-0.65, n_feat / 2, f"{labels[2]} ({n_feat})", ha="right", va="center", rotation=90)
    end = (n_steps + n_samples * dx, n_feat + n_samples * dy)
    ax.annotate(
        "", xy=(end[0] + 0.1, end[1] + 0.1), xytext=(n_steps + 0.1, n_feat + 0.1),
        arrowprops={"arrowstyle": "->"},
    )
    ax.text(end[0] + 0.2, end[1] + 0.2, f"{labels[0]} ({n_samples})", ha="left", va="bottom")
    ax.set_xlim(-1.6, n_steps + n_samples * dx + 3.2)
    ax.set_ylim(-1.6, n_feat + n_samples * dy + 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"a batch of shape {(n_samples, n_steps, n_feat)}")
    return fig


def plot_model_shapes(models: dict[str, object], *, ax: Any = None) -> plt.Figure:
    """Draw each Keras model as a row of boxes: the input, then every layer with its output shape.

    Parameters
    ----------
    models : dict of str to keras.Model
        Built models (made with ``keras.Input``), keyed by the row label. The batch axis
        (``None``) is left out of the shapes drawn.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        One row per model; a box per layer, labelled with the layer class (``TimeDistributed``
        shows the layer it wraps) and its output shape.

    Raises
    ------
    ValueError
        If ``models`` is empty.

    Examples
    --------
    >>> import keras
    >>> m = keras.Sequential([keras.Input((5, 3)), keras.layers.LSTM(2)])
    >>> fig = plot_model_shapes({"lstm": m})
    >>> len(fig.axes)
    1
    >>> plt.close(fig)
    """
    if not models:
        raise ValueError("models must hold at least one built Keras model, got an empty dict")

    def label(layer: object) -> str:
        inner = getattr(layer, "layer", None)
        kind = type(layer).__name__
        return f"{kind}\n({type(inner).__name__})" if inner is not None else kind

    rows = []
    for name, model in models.items():
        boxes = [("Input", tuple(model.inputs[0].shape[1:]))]  # type: ignore[attr-defined]
        boxes += [(label(layer), tuple(layer.output.shape[1:])) for layer in model.layers]  # type: ignore[attr-defined]
        rows.append((name, boxes))
    n_cols = max(len(b) for _, b in rows)
    fig, (ax,) = figure_for(ax, figsize=(2.1 * n_cols + 1.6, 1.25 * len(rows) + 0.3))
    for r, (name, boxes) in enumerate(rows):
        y = len(rows) - 1 - r
        ax.text(-0.15, y, name, ha="right", va="center", fontsize=10, fontweight="bold")
        for c, (kind, shape) in enumerate(boxes):
            ax.add_patch(
                plt.Rectangle((c * 2.1, y - 0.4), 1.8, 0.8, facecolor="#deebf7" if c else "#fee6ce",
                              edgecolor="#333333", lw=0.8)
            )
            ax.text(c * 2.1 + 0.9, y + 0.12, kind, ha="center", va="center", fontsize=7.5)
            ax.text(c * 2.1 + 0.9, y - 0.25, str(shape).replace(" ", ""), ha="center", va="center",
                    fontsize=8, family="monospace")
            if c:
                ax.annotate("", xy=(c * 2.1, y), xytext=(c * 2.1 - 0.3, y), arrowprops={"arrowstyle": "->"})
    ax.set_xlim(-2.6, n_cols * 2.1)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.axis("off")
    ax.set_title("output shape of every layer (batch axis left out)", fontsize=10)
    fig.tight_layout()
    return fig


def plot_grid_clip(
    frames: np.ndarray, *, title: str | None = None, max_frames: int = 8, ax: Any = None
) -> plt.Figure:
    """Draw a sequence of grids (one clip) as a strip of frames, time running left to right.

    Parameters
    ----------
    frames : numpy.ndarray
        ``(timesteps, height, width)`` or ``(timesteps, height, width, channels)`` with 1 or 3
        channels (RGB values in [0, 1]).
    title : str, optional
        Figure title. Default None.
    max_frames : int, optional
        Draw at most this many frames (the first ones). Default 8.
    ax : matplotlib.axes.Axes or sequence of Axes, optional
        Where to draw: one Axes per frame drawn. Default None: a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per frame, titled ``t=0``, ``t=1``, ...

    Raises
    ------
    TypeError
        If ``frames`` does not hold real numbers (complex, object, text).
    ValueError
        If ``frames`` is empty, or not 3-D or 4-D with 1 or 3 channels.

    Examples
    --------
    >>> fig = plot_grid_clip(np.zeros((5, 16, 16, 1)))
    >>> len(fig.axes)
    5
    >>> plt.close(fig)
    """
    arr = as_array(frames, "frames", min_steps=1, layout="(timesteps, height, width[, channels])")
    if arr.ndim == 4 and arr.shape[-1] == 1:
        arr = arr[..., 0]
    if arr.ndim not in (3, 4) or (arr.ndim == 4 and arr.shape[-1] != 3):
        raise ValueError(
            "frames must be (timesteps, height, width) or (timesteps, height, width, channels) "
            f"with 1 or 3 channels, got shape {np.shape(frames)}; for a batch pass one sample: frames[0]"
        )
    n = min(len(arr), check_int(max_frames, "max_frames"))
    fig, axes = figure_for(ax, n, figsize=(1.3 * n, 1.6))
    for t, panel in enumerate(axes):
        panel.imshow(arr[t], cmap="gray_r" if arr.ndim == 3 else None, vmin=0, vmax=1)
        panel.set_title(f"t={t}", fontsize=9)
        panel.set_xticks([])
        panel.set_yticks([])
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig


def plot_masks(masks: dict[str, np.ndarray], *, max_rows: int = 12, ax: Any = None) -> plt.Figure:
    """Draw boolean masks ``(batch, timesteps)`` side by side: real steps dark, padding light.

    Parameters
    ----------
    masks : dict of str to numpy.ndarray
        Panel title to a ``(batch, timesteps)`` boolean mask, as returned by
        :func:`seqshape.align.pad_batch`.
    max_rows : int, optional
        Samples drawn per panel (the first ones). Default 12.
    ax : matplotlib.axes.Axes or sequence of Axes, optional
        Where to draw: one Axes per mask. Default None: a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per mask: rows are samples, columns time steps.

    Raises
    ------
    TypeError
        If a mask does not hold bool or numbers.
    ValueError
        If ``masks`` is empty, or a mask is not 2-D or has no rows.

    Examples
    --------
    >>> m = np.array([[1, 1, 0], [1, 1, 1]], dtype=bool)
    >>> fig = plot_masks({"post": m, "pre": m[:, ::-1]})
    >>> len(fig.axes)
    2
    >>> plt.close(fig)
    """
    if not masks:
        raise ValueError("masks must hold at least one (batch, timesteps) mask, got an empty dict")
    for name, m in masks.items():
        as_array(m, f"masks[{name!r}]", min_steps=1, layout="(batch, timesteps)")
        if np.ndim(m) != 2:
            raise ValueError(f"mask {name!r} must be 2-D (batch, timesteps), got shape {np.shape(m)}")
    max_rows = check_int(max_rows, "max_rows")
    fig, axes = figure_for(ax, len(masks), figsize=(4.2 * len(masks), 3.2))
    for panel, (name, m) in zip(axes, masks.items(), strict=True):
        shown = np.asarray(m, dtype=bool)[:max_rows]
        panel.imshow(shown, cmap="Blues", vmin=-0.3, vmax=1.2, aspect="auto", interpolation="nearest")
        panel.set_title(name, fontsize=10)
        panel.set_xlabel("timesteps")
        panel.set_ylabel("sample")
        panel.set_xticks(np.arange(-0.5, shown.shape[1], 1), minor=True)
        panel.set_yticks(np.arange(-0.5, shown.shape[0], 1), minor=True)
        panel.grid(which="minor", color="white", lw=0.5)
        panel.tick_params(which="minor", length=0)
    fig.suptitle("mask: dark = real step, light = padding", fontsize=10)
    fig.tight_layout()
    return fig

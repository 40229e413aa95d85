"""Figures for the book: tensor shapes, windows, alignment and training histories.

Every figure in the book is drawn by a function here, so a reader can draw the same picture of
their own data. Each function returns the matplotlib ``Figure`` (or ``Axes``) it drew on and never
calls ``plt.show()``. Importing this module does not import TensorFlow.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


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
    ValueError
        If ``shape`` does not have three entries between 1 and 12.

    Examples
    --------
    >>> fig = plot_tensor_shape((2, 5, 3))
    >>> len(fig.axes)
    1
    >>> plt.close(fig)
    """
    if len(shape) != 3 or not all(isinstance(n, (int, np.integer)) and 1 <= n <= 12 for n in shape):
        raise ValueError(
            f"shape must be three integers between 1 and 12 (samples, timesteps, features), got {shape!r}"
        )
    n_samples, n_steps, n_feat = (int(n) for n in shape)
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 3.6))
    else:
        fig = ax.figure
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


# --- anomaly chapter: window coverage and flags on the timeline ------------------------------


def plot_window_coverage(
    n_steps: int,
    length: int,
    *,
    stride: int = 1,
    horizon: int | None = None,
    ax: plt.Axes | None = None,
) -> plt.Figure:
    """Draw which windows cover which time step: one row per window, and coverage counts.

    Window ``i`` covers steps ``i*stride`` to ``i*stride + length - 1`` (as in
    :func:`seqshape.windows.sliding_windows`); each step is labelled with the number of windows
    covering it, which is how many values :func:`seqshape.windows.unwindow` combines there.

    Parameters
    ----------
    n_steps : int
        Length of the series to draw, between 1 and 60.
    length : int
        Window length, between 1 and ``n_steps``.
    stride : int, optional
        Steps between window starts. Default 1.
    horizon : int or None, optional
        If given, mark each window's forecasting target ``horizon`` steps after its last step
        (as in :func:`seqshape.windows.make_supervised`) with a dot. Default None.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.

    Raises
    ------
    ValueError
        If ``n_steps``, ``length`` or ``stride`` is out of range.

    Examples
    --------
    >>> fig = plot_window_coverage(10, 4, stride=2, horizon=1)
    >>> len(fig.axes)
    1
    >>> plt.close(fig)
    """
    if not (1 <= n_steps <= 60 and 1 <= length <= n_steps and stride >= 1):
        raise ValueError(
            f"need 1 <= n_steps <= 60, 1 <= length <= n_steps and stride >= 1; got "
            f"n_steps={n_steps}, length={length}, stride={stride}"
        )
    n_windows = (n_steps - length) // stride + 1
    if horizon is not None:
        n_windows = max(0, (n_steps - length - horizon) // stride + 1)
    if ax is None:
        fig, ax = plt.subplots(figsize=(max(4.0, 0.32 * n_steps + 1.5), 0.32 * n_windows + 1.6))
    else:
        fig = ax.figure
    coverage = np.zeros(n_steps, dtype=int)
    for i in range(n_windows):
        s = i * stride
        coverage[s : s + length] += 1
        y = n_windows - i
        ax.add_patch(plt.Rectangle((s - 0.5, y - 0.35), length, 0.7, facecolor="#9ecae1", edgecolor="#333333", lw=0.8))
        ax.text(s - 0.8, y, f"window {i}", ha="right", va="center", fontsize=8)
        if horizon is not None:
            ax.plot(s + length - 1 + horizon, y, "o", color="#d62728", ms=5)
    for t in range(n_steps):
        ax.text(t, 0, str(coverage[t]), ha="center", va="center", fontsize=8,
                color="#d62728" if coverage[t] == 0 else "#333333")
    ax.text(-0.8, 0, "windows per step", ha="right", va="center", fontsize=8)
    ax.set_xlim(-0.5 - 0.2 * n_steps, n_steps - 0.5)
    ax.set_ylim(-0.7, n_windows + 0.7)
    ax.set_xticks(range(n_steps))
    ax.tick_params(axis="x", labelsize=7)
    ax.set_yticks([])
    ax.set_xlabel("time step")
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    title = f"length={length}, stride={stride}"
    if horizon is not None:
        title += f", dot = target {horizon} step(s) after the window"
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return fig


def plot_flags(
    values: np.ndarray,
    flags: np.ndarray,
    labels: np.ndarray | None = None,
    *,
    errors: np.ndarray | None = None,
    threshold: float | None = None,
    span: tuple[int, int] | None = None,
    title: str = "",
) -> plt.Figure:
    """Plot a series with its flagged steps shaded, the true labels marked, and the errors below.

    Parameters
    ----------
    values : numpy.ndarray
        The series, shape ``(n_steps,)``.
    flags : numpy.ndarray of bool
        Flagged steps, shape ``(n_steps,)``; each run is shaded.
    labels : numpy.ndarray, optional
        True anomalous steps (bool or 0/1), shape ``(n_steps,)``, drawn as red dots. Default None.
    errors : numpy.ndarray, optional
        Per-step errors, shape ``(n_steps,)``, drawn in a second panel. Default None.
    threshold : float, optional
        Drawn as a dashed line in the errors panel. Default None.
    span : tuple of int, optional
        ``(start, stop)`` of the steps to show. Default: all.
    title : str, optional
        Title of the top panel. Default "".

    Returns
    -------
    matplotlib.figure.Figure
        One panel, or two sharing the time axis when ``errors`` is given.

    Raises
    ------
    ValueError
        If ``flags``, ``labels`` or ``errors`` does not have the shape of ``values``.

    Examples
    --------
    >>> v = np.sin(np.arange(50) / 5)
    >>> f = np.zeros(50, dtype=bool); f[20:25] = True
    >>> fig = plot_flags(v, f, errors=np.abs(np.diff(v, prepend=0)), threshold=0.2)
    >>> len(fig.axes)
    2
    >>> plt.close(fig)
    """
    values = np.asarray(values)
    for name, arr in (("flags", flags), ("labels", labels), ("errors", errors)):
        if arr is not None and np.shape(arr) != values.shape:
            raise ValueError(f"{name} must have the shape of values {values.shape}, got {np.shape(arr)}")
    start, stop = span if span is not None else (0, len(values))
    t = np.arange(start, stop)
    n_rows = 1 if errors is None else 2
    fig, axes = plt.subplots(n_rows, 1, figsize=(9, 2.4 * n_rows + 0.4), sharex=True, squeeze=False)
    top = axes[0, 0]
    top.plot(t, values[start:stop], color="#1f77b4", lw=1, label="series")
    f = np.asarray(flags, dtype=bool)[start:stop]
    edges = np.flatnonzero(np.diff(np.concatenate(([0], f.astype(np.int8), [0]))))
    panels = [top] if errors is None else [top, axes[1, 0]]
    for k, (a, b) in enumerate(edges.reshape(-1, 2)):
        for p in panels:
            p.axvspan(start + a - 0.5, start + b - 0.5, color="#ff7f0e", alpha=0.3, lw=0,
                      label="flagged" if (k == 0 and p is top) else None)
    if labels is not None:
        lab = np.asarray(labels, dtype=bool)[start:stop]
        top.plot(t[lab], values[start:stop][lab], ".", color="#d62728", ms=6, label="labelled anomaly")
    top.legend(loc="upper right", fontsize=8)
    top.set_title(title, fontsize=10)
    if errors is not None:
        low = axes[1, 0]
        low.plot(t, np.asarray(errors)[start:stop], color="#555555", lw=1, label="error")
        if threshold is not None:
            low.axhline(threshold, color="#d62728", ls="--", lw=1, label="threshold")
        low.legend(loc="upper right", fontsize=8)
        low.set_ylabel("error")
    axes[-1, 0].set_xlabel("time step")
    fig.tight_layout()
    return fig


def plot_grid_clip(frames: np.ndarray, *, title: str | None = None, max_frames: int = 8) -> plt.Figure:
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

    Returns
    -------
    matplotlib.figure.Figure
        One panel per frame, titled ``t=0``, ``t=1``, ...

    Raises
    ------
    ValueError
        If ``frames`` is not 3-D or 4-D with 1 or 3 channels.

    Examples
    --------
    >>> fig = plot_grid_clip(np.zeros((5, 16, 16, 1)))
    >>> len(fig.axes)
    5
    >>> plt.close(fig)
    """
    arr = np.asarray(frames)
    if arr.ndim == 4 and arr.shape[-1] == 1:
        arr = arr[..., 0]
    if arr.ndim not in (3, 4) or (arr.ndim == 4 and arr.shape[-1] != 3):
        raise ValueError(
            "frames must be (timesteps, height, width) or (timesteps, height, width, channels) "
            f"with 1 or 3 channels, got shape {np.shape(frames)}; for a batch pass one sample: frames[0]"
        )
    n = min(len(arr), max_frames)
    fig, axes = plt.subplots(1, n, figsize=(1.3 * n, 1.6), squeeze=False)
    for t, ax in enumerate(axes[0]):
        ax.imshow(arr[t], cmap="gray_r" if arr.ndim == 3 else None, vmin=0, vmax=1)
        ax.set_title(f"t={t}", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig


def plot_model_shapes(models: dict[str, object]) -> plt.Figure:
    """Draw each Keras model as a row of boxes: the input, then every layer with its output shape.

    Parameters
    ----------
    models : dict of str to keras.Model
        Built models (made with ``keras.Input``), keyed by the row label. The batch axis
        (``None``) is left out of the shapes drawn.

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
    fig, ax = plt.subplots(figsize=(2.1 * n_cols + 1.6, 1.25 * len(rows) + 0.3))
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


def plot_tradeoffs(
    names: list[str],
    *,
    score: list[float],
    params: list[int],
    seconds: list[float],
    baseline: float | None = None,
    score_label: str = "test accuracy",
) -> plt.Figure:
    """Three bar charts side by side: a quality score (with a baseline line), parameters, time.

    Parameters
    ----------
    names : list of str
        One name per model.
    score, params, seconds : list
        The quality metric, the number of weights and the training seconds, one per model.
    baseline : float, optional
        Drawn as a dashed line on the score panel (e.g. the majority-class accuracy).
    score_label : str, optional
        Title of the score panel. Default ``"test accuracy"``.

    Returns
    -------
    matplotlib.figure.Figure
        Three panels, each on a linear scale from zero.

    Raises
    ------
    ValueError
        If the lists do not all have one value per name.

    Examples
    --------
    >>> fig = plot_tradeoffs(["a", "b"], score=[0.9, 0.8], params=[100, 10], seconds=[1.0, 2.0], baseline=0.5)
    >>> len(fig.axes)
    3
    >>> plt.close(fig)
    """
    n = len(names)
    if n == 0 or not len(score) == len(params) == len(seconds) == n:
        raise ValueError(
            f"need one score, params and seconds value per name; got {n} names, {len(score)} scores, "
            f"{len(params)} params, {len(seconds)} seconds"
        )
    fig, axes = plt.subplots(1, 3, figsize=(10, 3))
    colors = [f"C{i}" for i in range(n)]
    for ax, values, title in zip(axes, (score, params, seconds), (score_label, "parameters", "training seconds"), strict=True):
        ax.bar(names, values, color=colors)
        ax.set_title(title, fontsize=10)
        ax.tick_params(axis="x", labelsize=8)
    if baseline is not None:
        axes[0].axhline(baseline, color="black", ls="--", lw=1)
        axes[0].text(n - 0.5, baseline, " baseline", va="bottom", ha="right", fontsize=8)
    fig.tight_layout()
    return fig


# --- concatenating inputs chapter: coverage, masks, aliasing, learning curves ----------------


def plot_coverage(frame: object, *, title: str | None = None, ax: plt.Axes | None = None) -> plt.Figure:
    """Draw where each column of a time-indexed table has values: one bar per feature.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns are features on one shared ``DatetimeIndex`` (e.g. an outer join); NaN marks a
        step where that feature has no value.
    title : str, optional
        Figure title. Default: none.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        A bar per column over time, drawn where the column has values, with gaps where it is NaN.

    Raises
    ------
    ValueError
        If ``frame`` has no rows or no columns.

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.date_range("2000-01-01", periods=6, freq="MS")
    >>> df = pd.DataFrame({"a": [1, 2, None, 4, 5, 6], "b": [None, None, 1, 2, 3, 4]}, index=idx)
    >>> fig = plot_coverage(df)
    >>> len(fig.axes)
    1
    >>> plt.close(fig)
    """
    import matplotlib.dates as mdates

    shape = getattr(frame, "shape", None)
    if shape is None or len(shape) != 2 or 0 in shape:
        raise ValueError(f"frame must be a non-empty pandas DataFrame (time x features), got shape {shape}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 0.55 * shape[1] + 1.2))
    else:
        fig = ax.figure
    x = mdates.date2num(frame.index.to_pydatetime())  # type: ignore[attr-defined]
    step = float(np.median(np.diff(x))) if len(x) > 1 else 1.0
    for row, name in enumerate(frame.columns):  # type: ignore[attr-defined]
        present = frame[name].notna().to_numpy()  # type: ignore[index]
        edges = np.flatnonzero(np.diff(np.r_[False, present, False].astype(np.int8)))
        spans = [(x[a], x[b - 1] - x[a] + step) for a, b in zip(edges[::2], edges[1::2], strict=True)]
        ax.broken_barh(spans, (row - 0.35, 0.7), facecolors=f"C{row}")
        ax.text(x[-1] + step, row, f" {int(present.sum())} of {len(present)} steps", va="center", fontsize=8)
    ax.set_yticks(range(shape[1]), [str(c) for c in frame.columns])  # type: ignore[attr-defined]
    ax.set_ylim(shape[1] - 0.5, -0.5)
    ax.set_xlim(x[0] - step, x[-1] + step * len(x) * 0.18)
    ax.xaxis_date()
    ax.set_xlabel("time")
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def plot_masks(masks: dict[str, np.ndarray], *, max_rows: int = 12) -> plt.Figure:
    """Draw boolean masks ``(batch, timesteps)`` side by side: real steps dark, padding light.

    Parameters
    ----------
    masks : dict of str to numpy.ndarray
        Panel title to a ``(batch, timesteps)`` boolean mask, as returned by
        :func:`seqshape.align.pad_batch`.
    max_rows : int, optional
        Samples drawn per panel (the first ones). Default 12.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per mask: rows are samples, columns time steps.

    Raises
    ------
    ValueError
        If ``masks`` is empty or a mask is not 2-D.

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
        if np.ndim(m) != 2:
            raise ValueError(f"mask {name!r} must be 2-D (batch, timesteps), got shape {np.shape(m)}")
    fig, axes = plt.subplots(1, len(masks), figsize=(4.2 * len(masks), 3.2), squeeze=False)
    for ax, (name, m) in zip(axes[0], masks.items(), strict=True):
        shown = np.asarray(m, dtype=bool)[:max_rows]
        ax.imshow(shown, cmap="Blues", vmin=-0.3, vmax=1.2, aspect="auto", interpolation="nearest")
        ax.set_title(name, fontsize=10)
        ax.set_xlabel("timesteps")
        ax.set_ylabel("sample")
        ax.set_xticks(np.arange(-0.5, shown.shape[1], 1), minor=True)
        ax.set_yticks(np.arange(-0.5, shown.shape[0], 1), minor=True)
        ax.grid(which="minor", color="white", lw=0.5)
        ax.tick_params(which="minor", length=0)
    fig.suptitle("mask: dark = real step, light = padding", fontsize=10)
    fig.tight_layout()
    return fig


def plot_aliasing(
    t: np.ndarray,
    x: np.ndarray,
    versions: dict[str, tuple[np.ndarray, np.ndarray]],
    *,
    xlabel: str = "time",
    ylabel: str = "value",
    title: str | None = None,
) -> plt.Figure:
    """Draw a densely sampled series and downsampled versions of it on the same time axis.

    Parameters
    ----------
    t, x : numpy.ndarray
        Time and values of the original series, shape ``(T,)`` each; drawn thin and grey.
    versions : dict of str to (numpy.ndarray, numpy.ndarray)
        Label to ``(t_k, y_k)``: the times and values of a downsampled version, drawn with
        markers. A version that follows a slow wave the original does not have is aliased.
    xlabel, ylabel : str, optional
        Axis labels. Defaults ``"time"`` and ``"value"``.
    title : str, optional
        Figure title. Default: none.

    Returns
    -------
    matplotlib.figure.Figure
        One panel with the original and every version.

    Raises
    ------
    ValueError
        If ``t`` and ``x`` differ in length, or a version's times and values do.

    Examples
    --------
    >>> t = np.arange(100.0)
    >>> x = np.sin(2 * np.pi * t / 10)
    >>> fig = plot_aliasing(t, x, {"every 9th": (t[::9], x[::9])})
    >>> len(fig.axes)
    1
    >>> plt.close(fig)
    """
    if np.shape(t) != np.shape(x):
        raise ValueError(f"t and x must have the same shape, got {np.shape(t)} and {np.shape(x)}")
    for name, (tk, yk) in versions.items():
        if np.shape(tk) != np.shape(yk):
            raise ValueError(f"version {name!r}: times and values differ in shape, {np.shape(tk)} vs {np.shape(yk)}")
    fig, ax = plt.subplots(figsize=(8, 3.4))
    ax.plot(t, x, color="0.75", lw=0.8, label="original")
    markers = "osD^v"
    for i, (name, (tk, yk)) in enumerate(versions.items()):
        ax.plot(tk, yk, marker=markers[i % len(markers)], ms=4, lw=1.4, color=f"C{i + 1}", label=name)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8, ncols=min(4, len(versions) + 1), loc="upper left")
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def plot_histories(histories: dict[str, dict[str, list[float]]], *, metric: str = "loss") -> plt.Figure:
    """Draw training and validation curves of one metric for one or more Keras runs.

    Parameters
    ----------
    histories : dict of str to dict
        Run label to ``History.history`` (a dict of per-epoch lists, with ``metric`` and
        ``"val_" + metric``).
    metric : str, optional
        The metric to draw. Default ``"loss"``.

    Returns
    -------
    matplotlib.figure.Figure
        Solid lines for validation, dashed for training, one colour per run.

    Raises
    ------
    ValueError
        If ``histories`` is empty or a run lacks ``metric`` or ``"val_" + metric``.

    Examples
    --------
    >>> h = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7]}
    >>> fig = plot_histories({"model": h})
    >>> len(fig.axes)
    1
    >>> plt.close(fig)
    """
    if not histories:
        raise ValueError("histories must hold at least one History.history dict, got an empty dict")
    fig, ax = plt.subplots(figsize=(6, 3.2))
    for i, (name, h) in enumerate(histories.items()):
        missing = [k for k in (metric, f"val_{metric}") if k not in h]
        if missing:
            raise ValueError(f"run {name!r} has no {missing} in its history; it has {sorted(h)}")
        epochs = np.arange(1, len(h[metric]) + 1)
        ax.plot(epochs, h[f"val_{metric}"], color=f"C{i}", label=f"{name} (validation)")
        ax.plot(epochs, h[metric], color=f"C{i}", ls="--", lw=1, label=f"{name} (training)")
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_windows(
    n_steps: int,
    length: int,
    *,
    stride: int | None = None,
    overlap: int | None = None,
    remainder: str = "drop",
    frames: np.ndarray | None = None,
    ax: plt.Axes | None = None,
) -> plt.Figure:
    """Draw which time steps (frames) go into which window, and which are padded or left out.

    One row per window of ``seqshape.windows.sliding_windows(..., length, stride=..., overlap=...,
    remainder=...)``: a coloured cell for each step the window holds, a hatched grey cell for
    padding, and a bottom row that marks with a red cross each step no window holds.

    Parameters
    ----------
    n_steps : int
        Length of the series (number of frames).
    length, stride, overlap, remainder
        As in :func:`seqshape.windows.sliding_windows` (the same validation and errors).
    frames : numpy.ndarray, optional
        ``(n_steps, H, W)`` or ``(n_steps, H, W, 3)`` images to draw as a strip above the
        windows; at most 60 frames. Default None (no strip).
    ax : matplotlib.axes.Axes, optional
        Axes for the window rows; a new figure is made when omitted (and needed with ``frames``).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.

    Raises
    ------
    ValueError
        If ``frames`` does not have ``n_steps`` frames, or there are more than 60 of them; the
        window arguments raise as in ``sliding_windows``.

    Examples
    --------
    >>> fig = plot_windows(12, 4, stride=3, remainder="pad")
    >>> len(fig.axes)
    1
    >>> plt.close(fig)
    """
    from seqshape.windows import sliding_windows

    steps = np.arange(n_steps)
    # Pad with -1 so padding cells can be told apart from step 0.
    win = sliding_windows(steps, length, stride=stride, overlap=overlap, remainder=remainder, pad_value=-1)  # type: ignore[arg-type]
    n_win = len(win)
    if frames is not None and (len(frames) != n_steps or n_steps > 60):
        raise ValueError(
            f"frames must hold n_steps={n_steps} frames (at most 60 for a readable strip), got {len(frames)}"
        )
    width = min(14.0, max(5.0, 0.28 * (n_steps + 4)))
    row_h = 0.3
    x_max = max(n_steps, int(win[-1, 0]) + length) + 0.5
    ax_f = None
    if ax is None:
        rows_h = row_h * (n_win + 2) + 1.0
        if frames is not None:
            unit = 0.775 * width / (x_max + 6)  # inches per time step, so frames stay square
            fig, (ax_f, ax) = plt.subplots(
                2, 1, figsize=(width, rows_h + unit + 0.4), sharex=True,
                gridspec_kw={"height_ratios": [unit + 0.4, rows_h]},
            )  # fmt: skip
            for t, frame in enumerate(frames):
                ax_f.imshow(frame, cmap="gray_r" if frame.ndim == 2 else None, extent=(t + 0.05, t + 0.95, 0, 0.9))
                ax_f.add_patch(plt.Rectangle((t + 0.05, 0), 0.9, 0.9, fill=False, edgecolor="#888888", lw=0.6))
            ax_f.set_aspect("auto")
            ax_f.set_ylim(0, 1)
            ax_f.axis("off")
            ax_f.set_title("frames", loc="left", fontsize=9)
        else:
            fig, ax = plt.subplots(figsize=(width, rows_h))
    else:
        fig = ax.figure
    colours = plt.get_cmap("tab10")
    used = np.zeros(n_steps, dtype=bool)
    for i in range(n_win):
        y = -i
        start = int(win[i, 0])  # every window, padded or not, starts with a real step
        for j, t in enumerate(win[i]):
            if t >= 0:
                used[t] = True
                ax.add_patch(plt.Rectangle((t, y), 1, 0.8, facecolor=colours(i % 10), alpha=0.75, edgecolor="white"))
            else:
                ax.add_patch(plt.Rectangle((start + j, y), 1, 0.8, facecolor="#dddddd", hatch="///", edgecolor="#999999"))
        ax.text(-0.5, y + 0.4, f"window {i}", ha="right", va="center", fontsize=8)
    y = -n_win - 0.4
    for t in np.flatnonzero(~used):
        ax.plot(t + 0.5, y + 0.4, marker="x", color="#d62728", ms=7, mew=2)
    ax.text(-0.5, y + 0.4, "left out", ha="right", va="center", fontsize=8, color="#d62728")
    ax.set_xlim(-6, x_max)
    ax.set_ylim(y - 0.4, 1.0)
    ax.set_yticks([])
    ax.set_xlabel("time step (frame index)")
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_title(
        f"{n_steps} steps, windows of {length}: {n_win} window{'s' if n_win != 1 else ''} ({remainder!r})",
        fontsize=10,
    )
    if ax_f is not None or len(fig.axes) == 1:
        fig.tight_layout()
    return fig


def plot_forecast_comparison(
    names: list[str],
    mae: list[float] | np.ndarray,
    spread: list[float] | np.ndarray | None = None,
    *,
    baselines: dict[str, float] | None = None,
    unit: str = "MW",
    ax: plt.Axes | None = None,
) -> plt.Figure:
    """Horizontal bars of test MAE per model, with the seed spread and the baselines as lines.

    Parameters
    ----------
    names : list of str
        One label per model, drawn top to bottom.
    mae : array_like of float
        Mean test MAE per model, same length as ``names``.
    spread : array_like of float, optional
        Standard deviation of the MAE over seeds, drawn as error bars; NaN draws none.
    baselines : dict of str to float, optional
        Baseline name -> its MAE, drawn as labelled vertical dashed lines.
    unit : str, optional
        Unit of the MAE for the axis label. Default ``"MW"``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.

    Raises
    ------
    ValueError
        If ``mae`` (or ``spread``) does not have one value per name.

    Examples
    --------
    >>> fig = plot_forecast_comparison(["dense", "gru"], [150.0, 140.0], [10.0, 5.0], baselines={"naive": 500.0})
    >>> len(fig.axes)
    1
    >>> plt.close(fig)
    """
    values = np.asarray(mae, dtype=float)
    errors = None if spread is None else np.nan_to_num(np.asarray(spread, dtype=float))
    if values.shape != (len(names),) or (errors is not None and errors.shape != values.shape):
        raise ValueError(
            f"mae and spread must hold one value per name ({len(names)}), got mae shape "
            f"{values.shape} and spread shape {None if errors is None else errors.shape}"
        )
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 0.45 * len(names) + 1.4))
    else:
        fig = ax.figure
    rows = np.arange(len(names))[::-1]
    ax.barh(rows, values, xerr=errors, color="#6baed6", edgecolor="#2171b5", capsize=3)
    ax.set_yticks(rows, names)
    for k, (label, value) in enumerate((baselines or {}).items()):
        colour = plt.get_cmap("Dark2")(k)
        ax.axvline(value, color=colour, ls="--", lw=1.2)
        ax.text(value, len(names) - 0.45 + 0.35 * k, f" {label}", color=colour, fontsize=8, va="bottom")
    ax.set_xlim(0, max([*values, *(baselines or {}).values()]) * 1.15)
    ax.set_ylim(-0.6, len(names) + 0.4 + 0.35 * len(baselines or {}))
    ax.set_xlabel(f"test MAE ({unit}), lower is better")
    for side in ("right", "top"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig

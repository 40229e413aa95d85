"""Figures of windows: which steps each window holds, and how many windows cover each step.

Part of :mod:`seqshape.plotting`; every function takes ``ax=None`` and returns the Figure.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from seqshape._validation import check_int, n_windows
from seqshape.plotting._common import figure_for

__all__ = ["plot_window_coverage", "plot_windows"]


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
    TypeError
        If ``n_steps``, ``length``, ``stride`` or ``horizon`` is not an int.
    ValueError
        If ``n_steps``, ``length``, ``stride`` or ``horizon`` is out of range.

    Examples
    --------
    >>> fig = plot_window_coverage(10, 4, stride=2, horizon=1)
    >>> len(fig.axes)
    1
    >>> plt.close(fig)
    """
    n_steps = check_int(n_steps, "n_steps", maximum=60, fix="at most 60 steps stay readable")
    length = check_int(length, "length", maximum=n_steps, fix=f"a window holds at most the {n_steps} steps")
    stride = check_int(stride, "stride")
    if horizon is not None:
        horizon = check_int(horizon, "horizon", minimum=0)
    n_win = n_windows(n_steps, length, stride=stride, horizon=horizon)
    fig, (ax,) = figure_for(ax, figsize=(max(4.0, 0.32 * n_steps + 1.5), 0.32 * n_win + 1.6))
    coverage = np.zeros(n_steps, dtype=int)
    for i in range(n_win):
        s = i * stride
        coverage[s : s + length] += 1
        y = n_win - i
        ax.add_patch(plt.Rectangle((s - 0.5, y - 0.35), length, 0.7, facecolor="#9ecae1", edgecolor="#333333", lw=0.8))
        ax.text(s - 0.8, y, f"window {i}", ha="right", va="center", fontsize=8)
        if horizon is not None:
            ax.plot(s + length - 1 + horizon, y, "o", color="#d62728", ms=5)
    for t in range(n_steps):
        ax.text(t, 0, str(coverage[t]), ha="center", va="center", fontsize=8,
                color="#d62728" if coverage[t] == 0 else "#333333")
    ax.text(-0.8, 0, "windows per step", ha="right", va="center", fontsize=8)
    ax.set_xlim(-0.5 - 0.2 * n_steps, n_steps - 0.5)
    ax.set_ylim(-0.7, n_win + 0.7)
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

"""Figures of anomaly flags: flagged runs over the series, labels and per-step errors.

Part of :mod:`seqshape.plotting`; every function takes ``ax=None`` and returns the Figure.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from seqshape._validation import as_array
from seqshape.plotting._common import figure_for, runs

__all__ = ["plot_flags"]


def plot_flags(
    values: np.ndarray,
    flags: np.ndarray,
    labels: np.ndarray | None = None,
    *,
    errors: np.ndarray | None = None,
    threshold: float | None = None,
    span: tuple[int, int] | None = None,
    title: str = "",
    ax: Any = None,
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
    ax : matplotlib.axes.Axes or sequence of Axes, optional
        Where to draw: one Axes, or two (series, errors) when ``errors`` is given. Default None: a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        One panel, or two sharing the time axis when ``errors`` is given.

    Raises
    ------
    TypeError
        If an array does not hold real numbers (complex, object, text).
    ValueError
        If ``values`` is not 1-D or empty, or ``flags``, ``labels`` or ``errors`` does not
        have its shape.

    Examples
    --------
    >>> v = np.sin(np.arange(50) / 5)
    >>> f = np.zeros(50, dtype=bool); f[20:25] = True
    >>> fig = plot_flags(v, f, errors=np.abs(np.diff(v, prepend=0)), threshold=0.2)
    >>> len(fig.axes)
    2
    >>> plt.close(fig)
    """
    values = as_array(values, "values", ndim=(1,), min_steps=1, layout="(n_steps,)")
    for name, arr in (("flags", flags), ("labels", labels), ("errors", errors)):
        if arr is not None:
            arr = as_array(arr, name)
        if arr is not None and np.shape(arr) != values.shape:
            raise ValueError(f"{name} must have the shape of values {values.shape}, got {np.shape(arr)}")
    start, stop = span if span is not None else (0, len(values))
    t = np.arange(start, stop)
    n_rows = 1 if errors is None else 2
    fig, panels = figure_for(ax, n_rows, figsize=(9, 2.4 * n_rows + 0.4), nrows=n_rows, sharex=True)
    top = panels[0]
    top.plot(t, values[start:stop], color="#1f77b4", lw=1, label="series")
    for k, (a, b) in enumerate(runs(np.asarray(flags, dtype=bool)[start:stop])):
        for p in panels:
            p.axvspan(start + a - 0.5, start + b - 0.5, color="#ff7f0e", alpha=0.3, lw=0,
                      label="flagged" if (k == 0 and p is top) else None)
    if labels is not None:
        lab = np.asarray(labels, dtype=bool)[start:stop]
        top.plot(t[lab], values[start:stop][lab], ".", color="#d62728", ms=6, label="labelled anomaly")
    top.legend(loc="upper right", fontsize=8)
    top.set_title(title, fontsize=10)
    if errors is not None:
        low = panels[1]
        low.plot(t, np.asarray(errors)[start:stop], color="#555555", lw=1, label="error")
        if threshold is not None:
            low.axhline(threshold, color="#d62728", ls="--", lw=1, label="threshold")
        low.legend(loc="upper right", fontsize=8)
        low.set_ylabel("error")
    panels[-1].set_xlabel("time step")
    fig.tight_layout()
    return fig

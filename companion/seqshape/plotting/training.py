"""Figures of training and comparison: learning curves, trade-offs, forecast errors.

Part of :mod:`seqshape.plotting`; every function takes ``ax=None`` and returns the Figure.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from seqshape.plotting._common import figure_for

__all__ = ["plot_forecast_comparison", "plot_histories", "plot_tradeoffs"]


def plot_histories(
    histories: dict[str, dict[str, list[float]]], *, metric: str = "loss", ax: Any = None
) -> plt.Figure:
    """Draw training and validation curves of one metric for one or more Keras runs.

    Parameters
    ----------
    histories : dict of str to dict
        Run label to ``History.history`` (a dict of per-epoch lists, with ``metric`` and
        ``"val_" + metric``).
    metric : str, optional
        The metric to draw. Default ``"loss"``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.

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
    fig, (ax,) = figure_for(ax, figsize=(6, 3.2))
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


def plot_tradeoffs(
    names: list[str],
    *,
    score: list[float],
    params: list[int],
    seconds: list[float],
    baseline: float | None = None,
    score_label: str = "test accuracy",
    ax: Any = None,
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
    ax : matplotlib.axes.Axes or sequence of Axes, optional
        Where to draw: three Axes (score, parameters, seconds). Default None: a new figure.

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
    fig, axes = figure_for(ax, 3, figsize=(10, 3))
    colors = [f"C{i}" for i in range(n)]
    for panel, values, title in zip(axes, (score, params, seconds), (score_label, "parameters", "training seconds"), strict=True):
        panel.bar(names, values, color=colors)
        panel.set_title(title, fontsize=10)
        panel.tick_params(axis="x", labelsize=8)
    if baseline is not None:
        axes[0].axhline(baseline, color="black", ls="--", lw=1)
        axes[0].text(n - 0.5, baseline, " baseline", va="bottom", ha="right", fontsize=8)
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
    fig, (ax,) = figure_for(ax, figsize=(6.4, 0.45 * len(names) + 1.4))
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

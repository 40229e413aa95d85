"""Lag and rolling features for a Dense model, with no leakage from the future.

A Dense layer has no notion of time: it sees one row of numbers per sample. To forecast ``x[t]``
with it, each row ``t`` must hold what was known *before* ``t``: past values (lags) and summaries
of the recent past (rolling means). The two functions here build such tables so that row ``t``
never depends on ``x[t]`` or anything after it. Their output lines up row for row with the
series, so ``features[t]`` is the input for the target ``x[t]``; rows without enough history are
NaN (never silently dropped) and the caller decides what to do with them.

This module needs only NumPy and never imports TensorFlow.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from seqshape._validation import as_array, check_int, float_dtype, is_int

__all__ = ["lag_features", "rolling_features"]


def _as_table(x: Any) -> np.ndarray:
    """``x`` as a ``(T, F)`` view: a real-valued 1-D or 2-D series with at least one step."""
    arr = as_array(x, "x", ndim=(1, 2), min_steps=1, layout="(T,) or (T, F)")
    return arr.reshape(arr.shape[0], -1) if arr.ndim == 2 else arr[:, None]


def _steps(values: Any, name: str, what: str) -> list[int]:
    """An int or a sequence of ints as a non-empty list of ints >= 1."""
    items = [values] if is_int(values) else values
    if isinstance(items, (str, bytes)) or not isinstance(items, Sequence | np.ndarray):
        raise TypeError(f"{name} must be an int or a sequence of ints, got {type(values).__name__}")
    if len(items) == 0:
        raise ValueError(f"{name} must not be empty, got {values!r}; pass at least one {what}")
    fix = f"{name}=0 would put x[t] itself in row t and leak the target into its own features"
    return [check_int(v, name if is_int(values) else f"{name}[{i}]", fix=fix) for i, v in enumerate(items)]


def lag_features(x: np.ndarray, lags: int | Sequence[int]) -> np.ndarray:
    """Past values of a series as columns: row ``t`` holds ``x[t - lag]`` for each lag.

    Parameters
    ----------
    x : array_like
        A series with time on axis 0, shape ``(T,)`` or ``(T, F)``, ``T >= 1``: a NumPy array of
        any layout, a list, or a pandas Series/DataFrame.
    lags : int or sequence of int
        How many steps back each column looks; every lag must be >= 1 (lag 0 would be ``x[t]``
        itself). Repeated lags give repeated columns.

    Returns
    -------
    numpy.ndarray
        Shape ``(T, len(lags) * F)`` (``F = 1`` for 1-D input), a new array, floating point
        (float16 and float32 input give float32; bool, int and float64 give float64). Columns
        are grouped by lag: column
        ``j * F + f`` holds ``x[t - lags[j], f]``. Row ``t`` is NaN in the columns whose lag is
        larger than ``t`` (no history yet); no row is dropped.

    Raises
    ------
    TypeError
        If ``x`` does not hold real numbers (complex, object, text), or ``lags`` is not an int
        or a sequence of ints.
    ValueError
        If ``x`` is not 1-D or 2-D or has no steps, a lag is < 1, or ``lags`` is empty.

    See Also
    --------
    rolling_features : means over the recent past, the smooth companion of lags.
    seqshape.windows.make_supervised : the whole recent window as a 3-D input for sequence layers.

    Notes
    -----
    Costs one new array of ``T * len(lags) * F`` values; each column is one slice copy. A lag
    ``>= T`` gives a column of NaN, which is allowed so that a feature set can be reused on a
    short series.

    Examples
    --------
    >>> x = np.arange(6.0)
    >>> lag_features(x, [1, 3]).shape
    (6, 2)
    >>> lag_features(x, [1, 3])
    array([[nan, nan],
           [ 0., nan],
           [ 1., nan],
           [ 2.,  0.],
           [ 3.,  1.],
           [ 4.,  2.]])

    With several features, the columns of one lag stay together:

    >>> xy = np.stack([np.arange(4.0), 10 * np.arange(4.0)], axis=1)
    >>> xy.shape
    (4, 2)
    >>> lag_features(xy, 1)
    array([[nan, nan],
           [ 0.,  0.],
           [ 1., 10.],
           [ 2., 20.]])
    """
    series = _as_table(x)
    steps = _steps(lags, "lags", "lag (how many steps back a column looks)")
    n_steps, n_features = series.shape
    out = np.full((n_steps, len(steps), n_features), np.nan, dtype=float_dtype(series.dtype))
    for j, lag in enumerate(steps):
        if lag < n_steps:
            out[lag:, j] = series[: n_steps - lag]
    return out.reshape(n_steps, len(steps) * n_features)


def rolling_features(
    x: np.ndarray, lengths: int | Sequence[int] | None = None, *, windows: int | Sequence[int] | None = None
) -> np.ndarray:
    """Means of the recent past as columns: row ``t`` holds ``x[t - w : t].mean(axis=0)``.

    The window ends *before* step ``t``, so row ``t`` can be used to predict ``x[t]``.

    Parameters
    ----------
    x : array_like
        A series with time on axis 0, shape ``(T,)`` or ``(T, F)``, ``T >= 1``.
    lengths : int or sequence of int
        The number of past steps each mean covers (its length, as ``length`` in
        :mod:`seqshape.windows`); every length must be >= 1.
    windows : int or sequence of int, optional
        Deprecated name of ``lengths`` (it warns); removed in the next release.

    Returns
    -------
    numpy.ndarray
        Shape ``(T, len(lengths) * F)``, a new array, floating point (float16 and float32 input
        give float32, bool, int and float64 give float64). Column ``j * F + f`` holds the mean of
        ``x[t - lengths[j] : t, f]``. Rows ``t < lengths[j]`` are NaN in those columns (not enough
        history); no row is dropped.

    Raises
    ------
    TypeError
        If ``x`` does not hold real numbers (complex, object, text), or ``lengths`` is not an
        int or a sequence of ints.
    ValueError
        If ``x`` is not 1-D or 2-D or has no steps, a length is < 1, or ``lengths`` is empty.

    See Also
    --------
    lag_features : single past values; ``rolling_features(x, 1)`` equals ``lag_features(x, 1)``.
    pandas.Series.rolling : the same means with ``.rolling(w).mean().shift(1)``; the shift is
        the step people forget, which puts ``x[t]`` into its own feature.

    Notes
    -----
    Each mean is computed exactly over a read-only ``sliding_window_view`` (no cumulative sums,
    so no rounding drift on long series): about ``T * w * F`` additions per window size and one
    new output array. A NaN in ``x`` makes every mean that covers it NaN.

    Examples
    --------
    >>> x = np.arange(6.0)
    >>> rolling_features(x, [1, 2]).shape
    (6, 2)
    >>> rolling_features(x, [1, 2])
    array([[nan, nan],
           [0. , nan],
           [1. , 0.5],
           [2. , 1.5],
           [3. , 2.5],
           [4. , 3.5]])
    """
    if windows is not None:
        warnings.warn(
            "rolling_features(windows=...) is deprecated: the number of steps a mean covers is "
            "its length, as in sliding_windows; use rolling_features(x, lengths)",
            DeprecationWarning,
            stacklevel=2,
        )
        lengths = windows
    if lengths is None:
        raise TypeError("rolling_features needs lengths: rolling_features(x, lengths), e.g. lengths=[24, 48]")
    series = _as_table(x)
    sizes = _steps(lengths, "lengths", "length (how many past steps a mean covers)")
    n_steps, n_features = series.shape
    out = np.full((n_steps, len(sizes), n_features), np.nan, dtype=float_dtype(series.dtype))
    for j, w in enumerate(sizes):
        if w < n_steps:
            # view[i] covers x[i : i + w]; row t = i + w needs the window that ends at t - 1.
            view = sliding_window_view(series[: n_steps - 1], w, axis=0)
            out[w:, j] = view.mean(axis=-1, dtype=np.float64)
    return out.reshape(n_steps, len(sizes) * n_features)

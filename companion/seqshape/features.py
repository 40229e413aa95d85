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

from collections.abc import Sequence

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["lag_features", "rolling_features"]


def _as_series(x: np.ndarray, name: str = "x") -> np.ndarray:
    """Return ``x`` as a ``(T, F)`` view and check that it is a numeric 1-D or 2-D series."""
    arr = np.asarray(x)
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == np.bool_):
        raise TypeError(f"{name} must be a numeric array, got dtype {arr.dtype}; convert it with np.asarray({name}, dtype=float)")
    if arr.ndim not in (1, 2):
        raise ValueError(
            f"{name} must be 1-D (T,) or 2-D (T, F) with time on axis 0, got shape {arr.shape}; "
            f"for a batch of windows use seqshape.windows instead, or reshape to (T, F)"
        )
    return arr.reshape(arr.shape[0], -1) if arr.ndim == 2 else arr[:, None]


def _check_steps(values: int | Sequence[int], name: str, what: str) -> list[int]:
    """Turn an int or a sequence of ints into a non-empty list of positive ints."""
    items = [values] if isinstance(values, (int, np.integer)) else values
    if isinstance(items, (str, bytes)) or not isinstance(items, Sequence | np.ndarray):
        raise TypeError(f"{name} must be an int or a sequence of ints, got {type(values).__name__}")
    out: list[int] = []
    for v in items:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"{name} must contain ints, got {v!r} of type {type(v).__name__}")
        if v < 1:
            raise ValueError(
                f"{name} must be >= 1 ({what}), got {int(v)}; {name}=0 would put x[t] itself "
                f"in row t and leak the target into its own features"
            )
        out.append(int(v))
    if not out:
        raise ValueError(f"{name} must not be empty, got {values!r}")
    return out


def _float_dtype(dtype: np.dtype) -> np.dtype:
    """The floating dtype of the output: float32 stays float32, everything else becomes float64."""
    return np.result_type(dtype, np.float32) if np.issubdtype(dtype, np.floating) else np.dtype(np.float64)


def lag_features(x: np.ndarray, lags: int | Sequence[int]) -> np.ndarray:
    """Past values of a series as columns: row ``t`` holds ``x[t - lag]`` for each lag.

    Parameters
    ----------
    x : numpy.ndarray
        A series with time on axis 0, shape ``(T,)`` or ``(T, F)``.
    lags : int or sequence of int
        How many steps back each column looks; every lag must be >= 1 (lag 0 would be ``x[t]``
        itself). Repeated lags give repeated columns.

    Returns
    -------
    numpy.ndarray
        Shape ``(T, len(lags) * F)`` (``F = 1`` for 1-D input), floating point (float32 input
        stays float32, anything else becomes float64). Columns are grouped by lag: column
        ``j * F + f`` holds ``x[t - lags[j], f]``. Row ``t`` is NaN in the columns whose lag is
        larger than ``t`` (no history yet); no row is dropped.

    Raises
    ------
    TypeError
        If ``x`` is not numeric or ``lags`` is not an int or a sequence of ints.
    ValueError
        If ``x`` is not 1-D or 2-D, or a lag is < 1, or ``lags`` is empty.

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
    series = _as_series(x)
    steps = _check_steps(lags, "lags", "a lag is how many steps back a column looks")
    n_steps, n_features = series.shape
    out = np.full((n_steps, len(steps), n_features), np.nan, dtype=_float_dtype(series.dtype))
    for j, lag in enumerate(steps):
        if lag < n_steps:
            out[lag:, j] = series[: n_steps - lag]
    return out.reshape(n_steps, len(steps) * n_features)


def rolling_features(x: np.ndarray, windows: int | Sequence[int]) -> np.ndarray:
    """Means of the recent past as columns: row ``t`` holds ``x[t - w : t].mean(axis=0)``.

    The window ends *before* step ``t``, so row ``t`` can be used to predict ``x[t]``.

    Parameters
    ----------
    x : numpy.ndarray
        A series with time on axis 0, shape ``(T,)`` or ``(T, F)``.
    windows : int or sequence of int
        The number of past steps each mean covers; every window must be >= 1.

    Returns
    -------
    numpy.ndarray
        Shape ``(T, len(windows) * F)``, floating point (float32 input stays float32, anything
        else becomes float64). Column ``j * F + f`` holds the mean of ``x[t - windows[j] : t, f]``.
        Rows ``t < windows[j]`` are NaN in those columns (not enough history); no row is dropped.

    Raises
    ------
    TypeError
        If ``x`` is not numeric or ``windows`` is not an int or a sequence of ints.
    ValueError
        If ``x`` is not 1-D or 2-D, or a window is < 1, or ``windows`` is empty.

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
    series = _as_series(x)
    sizes = _check_steps(windows, "windows", "a window is how many past steps a mean covers")
    n_steps, n_features = series.shape
    out = np.full((n_steps, len(sizes), n_features), np.nan, dtype=_float_dtype(series.dtype))
    for j, w in enumerate(sizes):
        if w < n_steps:
            # view[i] covers x[i : i + w]; row t = i + w needs the window that ends at t - 1.
            view = sliding_window_view(series[: n_steps - 1], w, axis=0)
            out[w:, j] = view.mean(axis=-1, dtype=np.float64)
    return out.reshape(n_steps, len(sizes) * n_features)

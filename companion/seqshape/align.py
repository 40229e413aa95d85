"""Bring several series onto one time axis so they can be concatenated as features.

A recurrent layer reads one tensor of shape ``(batch, timesteps, features)``. Several inputs can
only be concatenated on the ``features`` axis when they share the ``timesteps`` axis: the same
length, the same instants, the same sampling rate. This module covers the three ways that goes
wrong:

``stack_features`` and ``add_batch_axis``
    Series of the same length, stacked as features ``(T, F)``, then given the batch axis
    ``(1, T, F)``. A length mismatch is an error that lists every series' length.
``resample``
    Series recorded at different rates, brought to one rate with an anti-aliasing filter
    (polyphase, :func:`scipy.signal.resample_poly`).
``pad_batch``
    Samples of different lengths, padded into one ``(batch, T, F)`` array plus a boolean mask
    of the real steps (:func:`keras.utils.pad_sequences` underneath).

Only ``pad_batch`` imports Keras, and only when it is called: stacking and resampling need NumPy
and SciPy alone.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from fractions import Fraction
from numbers import Integral
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from seqshape._validation import (
    as_array,
    check_choice,
    check_int,
    check_optional_int,
    check_real,
    describe,
    ensure_finite,
)

__all__ = ["MAX_RESAMPLE_FACTOR", "add_batch_axis", "pad_batch", "resample", "stack_features"]

#: Largest ``up`` or ``down`` factor :func:`resample` accepts by default. The polyphase filter
#: has about ``20 * max(up, down)`` taps, so a larger factor costs memory and time for no gain.
MAX_RESAMPLE_FACTOR = 1000


def _describe(i: int, names: Sequence[str] | None) -> str:
    if names is not None:
        return f"series {i} ({names[i]!r})"
    return f"series {i}"


def stack_features(*series: ArrayLike, names: Sequence[str] | None = None) -> np.ndarray:
    """Stack same-length series side by side as features: ``(T,)`` or ``(T, k)`` -> ``(T, F)``.

    Parameters
    ----------
    *series : array_like
        One or more series with time on axis 0, each of shape ``(T,)`` (one feature) or
        ``(T, k)`` (``k`` features). All must have the same ``T``. pandas Series or DataFrames
        are accepted; if several carry an index, the indexes must be equal (same timestamps).
    names : sequence of str, optional
        A name per series, used only in error messages. Default None: the pandas ``.name``
        where there is one, else the position.

    Returns
    -------
    numpy.ndarray
        Shape ``(T, F)`` with ``F = sum(k_i)`` (``k_i = 1`` for a 1-D series), in the order
        given. The dtype is the common NumPy type of the inputs.

    Raises
    ------
    TypeError
        If the series are passed as one list (``stack_features([a, b])``: unpack it with
        ``stack_features(*series)``), or a series is not real numbers (complex, object, text).
    ValueError
        If no series is given, a series is not 1-D or 2-D or has no steps, the lengths differ (the message
        lists each series' length), ``names`` has the wrong length, or pandas inputs have the
        same length but different indexes.

    See Also
    --------
    add_batch_axis : turns the ``(T, F)`` result into the ``(1, T, F)`` batch of one sample.
    resample : brings a series recorded at another rate to the same number of steps first.
    pad_batch : for *samples* of different lengths (not features), pad and mask instead.
    pandas.concat : ``pd.concat(series, axis=1, join="inner")`` aligns series on timestamps.

    Notes
    -----
    The result is a new array (one copy of the data, ``O(T * F)``); the inputs are not changed.
    Stacking checks lengths, not meaning: two NumPy arrays of the same length that start on
    different dates stack without complaint. Keep timestamps (pandas) until the series are
    aligned, so that the index check can catch that.

    Examples
    --------
    >>> temperature = np.arange(5.0)
    >>> humidity = np.arange(5.0) * 10
    >>> x = stack_features(temperature, humidity)
    >>> x.shape
    (5, 2)
    >>> x[1].tolist()
    [1.0, 10.0]

    A 2-D series adds all its columns:

    >>> stack_features(temperature, np.zeros((5, 3))).shape
    (5, 4)
    """
    if not series:
        raise ValueError(
            "stack_features needs at least one series, got none; "
            "call it as stack_features(a, b, ...), not stack_features([a, b])"
        )
    if len(series) == 1 and isinstance(series[0], (list, tuple)) and any(np.ndim(s) > 0 for s in series[0]):
        raise TypeError(
            f"stack_features takes each series as its own argument, got one {type(series[0]).__name__} "
            f"of {len(series[0])} series; unpack it: stack_features(*series) (a list would be read as "
            "one series whose steps are the list's items)"
        )
    if names is not None:
        names = [str(n) for n in names]
        if len(names) != len(series):
            raise ValueError(
                f"names must give one name per series: got {len(names)} names for "
                f"{len(series)} series"
            )
    else:
        pd_names = [getattr(s, "name", None) for s in series]
        if any(n is not None for n in pd_names):
            names = [str(n) if n is not None else f"#{i}" for i, n in enumerate(pd_names)]

    arrays = [as_array(s, f"series[{i}]", min_steps=1) for i, s in enumerate(series)]
    for i, a in enumerate(arrays):
        if a.ndim not in (1, 2):
            raise ValueError(
                f"{_describe(i, names)} must be 1-D (timesteps,) or 2-D (timesteps, features), "
                f"got shape {a.shape}; time is axis 0, so reshape it to (T, -1) first"
            )
    lengths = [a.shape[0] for a in arrays]
    if len(set(lengths)) > 1:
        listing = ", ".join(f"{_describe(i, names)}: {n} steps" for i, n in enumerate(lengths))
        raise ValueError(
            f"stack_features needs series of the same length (time on axis 0), got {listing}. "
            "Align them first: on shared timestamps (pandas: pd.concat(..., axis=1, "
            "join='inner')), or to one sampling rate (seqshape.align.resample); if they are "
            "different samples rather than features of one sample, use seqshape.align.pad_batch"
        )

    indexes = [(i, s.index) for i, s in enumerate(series) if hasattr(s, "index") and hasattr(s.index, "equals")]
    if len(indexes) > 1:
        i0, first = indexes[0]
        for i, idx in indexes[1:]:
            if not first.equals(idx):
                raise ValueError(
                    f"{_describe(i0, names)} and {_describe(i, names)} have the same length "
                    f"({lengths[0]}) but different time indexes (they start at {first[0]!s} and "
                    f"{idx[0]!s}); align them on timestamps first, e.g. "
                    "pd.concat(series, axis=1, join='inner')"
                )

    columns = [a.reshape(a.shape[0], -1) for a in arrays]
    return np.concatenate(columns, axis=1)


def add_batch_axis(x: ArrayLike) -> np.ndarray:
    """Turn one sample ``(T, F)`` into a batch of one, ``(1, T, F)``, as Keras expects.

    Parameters
    ----------
    x : array_like
        One sample of shape ``(timesteps, features)``.

    Returns
    -------
    numpy.ndarray
        Shape ``(1, T, F)``: a read-only view of ``x`` (no copy) when ``x`` is a NumPy array.

    Raises
    ------
    TypeError
        If ``x`` does not hold real numbers (complex, object, text).
    ValueError
        If ``x`` is not 2-D; the message says how to get there.

    See Also
    --------
    stack_features : builds the ``(T, F)`` sample from several series.
    numpy.expand_dims : the general tool; ``x[np.newaxis]`` is the same view, writable.

    Notes
    -----
    A batch of one sample is what you pass to ``model.predict`` for a single series. To *train*
    on one long series, cut it into many windows instead (``seqshape.windows``): a batch of one
    gives the model one example to learn from.

    Examples
    --------
    >>> x = np.zeros((100, 2))
    >>> add_batch_axis(x).shape
    (1, 100, 2)
    >>> np.shares_memory(add_batch_axis(x), x)
    True
    """
    arr = as_array(x, "x", layout="(timesteps, features)")
    if arr.ndim != 2:
        hints = {
            0: "a scalar is not a sequence",
            1: "for one feature use x[:, None] (or stack_features(x)); for one time step use x[None, :]",
            3: "it already has 3 axes, so it is probably a batch already: pass it as is",
        }
        hint = hints.get(arr.ndim, "reshape it to (timesteps, features) first")
        raise ValueError(
            f"add_batch_axis expects one sample of shape (timesteps, features), got shape "
            f"{arr.shape}; {hint}"
        )
    view = arr[np.newaxis]
    view.flags.writeable = False  # a view: read-only, whatever x was
    return view


def _as_fraction(name: str, rate: Any) -> Fraction:
    """A rate as an exact fraction; a float becomes the simplest fraction it rounds from."""
    if isinstance(rate, Fraction):
        value = rate
    else:
        check_real(rate, name, positive=True, fix=f"{name} is a number of samples per unit time")
        if isinstance(rate, (Integral, np.integer)):
            return Fraction(int(rate))
        value = Fraction(float(rate))
        # The smallest denominator that reproduces the float: 0.1 -> 1/10, 1/3 -> 1/3 (not
        # 6004799503160661/18014398509481984), 44.1 -> 441/10.
        target = float(rate)
        for bound in (10**k for k in range(1, 13)):
            candidate = value.limit_denominator(bound)
            if abs(float(candidate) - target) <= 4 * np.finfo(float).eps * abs(target):
                value = candidate
                break
    if value <= 0:
        raise ValueError(f"{name} must be a positive, finite number of samples per unit time, got {rate!r}")
    return value


def resample(
    x: ArrayLike,
    *,
    from_rate: float | Fraction,
    to_rate: float | Fraction,
    padtype: str = "line",
    max_factor: int = MAX_RESAMPLE_FACTOR,
) -> np.ndarray:
    """Change the sampling rate along axis 0, removing what the new rate cannot represent.

    The ratio ``to_rate / from_rate`` is reduced to ``up / down`` exactly, and the series is
    upsampled by ``up``, low-pass filtered, and downsampled by ``down`` in one polyphase step
    (:func:`scipy.signal.resample_poly`). Components above the new Nyquist frequency
    (``min(from_rate, to_rate) / 2``) are filtered out instead of folding into low frequencies
    (aliasing), which is what taking every n-th sample or interpolating would do.

    Parameters
    ----------
    x : array_like
        Shape ``(T, ...)``: time on axis 0, e.g. ``(T,)`` or ``(T, F)``, with ``T >= 2``. Real
        numbers only (bool, int, float), and no NaN or inf: the filter would spread each one
        over about 20 output steps.
    from_rate, to_rate : int, float or fractions.Fraction
        Samples per unit time before and after, keyword-only. Only their ratio matters, so any
        unit works (per second, per year...). Integers and Fractions give an exact ratio; a float
        is read as the fraction with the smallest denominator that rounds to it (``0.1`` is
        ``1/10``, ``1/3`` is ``1/3``, ``44.1`` is ``441/10``).
    padtype : str, optional
        How :func:`scipy.signal.resample_poly` extends the series beyond its ends. Default
        ``"line"``: a straight line fitted to the series is removed before filtering and added
        back after, so series with an offset or a trend do not dip at the edges (SciPy's own
        default, ``"constant"``, pads with zeros). Any ``padtype`` SciPy accepts works.
    max_factor : int, optional
        Largest ``up`` or ``down`` accepted (an int, not a bool). Default
        :data:`MAX_RESAMPLE_FACTOR` (1000).

    Returns
    -------
    numpy.ndarray
        Shape ``(ceil(T * up / down), ...)``, a new (writeable) array. float16 and float32
        input give float32; bool, int and float64 input give float64.

    Raises
    ------
    TypeError
        If a rate is not a real number, ``max_factor`` is not an int, or ``x`` does not hold
        real numbers (complex, object or text).
    ValueError
        If a rate is not positive and finite, ``x`` is 0-D or has fewer than 2 steps, ``x``
        contains NaN or inf, or the reduced ratio needs a factor above ``max_factor``.

    See Also
    --------
    scipy.signal.resample_poly : the filter used here, with all its options.
    scipy.signal.decimate : integer downsampling only, with an IIR or FIR filter.
    pandas.Series.resample : for calendar data (months of unequal length), aggregate instead:
        ``s.resample("MS").mean()`` averages each month, a crude but safe low-pass.

    Notes
    -----
    Cost: the filter has about ``20 * max(up, down) + 1`` taps and the work is about
    ``T * up / down * 20 * max(up, down) / up`` multiply-adds per column, so keep the ratio
    simple (52 weeks -> 12 months is ``3/13``). The first and last few output steps are less
    accurate than the rest: the filter needs samples beyond the ends, which ``padtype`` invents.
    Upsampling adds no information: it fills the new steps with a smooth (band-limited)
    interpolation.

    Examples
    --------
    Halve the rate of a 2-feature series:

    >>> x = np.ones((100, 2))
    >>> y = resample(x, from_rate=10, to_rate=5)
    >>> y.shape
    (50, 2)
    >>> bool(np.allclose(y, 1.0))
    True

    A ratio that is not an integer (44.1 kHz to 16 kHz reduces to ``160 / 441``):

    >>> resample(np.zeros(441), from_rate=44.1, to_rate=16).shape
    (160,)
    """
    up_down = _as_fraction("to_rate", to_rate) / _as_fraction("from_rate", from_rate)
    up, down = up_down.numerator, up_down.denominator
    max_factor = check_int(max_factor, "max_factor")
    if max(up, down) > max_factor:
        raise ValueError(
            f"to_rate/from_rate = {to_rate}/{from_rate} reduces to up={up}, down={down}, above "
            f"max_factor={max_factor} (the filter would need about {20 * max(up, down) + 1} taps); "
            "round the rates to a simpler ratio (e.g. 52 weeks to 12 months, not 52.1775 to 12), "
            "raise max_factor, or for calendar data aggregate with pandas (s.resample('MS').mean())"
        )
    arr = as_array(x, "x", min_steps=1)
    if arr.shape[0] < 2:
        raise ValueError(
            f"x must have at least 2 time steps on axis 0 to be resampled, got shape {arr.shape}; "
            "one step has no rate to change: for a constant series, repeat the value "
            "(np.repeat(x, n, axis=0))"
        )
    arr = arr.astype(np.float32 if arr.dtype.kind == "f" and arr.dtype.itemsize <= 4 else np.float64, copy=False)
    ensure_finite(
        arr, "x",
        why="the filter would spread each {what} over many output steps",
        fix="Fill the gaps first, e.g. pandas' s.interpolate() or s.ffill(), and keep an "
        "indicator feature of what was filled",
    )  # fmt: skip
    from scipy.signal import resample_poly

    return resample_poly(arr, up, down, axis=0, padtype=padtype)


def pad_batch(
    sequences: Sequence[ArrayLike],
    *,
    maxlen: int | None = None,
    side: Literal["post", "pre"] = "post",
    pad_value: float = 0.0,
    truncate: Literal["post", "pre"] = "post",
    value: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Pad samples of different lengths into one batch, with a mask of the real steps.

    Parameters
    ----------
    sequences : sequence of array_like
        ``batch`` samples, sample ``i`` of shape ``(T_i, F)``: lengths may differ, the number of
        features ``F`` may not. At least one sample; no sample may be empty.
    maxlen : int, optional
        Length ``T`` of the result. Default None: the longest ``T_i``. Samples longer than
        ``maxlen`` lose ``T_i - maxlen`` steps at the end named by ``truncate``.
    side : {"post", "pre"}, optional
        Where the padding goes: after the real steps (``"post"``, default) or before them.
        Keep ``"post"`` for recurrent layers: it is what cuDNN-backed LSTM/GRU kernels accept.
    pad_value : float, optional
        The padding value. Default 0.0. If you mask with ``keras.layers.Masking``, pick a value
        that no real step has in *every* feature, or pass the returned mask instead. The same
        name as in :func:`seqshape.windows.sliding_windows`.
    truncate : {"post", "pre"}, optional
        Which end of a too-long sample to drop: the last steps (``"post"``, default) or the
        first ones (``"pre"``, keeps the most recent steps).
    value : float, optional
        Deprecated name of ``pad_value`` (it warns); removed in the next release.

    Returns
    -------
    padded : numpy.ndarray
        Shape ``(batch, T, F)``, float32, with ``T = maxlen`` or the longest ``T_i``.
    mask : numpy.ndarray
        Shape ``(batch, T)``, bool: True on real steps, False on padding. Row ``i`` has
        ``min(T_i, T)`` True values, at the start (``side="post"``) or the end (``"pre"``).

    Raises
    ------
    TypeError
        If ``sequences`` is a single array (``(T, F)`` or ``(T,)``) rather than a sequence of
        samples (the message says: wrap it in a list), a sample is not real numbers,
        ``maxlen`` is not an int, ``pad_value`` is not a real number, or ``side``/``truncate``
        is not a string.
    ValueError
        If ``sequences`` is empty, a sample is not 2-D or has no steps, the samples disagree on
        ``F``, ``maxlen`` < 1, or ``side``/``truncate`` is not "pre" or "post".

    See Also
    --------
    keras.utils.pad_sequences : does the padding; it has no mask and no checks on ``F``.
    keras.layers.Masking : derives the same mask inside a model from ``value``.
    stack_features : for *features* of one sample (same time axis), not for samples.

    Notes
    -----
    Cost: one float32 array of ``batch * T * F`` values (a copy) and a bool mask of
    ``batch * T``. Imports Keras on first call.

    A Keras mask is per time step, shape ``(batch, T)``: it can hide a whole step, never one
    feature of a step. Padding is therefore for samples of different lengths; features of one
    sample that cover different spans need aligning on timestamps instead.

    Examples
    --------
    >>> a, b = np.ones((3, 2)), np.ones((5, 2))
    >>> padded, mask = pad_batch([a, b])
    >>> padded.shape, mask.shape
    ((2, 5, 2), (2, 5))
    >>> mask.astype(int).tolist()
    [[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]
    >>> pad_batch([a, b], side="pre")[1].astype(int).tolist()
    [[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]]
    """
    if value is not None:
        warnings.warn(
            "pad_batch(value=...) is deprecated: the padding value is called pad_value, as in "
            "sliding_windows; use pad_batch(..., pad_value=...)",
            DeprecationWarning,
            stacklevel=2,
        )
        pad_value = value
    if isinstance(sequences, (str, bytes)) or not hasattr(sequences, "__len__"):
        raise TypeError(
            f"sequences must be a list of (timesteps, features) arrays, got {describe(sequences)}; "
            "pass pad_batch([x1, x2, ...])"
        )
    one_array = isinstance(sequences, np.ndarray) and sequences.ndim in (1, 2) and sequences.dtype.kind != "O"
    if one_array or hasattr(sequences, "to_numpy"):  # an ndarray, or a pandas Series/DataFrame
        raise TypeError(
            f"sequences must be a list of (timesteps, features) arrays, got one {describe(sequences)}; "
            "for a single sample, wrap it in a list: pad_batch([x])"
        )
    if len(sequences) == 0:
        raise ValueError("sequences is empty: pad_batch needs at least one (timesteps, features) sample")
    side = check_choice(side, "side", ("post", "pre"))
    truncate = check_choice(truncate, "truncate", ("post", "pre"))
    maxlen = check_optional_int(maxlen, "maxlen", fix="pass maxlen=None to pad to the longest sample")
    pad_value = check_real(pad_value, "pad_value")

    arrays = []
    for i, s in enumerate(sequences):
        if np.ndim(s) == 0:
            raise TypeError(
                f"sequences[{i}] is a scalar ({s!r}); sequences must be a list of "
                "(timesteps, features) arrays: for a single series, wrap it in a list, pad_batch([x])"
            )
        a = as_array(s, f"sequences[{i}]")
        if a.ndim != 2:
            hint = (
                "for one feature use [s[:, None] for s in sequences]"
                if a.ndim == 1
                else "reshape each sample to (timesteps, -1)"
            )
            raise ValueError(
                f"sequences[{i}] must be 2-D (timesteps, features), got shape {a.shape}; {hint}"
            )
        if a.shape[0] == 0:
            raise ValueError(
                f"sequences[{i}] has no time steps (shape {a.shape}); drop it before padding: "
                "a sample made of padding only has nothing to learn from and breaks cuDNN kernels"
            )
        arrays.append(a)
    features = sorted({a.shape[1] for a in arrays})
    if len(features) > 1:
        counts = {f: [i for i, a in enumerate(arrays) if a.shape[1] == f][:3] for f in features}
        listing = "; ".join(f"{f} features in sequences{idx}" for f, idx in counts.items())
        raise ValueError(
            f"all samples must have the same number of features, got {listing} "
            "(first indices shown); padding only fills the time axis: fix the features first"
        )

    from keras.utils import pad_sequences

    padded = pad_sequences(
        arrays, maxlen=maxlen, dtype="float32", padding=side, truncating=truncate, value=pad_value
    )
    n_steps = padded.shape[1]
    kept = np.minimum([a.shape[0] for a in arrays], n_steps)[:, None]
    steps = np.arange(n_steps)[None, :]
    mask = steps < kept if side == "post" else steps >= n_steps - kept
    return padded, mask

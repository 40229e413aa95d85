"""Cut a series into windows, pair windows with targets, and map window values back.

Time is axis 0 of a single series ``x``; everything after axis 0 (features, an image's
height x width, height x width x channels) travels along untouched. A batch of windows has
shape ``(n_windows, length, *x.shape[1:])``: the window axis is the second one, which is what
Keras sequence layers read as ``(batch, timesteps, ...)``.

================  ====================================================================
function          what it does
================  ====================================================================
sliding_windows   windows ``x[i*stride : i*stride + length]`` as a read-only view
make_supervised   input windows and the target ``horizon`` steps after each one
unwindow          average (or min, max, median) overlapping window values back onto time
WindowDataset     a ``keras.utils.PyDataset`` that serves batches of windows lazily
================  ====================================================================

Alignment of ``make_supervised`` (``length=3, horizon=1, stride=1``)::

    time       0   1   2   3   4   5   6
    X[0]      [x0  x1  x2]                  Y[0] = y[3]
    X[1]          [x1  x2  x3]              Y[1] = y[4]
    X[2]              [x2  x3  x4]          Y[2] = y[5]
    X[3]                  [x3  x4  x5]      Y[3] = y[6]
                                            (no X[4]: y[7] does not exist)

Three options apply to every window function:

- ``sampling_rate=r`` keeps every ``r``-th step inside a window: window ``i`` is
  ``x[s : s + (length - 1) * r + 1 : r]`` with ``s = i * stride``, so it spans
  ``(length - 1) * r + 1`` steps and still has ``length`` of them.
- ``target_length=k`` (targets only) gives each window the ``k`` consecutive target steps that
  end ``horizon`` steps after its last step: multi-step forecasts, or per-step targets for
  ``return_sequences=True``.
- ``x`` may be a list or tuple of arrays, one per recording (different lengths, same trailing
  shape): windows are cut from each series on its own, never across two of them.

Importing this module needs only NumPy; ``WindowDataset`` (which needs Keras) is imported on
first use.
"""

from __future__ import annotations

import importlib
import math
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from seqshape._dataset import WindowDataset

__all__ = ["WindowDataset", "make_supervised", "sliding_windows", "unwindow"]

Remainder = Literal["drop", "pad", "error"]
Reduce = Literal["mean", "min", "max", "median"]


def __getattr__(name: str) -> Any:
    # WindowDataset subclasses keras.utils.PyDataset: load Keras only when it is asked for,
    # so that `import seqshape.windows` stays a NumPy-only import.
    if name == "WindowDataset":
        return importlib.import_module("seqshape._dataset").WindowDataset
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals().keys(), "WindowDataset"])


# --------------------------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------------------------
def _as_series(x: Any, name: str = "x") -> np.ndarray:
    """Return ``x`` as an ndarray (no copy for arrays) with time on axis 0."""
    arr = np.asarray(x)
    if arr.ndim == 0:
        raise ValueError(
            f"{name} must have a time axis (axis 0), got a scalar of shape (); "
            f"pass a series such as np.array([...]) with shape (timesteps, ...)"
        )
    return arr


def _is_array_item(item: Any) -> bool:
    """True for an array with at least one axis (ndarray, memmap, pandas object)."""
    if isinstance(item, np.generic) or not hasattr(item, "__array__"):
        return False
    return np.ndim(item) >= 1


def _series_list(x: Any, name: str = "x") -> tuple[list[np.ndarray], bool]:
    """Read ``x`` as one series or as a list of series; return the arrays and which it was.

    A list or tuple whose items are arrays is several series; anything else goes through
    ``np.asarray`` as one series.
    """
    if isinstance(x, (list, tuple)) and len(x) > 0:
        is_array = [_is_array_item(item) for item in x]
        if all(is_array):
            series = [np.asarray(item) for item in x]
            trailing = series[0].shape[1:]
            for i, arr in enumerate(series):
                if arr.shape[1:] != trailing:
                    raise ValueError(
                        f"every series in {name} must have the same shape after the time "
                        f"axis, got {name}[0] shape {series[0].shape} and {name}[{i}] shape "
                        f"{arr.shape}; give each recording the same features (time on axis 0)"
                    )
            return series, True
        if any(is_array):
            bad = is_array.index(False)
            raise TypeError(
                f"{name} is a {type(x).__name__} that mixes arrays and other items: item "
                f"{bad} is {type(x[bad]).__name__} {x[bad]!r}; pass one array per series "
                f"(a list of arrays), or one series as a single array"
            )
    return [_as_series(x, name)], False


def _int(value: Any, name: str, hint: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}{hint}")
    return int(value)


def _positive_int(value: Any, name: str, hint: str = "") -> int:
    value = _int(value, name, hint)
    if value < 1:
        raise ValueError(f"{name} must be a positive int (>= 1), got {value}{hint}")
    return int(value)


def _horizon(horizon: Any) -> int:
    horizon = _int(horizon, "horizon")
    if horizon < 0:
        raise ValueError(
            f"horizon must be >= 0 (steps after the window's last step), got {horizon}; "
            f"use horizon=1 for the next step"
        )
    return int(horizon)


def _resolve_stride(length: int, stride: int | None, overlap: int | None) -> int:
    if overlap is None:
        return 1 if stride is None else _positive_int(stride, "stride")
    if stride is not None:
        raise ValueError(
            f"give stride or overlap, not both (got stride={stride!r}, overlap={overlap!r}); "
            f"overlap=k means stride=length-k"
        )
    overlap = _int(overlap, "overlap")
    if not 0 <= overlap < length:
        raise ValueError(
            f"overlap must be in [0, length) = [0, {length}) so that windows advance, "
            f"got overlap={overlap}; use overlap <= {length - 1}, or a longer length"
        )
    return length - overlap


def _describe_span(length: int, sampling_rate: int) -> str:
    if sampling_rate == 1:
        return f"length={length}"
    span = (length - 1) * sampling_rate + 1
    return f"length={length} with sampling_rate={sampling_rate} (a window spans {span} steps)"


def _check_fits(
    n_steps: int, length: int, shape: tuple[int, ...], name: str = "x", sampling_rate: int = 1
) -> None:
    span = (length - 1) * sampling_rate + 1
    if span > n_steps:
        fix = (
            f"use length <= {n_steps}"
            if sampling_rate == 1
            else f"use length <= {(n_steps - 1) // sampling_rate + 1} or a smaller sampling_rate"
        )
        raise ValueError(
            f"{_describe_span(length, sampling_rate)} is longer than the series: {name} has "
            f"{n_steps} steps on axis 0 (shape {shape}); {fix}, or check that time is on axis 0"
        )


def _check_has_target(
    shape: tuple[int, ...], length: int, horizon: int, sampling_rate: int
) -> None:
    n_steps = shape[0]
    if (length - 1) * sampling_rate + 1 + horizon > n_steps:
        fix = (
            f"use length <= {n_steps - horizon}"
            if sampling_rate == 1
            else f"use length <= {(n_steps - horizon - 1) // sampling_rate + 1}"
        )
        raise ValueError(
            f"no window has a target: {_describe_span(length, sampling_rate)} + "
            f"horizon={horizon} > {n_steps} steps (x shape {shape}); {fix}, or a longer series"
        )


def _target_reach(length: int, sampling_rate: int, horizon: int, target_length: int) -> int:
    """Offset from a window's start to its first target step; checked to be >= 0."""
    last = (length - 1) * sampling_rate + horizon
    first = last - target_length + 1
    if first < 0:
        raise ValueError(
            f"target_length={target_length} reaches before the series starts: the targets of "
            f"the first window would be steps {first}..{last}; use target_length <= "
            f"{last + 1} (= (length - 1) * sampling_rate + horizon + 1), or a larger horizon"
        )
    return first


def _too_short(name: str, index: int, arr: np.ndarray, need: int, what: str) -> ValueError:
    return ValueError(
        f"series {index} of {name} (shape {arr.shape}) has {arr.shape[0]} steps, too short for "
        f"one {what}: it needs at least {need} steps; drop it, or pass skip_short=True to skip "
        f"series that are too short"
    )


def _kept_series(
    series: list[np.ndarray], need: int, skip_short: bool, name: str, what: str
) -> list[int]:
    """Indices of the series of a list that hold at least ``need`` steps (errors otherwise)."""
    kept = []
    for i, arr in enumerate(series):
        if arr.shape[0] >= need:
            kept.append(i)
        elif not skip_short:
            raise _too_short(name, i, arr, need, what)
    if not kept:
        longest = max(arr.shape[0] for arr in series)
        raise ValueError(
            f"skip_short=True skipped every series of {name}: none of the {len(series)} has "
            f"the {need} steps one {what} needs (the longest has {longest}); use a shorter "
            f"window or longer recordings"
        )
    return kept


def _paired_targets(xs: list[np.ndarray], y: Any, is_list: bool, name: str) -> list[np.ndarray]:
    """Read ``y`` like ``x`` and check that it pairs with ``x`` series by series, step by step."""
    ys, y_is_list = _series_list(y, name)
    if is_list != y_is_list or len(ys) != len(xs):
        got = f"a list of {len(ys)} series" if y_is_list else f"one array of shape {ys[0].shape}"
        want = f"a list of {len(xs)} series" if is_list else f"one array of shape {xs[0].shape}"
        raise ValueError(
            f"{name} must match x: x is {want}, but {name} is {got}; pass one target series "
            f"per input series, in the same order"
        )
    if is_list:
        for i, (xa, ya) in enumerate(zip(xs, ys, strict=True)):
            if xa.shape[0] != ya.shape[0]:
                raise ValueError(
                    f"series {i}: x and {name} must have the same number of steps on axis 0, "
                    f"got x[{i}] shape {xa.shape} and {name}[{i}] shape {ya.shape}; pass "
                    f"targets aligned with x step by step ({name}[{i}][t] belongs to time t)"
                )
    return ys


def _plan(n_steps: int, length: int, stride: int) -> tuple[int, int, bool]:
    """Full windows, steps they leave out at the end, and whether a padded window is reachable.

    ``length`` is the span of a window in steps. A padded last window starts at
    ``n_full * stride`` (the next multiple of the stride); it exists only if that start lies
    inside the series and the full windows leave steps there.
    """
    n_full = (n_steps - length) // stride + 1
    covered_end = (n_full - 1) * stride + length
    next_start = n_full * stride
    reachable = covered_end < n_steps and next_start < n_steps
    return n_full, n_steps - covered_end, reachable


def _view(arr: np.ndarray, length: int, stride: int, sampling_rate: int) -> np.ndarray:
    """Read-only view ``(n_windows, length, ...)`` of every full window of one series."""
    span = (length - 1) * sampling_rate + 1
    # sliding_window_view puts the window axis last: (n_steps - span + 1, *rest, span).
    view = sliding_window_view(arr, span, axis=0)[::stride, ..., ::sampling_rate]
    return np.moveaxis(view, -1, 1)


# --------------------------------------------------------------------------------------------
# sliding_windows
# --------------------------------------------------------------------------------------------
def sliding_windows(
    x: Any,
    length: int,
    *,
    stride: int | None = None,
    overlap: int | None = None,
    remainder: Remainder = "drop",
    pad_value: float = 0.0,
    sampling_rate: int = 1,
    skip_short: bool = False,
) -> np.ndarray:
    """Cut a series into windows along axis 0, as a read-only view when possible.

    Window ``i`` is ``x[s : s + (length - 1) * sampling_rate + 1 : sampling_rate]`` with
    ``s = i * stride``; with the default ``sampling_rate=1`` that is ``x[s : s + length]``.

    Parameters
    ----------
    x : array_like, shape (n_steps, ...), or list of arrays
        The series, time on axis 0. Any number of trailing axes (features, H x W, H x W x C).
        An ``ndarray`` (or ``np.memmap``) is not copied; other array-likes go through
        ``np.asarray``. A list or tuple of arrays (one per recording; lengths may differ, the
        trailing shape must not) is cut series by series, and no window crosses from one
        series into the next.
    length : int
        Steps per window, ``1 <= (length - 1) * sampling_rate + 1 <= n_steps``.
    stride : int, optional
        Steps between the starts of consecutive windows. Default 1 (every step starts a
        window). ``stride == length`` gives non-overlapping windows; ``stride > length`` skips
        the steps between windows on purpose.
    overlap : int, optional
        Steps shared by consecutive windows, ``0 <= overlap < length``; means
        ``stride = length - overlap``. Give ``stride`` or ``overlap``, not both.
    remainder : {"drop", "pad", "error"}, optional
        What to do with the steps at the end that fill no whole window. Default "drop".

        - ``"drop"``: leave them out and return a zero-copy, read-only view. With
          ``span = (length - 1) * sampling_rate + 1`` and
          ``n_windows = (n_steps - span) // stride + 1``, the last
          ``n_steps - ((n_windows - 1) * stride + span)`` steps are left out.
        - ``"pad"``: add one last window that starts at the next multiple of ``stride`` and is
          filled up with ``pad_value``, so no step that a window start reaches is lost. This
          returns a new (writeable) array: a copy of every window.
        - ``"error"``: raise ``ValueError`` when ``"pad"`` would add a window, that is when
          steps that a window start reaches would be left out.

        With ``stride > length`` the steps between windows belong to no window in every mode.
    pad_value : float, optional
        Fill value of the padded window (``remainder="pad"`` only). Default 0.0. It must be
        representable in ``x.dtype`` (no NaN in an integer array).
    sampling_rate : int, optional
        Keep every ``sampling_rate``-th step inside a window. Default 1 (every step). A
        window still has ``length`` steps but spans ``(length - 1) * sampling_rate + 1``.
    skip_short : bool, optional
        With a list of series: skip the series too short for one window instead of raising.
        Default False. A single array that is too short always raises.

    Returns
    -------
    numpy.ndarray, shape (n_windows, length, *x.shape[1:])
        ``n_windows = (n_steps - span) // stride + 1`` with
        ``span = (length - 1) * sampling_rate + 1``, plus one with ``remainder="pad"`` when
        steps are left over. A read-only view of ``x`` unless ``remainder="pad"`` added a
        window. For a list of series, the windows of every series in order, concatenated:
        ``n_windows`` is the sum over the series, and the result is a new array (a copy).

    Raises
    ------
    TypeError
        If ``length``, ``stride``, ``overlap`` or ``sampling_rate`` is not an int; ``x`` is a
        list that mixes arrays with other items.
    ValueError
        If ``x`` is a scalar; ``length``, ``stride`` or ``sampling_rate`` is < 1; ``stride``
        and ``overlap`` are both given; ``overlap`` is not in ``[0, length)``; a window is
        longer than the series (for a list: than one of them, unless ``skip_short=True``;
        or than every one of them); the series of a list differ in their trailing shape;
        ``remainder`` is unknown; ``remainder="error"`` and steps are left out;
        ``pad_value`` does not fit ``x.dtype``.

    See Also
    --------
    numpy.lib.stride_tricks.sliding_window_view : the view this builds on (it puts the window
        axis last and has no stride; this function moves the axis to position 1 and strides).
    make_supervised : windows paired with the target that follows each one.
    unwindow : the inverse, from per-window values back to one value per step.
    WindowDataset : batches of windows for ``model.fit`` without materializing them all
        (also for a list of series, without concatenating them).

    Notes
    -----
    ``"drop"`` and ``"error"`` cost O(1) time and memory whatever the size: the result shares
    memory with ``x``. Writing to it raises; take ``np.array(windows)`` (which copies every
    window, ``length / stride`` times the memory of ``x``) only if you must modify it.
    ``"pad"`` and a list of series allocate ``n_windows * length`` steps and copy.

    Examples
    --------
    Ten steps of two features, windows of 4 steps:

    >>> x = np.arange(20).reshape(10, 2)
    >>> w = sliding_windows(x, 4, stride=2)
    >>> w.shape
    (4, 4, 2)
    >>> w[1, :, 0].tolist()
    [4, 6, 8, 10]
    >>> np.shares_memory(w, x), w.flags.writeable
    (True, False)

    Non-overlapping windows of 3 steps leave one step (step 9) out; ``"pad"`` keeps it:

    >>> sliding_windows(x, 3, stride=3).shape
    (3, 3, 2)
    >>> p = sliding_windows(x, 3, stride=3, remainder="pad", pad_value=-1)
    >>> p.shape
    (4, 3, 2)
    >>> p[-1].tolist()
    [[18, 19], [-1, -1], [-1, -1]]

    ``overlap`` is another way to set the stride; images keep their axes:

    >>> frames = np.zeros((50, 64, 64), dtype=np.float32)
    >>> sliding_windows(frames, 10, overlap=5).shape
    (9, 10, 64, 64)

    Every second step, so that 3 steps cover 5 (``span = (3 - 1) * 2 + 1``):

    >>> w = sliding_windows(np.arange(10), 3, stride=2, sampling_rate=2)
    >>> w.shape
    (3, 3)
    >>> w.tolist()
    [[0, 2, 4], [2, 4, 6], [4, 6, 8]]

    Two recordings of different lengths; no window mixes them:

    >>> a, b = np.arange(5), np.arange(100, 104)
    >>> w = sliding_windows([a, b], 3)
    >>> w.shape
    (5, 3)
    >>> w[2:4].tolist()
    [[2, 3, 4], [100, 101, 102]]
    """
    series, is_list = _series_list(x)
    length = _positive_int(length, "length")
    stride = _resolve_stride(length, stride, overlap)
    sampling_rate = _positive_int(sampling_rate, "sampling_rate")
    if remainder not in ("drop", "pad", "error"):
        raise ValueError(f"remainder must be 'drop', 'pad' or 'error', got {remainder!r}")
    if not is_list:
        return _windows_of(series[0], length, stride, sampling_rate, remainder, pad_value, "x")
    span = (length - 1) * sampling_rate + 1
    what = f"window ({_describe_span(length, sampling_rate)})"
    kept = _kept_series(series, span, skip_short, "x", what)
    dtype = np.result_type(*(series[i].dtype for i in kept))
    parts = [
        _windows_of(series[i], length, stride, sampling_rate, remainder, pad_value, f"x[{i}]")
        for i in kept
    ]
    return np.concatenate(parts).astype(dtype, copy=False)


def _windows_of(
    arr: np.ndarray,
    length: int,
    stride: int,
    sampling_rate: int,
    remainder: Remainder,
    pad_value: float,
    name: str,
) -> np.ndarray:
    """``sliding_windows`` of one series (arguments already checked)."""
    n_steps = arr.shape[0]
    _check_fits(n_steps, length, arr.shape, name, sampling_rate)
    span = (length - 1) * sampling_rate + 1
    n_full, _, reachable = _plan(n_steps, span, stride)

    if remainder == "error" and reachable:
        start = n_full * stride
        of = "" if name == "x" else f" of {name}"  # name the series of a list
        raise ValueError(
            f"remainder='error': {n_steps} steps{of} do not split into windows of "
            f"{_describe_span(length, sampling_rate)} with stride={stride}: steps "
            f"{start}..{n_steps - 1} ({n_steps - start} steps) would be left out; use "
            f"remainder='pad' to keep them in a padded window, remainder='drop' to drop them, "
            f"or trim {name} to {(n_full - 1) * stride + span} steps"
        )

    view = _view(arr, length, stride, sampling_rate)
    if remainder != "pad" or not reachable:
        return view

    fill = _checked_pad_value(pad_value, arr.dtype)
    out = np.full((n_full + 1, length, *arr.shape[1:]), fill, dtype=arr.dtype)
    out[:n_full] = view
    tail = arr[n_full * stride :: sampling_rate][:length]
    out[n_full, : len(tail)] = tail
    return out


def _checked_pad_value(pad_value: Any, dtype: np.dtype) -> Any:
    try:
        with np.errstate(invalid="ignore"):  # NaN -> int is caught by the comparison below
            fill = np.asarray(pad_value).astype(dtype)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"pad_value={pad_value!r} cannot be stored in x's dtype {dtype}; "
            f"pick a pad_value of that type, or convert x (e.g. x.astype(np.float32))"
        ) from exc
    same = fill == pad_value
    if not bool(same) and not (np.issubdtype(dtype, np.floating) and np.isnan(fill)):
        raise ValueError(
            f"pad_value={pad_value!r} cannot be stored exactly in x's dtype {dtype} "
            f"(it would become {fill!r}); pick a pad_value of that type, or convert x "
            f"(e.g. x.astype(np.float32))"
        )
    return fill


# --------------------------------------------------------------------------------------------
# make_supervised
# --------------------------------------------------------------------------------------------
def make_supervised(
    x: Any,
    y: Any = None,
    *,
    length: int,
    horizon: int = 1,
    stride: int = 1,
    sampling_rate: int = 1,
    target_length: int = 1,
    skip_short: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Pair each input window with the target ``horizon`` steps after its last step.

    With ``s = i * stride``, ``X[i] = x[s : s + length]`` and ``Y[i] = y[s + length - 1 +
    horizon]``. Only windows whose target exists are made::

        length=3, horizon=2          t: 0   1   2   3   4   5   6   7
        X[0] = x[0:3]                  [x0  x1  x2]      .
        Y[0] = y[0 + 3 - 1 + 2]                          y4
        X[1] = x[1:4]                      [x1  x2  x3]      .
        Y[1] = y[5]                                          y5

    In general ``X[i] = x[s : s + (length - 1) * sampling_rate + 1 : sampling_rate]``, the last
    target step is ``e = s + (length - 1) * sampling_rate + horizon``, and ``Y[i]`` holds the
    ``target_length`` consecutive steps that end there, ``y[e - target_length + 1 : e + 1]``::

        length=3, horizon=2, target_length=2    t: 0   1   2   3   4   5
        X[0] = x[0:3]                             [x0  x1  x2]
        Y[0] = y[3:5]                                         [y3  y4]

    Parameters
    ----------
    x : array_like, shape (n_steps, ...), or list of arrays
        Inputs, time on axis 0. A list or tuple of arrays is several series (recordings),
        windowed one by one: no window or target crosses from one series into the next.
    y : array_like, shape (n_steps, ...), or list of arrays, optional
        Targets on the same time axis as ``x`` (same number of steps; for a list of series,
        a list of the same length whose series match ``x``'s step for step). Default ``x``
        itself (forecast the series).
    length : int
        Steps per input window.
    horizon : int, optional
        How many steps after the window's last step the (last) target lies. Default 1 (the
        next step). ``horizon=0`` takes the target at the window's last step (labelling each
        window by its final step); with ``y=None`` that target is inside the input.
    stride : int, optional
        Steps between window starts. Default 1.
    sampling_rate : int, optional
        Keep every ``sampling_rate``-th step inside an input window. Default 1.
    target_length : int, optional
        Consecutive target steps per window, ending at the step ``horizon`` after the
        window's last step. Default 1 (one step, and no target axis). ``horizon=24,
        target_length=24`` forecasts the next 24 steps; ``horizon=1, target_length=length``
        (with ``sampling_rate=1``) gives the next value of every input step, the targets of a
        ``return_sequences=True`` model.
    skip_short : bool, optional
        With a list of series: skip the series too short for one window and its target
        instead of raising. Default False.

    Returns
    -------
    X : numpy.ndarray, shape (n_windows, length, *x.shape[1:])
        A read-only view of ``x`` (no copy).
    Y : numpy.ndarray, shape (n_windows, *y.shape[1:]) or (n_windows, target_length, *y.shape[1:])
        A read-only view of ``y``; the target axis is there only when ``target_length > 1``.
        ``n_windows = (n_steps - (length - 1) * sampling_rate - 1 - horizon) // stride + 1``.
        For a list of series, the pairs of every series in order, concatenated: new arrays
        (copies), ``n_windows`` summed over the series.

    Raises
    ------
    TypeError
        If ``length``, ``stride``, ``horizon``, ``sampling_rate`` or ``target_length`` is not
        an int; ``x`` or ``y`` is a list that mixes arrays with other items.
    ValueError
        If ``x`` or ``y`` is a scalar; ``length``, ``stride``, ``sampling_rate`` or
        ``target_length`` is < 1; ``horizon`` < 0; ``target_length`` reaches before the
        series starts (``(length - 1) * sampling_rate + horizon - target_length + 1 < 0``);
        ``x`` and ``y`` differ in their number of steps (or one is a list and the other not,
        or the lists differ in length); no window has a target (``(length - 1) *
        sampling_rate + 1 + horizon > n_steps``; for a list: in some series, unless
        ``skip_short=True``, or in every series); the series of a list differ in trailing
        shape.

    See Also
    --------
    sliding_windows : the windows alone (with remainder handling).
    WindowDataset : the same pairs served batch by batch to ``model.fit``.
    keras.utils.timeseries_dataset_from_array : gives the same pairs (for ``target_length=1``)
        with ``targets=y[(length - 1) * sampling_rate + horizon:]``,
        ``sequence_length=length``, ``sampling_rate=sampling_rate``,
        ``sequence_stride=stride``: its ``targets[i]`` belongs to the window that *starts* at
        ``i``, so the targets must be shifted by hand.

    Notes
    -----
    O(1) time and memory for one series: both outputs are views. ``np.array(X)`` would copy
    ``n_windows * length`` steps. For a list of series both outputs are copies.

    Examples
    --------
    >>> x = np.arange(10.0)
    >>> X, Y = make_supervised(x, length=3)
    >>> X.shape, Y.shape
    ((7, 3), (7,))
    >>> X[0].tolist(), float(Y[0])
    ([0.0, 1.0, 2.0], 3.0)

    Two steps ahead, every second window, a separate label series:

    >>> labels = np.arange(100, 110)
    >>> X, Y = make_supervised(x, labels, length=3, horizon=2, stride=2)
    >>> X.shape, Y.shape
    ((3, 3), (3,))
    >>> X[:, 0].tolist(), Y.tolist()
    ([0.0, 2.0, 4.0], [104, 106, 108])

    The next three steps after each window (a multi-step forecast):

    >>> X, Y = make_supervised(x, length=4, horizon=3, target_length=3)
    >>> X.shape, Y.shape
    ((4, 4), (4, 3))
    >>> X[0].tolist(), Y[0].tolist()
    ([0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0])

    Per-step targets (the next value of every input step) for ``return_sequences=True``:

    >>> X, Y = make_supervised(x, length=4, target_length=4)
    >>> X.shape, Y.shape
    ((6, 4), (6, 4))
    >>> Y[0].tolist()
    [1.0, 2.0, 3.0, 4.0]

    Two recordings of 6 and 5 steps with 2 features each:

    >>> runs = [np.zeros((6, 2)), np.ones((5, 2))]
    >>> X, Y = make_supervised(runs, length=3)
    >>> X.shape, Y.shape
    ((5, 3, 2), (5, 2))
    """
    xs, is_list = _series_list(x, "x")
    ys = xs if y is None else _paired_targets(xs, y, is_list, "y")
    length = _positive_int(length, "length")
    stride = _positive_int(stride, "stride")
    sampling_rate = _positive_int(sampling_rate, "sampling_rate")
    target_length = _positive_int(target_length, "target_length")
    horizon = _horizon(horizon)
    first = _target_reach(length, sampling_rate, horizon, target_length)
    if not is_list:
        return _pairs_of(xs[0], ys[0], length, horizon, stride, sampling_rate, target_length, first)
    need = (length - 1) * sampling_rate + 1 + horizon
    what = f"window ({_describe_span(length, sampling_rate)}) and its target (horizon={horizon})"
    kept = _kept_series(xs, need, skip_short, "x", what)
    pairs = [
        _pairs_of(xs[i], ys[i], length, horizon, stride, sampling_rate, target_length, first)
        for i in kept
    ]
    X = np.concatenate([p[0] for p in pairs])
    Y = np.concatenate([p[1] for p in pairs])
    return X, Y


def _pairs_of(
    xa: np.ndarray,
    ya: np.ndarray,
    length: int,
    horizon: int,
    stride: int,
    sampling_rate: int,
    target_length: int,
    first: int,
) -> tuple[np.ndarray, np.ndarray]:
    """``make_supervised`` of one series (arguments checked; ``first`` = first target offset)."""
    n_steps = xa.shape[0]
    if ya.shape[0] != n_steps:
        raise ValueError(
            f"x and y must have the same number of steps on axis 0, got x shape {xa.shape} and "
            f"y shape {ya.shape}; pass targets aligned with x step by step (y[t] belongs to "
            f"time t), make_supervised does the shifting"
        )
    span = (length - 1) * sampling_rate + 1
    _check_has_target(xa.shape, length, horizon, sampling_rate)
    n_windows = (n_steps - span - horizon) // stride + 1
    X = _view(xa[: (n_windows - 1) * stride + span], length, stride, sampling_rate)
    last = first + (n_windows - 1) * stride
    if target_length == 1:
        Y = ya[first : last + 1 : stride].view()
    else:
        Y = _view(ya[: last + target_length], target_length, 1, 1)[first::stride]
    Y.flags.writeable = False
    return X, Y


# --------------------------------------------------------------------------------------------
# unwindow
# --------------------------------------------------------------------------------------------
def unwindow(
    values: Any,
    *,
    stride: int,
    n_steps: int | None = None,
    reduce: Reduce = "mean",
) -> np.ndarray:
    """Map per-window values back onto the time axis: the inverse of :func:`sliding_windows`.

    Step ``t`` gets the mean (or min, max, median) of ``values[i, t - i*stride]`` over every
    window ``i`` that covers it. Steps that no window covers are NaN.

    Parameters
    ----------
    values : array_like, shape (n_windows, length, ...)
        One value (or feature vector, or image) per step of each window, e.g. a model's
        per-step predictions or reconstruction errors.
    stride : int
        The stride the windows were cut with.
    n_steps : int, optional
        Length of the output. Default ``(n_windows - 1) * stride + length``, the span the
        windows cover. A larger value appends NaN steps (covered by no window); a smaller one
        drops the values past ``n_steps`` (e.g. the padding of ``remainder="pad"``) but must
        keep at least one step of the last window: ``n_steps > (n_windows - 1) * stride``.
    reduce : {"mean", "min", "max", "median"}, optional
        How the values of overlapping windows combine. Default "mean". A NaN among a step's
        values makes that step NaN. For boolean flags (one per step of each window),
        ``"min"`` flags a step (1.0) only if every window that covers it flags it, ``"max"``
        if any does.

    Returns
    -------
    numpy.ndarray, shape (n_steps, *values.shape[2:])
        Floating point (float32 stays float32, integers become float64). With
        ``stride > length`` the steps between windows are NaN.

    Raises
    ------
    TypeError
        If ``stride`` or ``n_steps`` is not an int.
    ValueError
        If ``values`` has fewer than 2 axes or no windows; ``stride`` < 1; ``n_steps`` would cut
        the last window off entirely; ``reduce`` is unknown.

    See Also
    --------
    sliding_windows : the forward operation; ``unwindow(sliding_windows(x, L, stride=s),
        stride=s)`` equals ``x`` on the covered steps.
    numpy.nanmean : used nowhere here on purpose: a NaN in ``values`` is data, not a gap.

    Notes
    -----
    ``"mean"``, ``"min"`` and ``"max"`` take ``length`` vectorised passes and O(n_steps)
    memory.
    ``"median"`` gathers the ``ceil(length / stride)`` values of each step: O(n_steps *
    length / stride) memory.

    Examples
    --------
    >>> x = np.arange(8.0)
    >>> w = sliding_windows(x, 4, stride=2)
    >>> w.shape
    (3, 4)
    >>> unwindow(w, stride=2).tolist()
    [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]

    Per-window scores spread over their steps, averaged where windows overlap:

    >>> scores = np.array([[0.0] * 4, [1.0] * 4, [2.0] * 4])
    >>> unwindow(scores, stride=2).tolist()
    [0.0, 0.0, 0.5, 0.5, 1.5, 1.5, 2.0, 2.0]
    >>> unwindow(scores, stride=2, reduce="max", n_steps=9).tolist()
    [0.0, 0.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0, nan]

    Flags: a step is flagged with ``"min"`` only when every covering window flags it:

    >>> flags = np.array([[True, True, True, True], [False, False, True, True]])
    >>> unwindow(flags, stride=2, reduce="min").tolist()
    [1.0, 1.0, 0.0, 0.0, 1.0, 1.0]

    Gaps between windows (stride > length) are NaN:

    >>> unwindow(np.ones((2, 2)), stride=3).tolist()
    [1.0, 1.0, nan, 1.0, 1.0]
    """
    vals = np.asarray(values)
    if vals.ndim < 2:
        raise ValueError(
            f"values must have shape (n_windows, length, ...), got shape {vals.shape}; "
            f"for one value per window use np.repeat(v[:, None], length, axis=1)"
        )
    n_windows, length = vals.shape[:2]
    if n_windows == 0 or length == 0:
        raise ValueError(f"values holds no window steps, got shape {vals.shape}")
    stride = _positive_int(stride, "stride")
    if reduce not in ("mean", "min", "max", "median"):
        raise ValueError(f"reduce must be 'mean', 'min', 'max' or 'median', got {reduce!r}")
    span = (n_windows - 1) * stride + length
    last_start = (n_windows - 1) * stride
    if n_steps is None:
        n_steps = span
    else:
        n_steps = _int(n_steps, "n_steps")
        if n_steps <= last_start:
            raise ValueError(
                f"n_steps={n_steps} would leave the last window (which starts at step "
                f"{last_start}) out entirely; use n_steps > {last_start} (the windows span "
                f"{span} steps)"
            )
        n_steps = int(n_steps)

    dtype = np.result_type(vals.dtype, np.float32)
    rest = vals.shape[2:]
    starts = np.arange(n_windows) * stride
    size = max(n_steps, span)  # work on the full span, cut to n_steps at the end

    if reduce == "median":
        per_step = math.ceil(length / stride)
        t = np.arange(size)
        first_win = t // stride
        stack = np.full((per_step, size, *rest), np.nan, dtype=dtype)
        covered = np.zeros(size, dtype=bool)
        has_nan = np.zeros((size, *rest), dtype=bool)
        for k in range(per_step):
            win = first_win - k
            pos = t - win * stride
            ok = (win >= 0) & (win < n_windows) & (pos < length)
            picked = vals[win[ok], pos[ok]]
            stack[k, ok] = picked
            covered |= ok
            has_nan[ok] |= np.isnan(picked)
        with np.errstate(all="ignore"):
            out = np.full((size, *rest), np.nan, dtype=dtype)
            if covered.any():
                out[covered] = np.nanmedian(stack[:, covered], axis=0)
        out[has_nan] = np.nan
        return out[:n_steps]

    count = np.zeros(size, dtype=np.int64)
    if reduce == "mean":
        acc = np.zeros((size, *rest), dtype=dtype)
        for j in range(length):
            acc[starts + j] += vals[:, j]  # starts + j are distinct: no add.at needed
            count[starts + j] += 1
        shape = (size,) + (1,) * len(rest)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = acc / count.reshape(shape).astype(dtype)
    else:  # min or max; np.minimum / np.maximum propagate NaN
        pick, empty = (np.minimum, np.inf) if reduce == "min" else (np.maximum, -np.inf)
        out = np.full((size, *rest), empty, dtype=dtype)
        for j in range(length):
            idx = starts + j
            out[idx] = pick(out[idx], vals[:, j])
            count[idx] += 1
        out[count == 0] = np.nan
    return out[:n_steps]

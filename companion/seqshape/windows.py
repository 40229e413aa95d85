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
unwindow          average (or max, median) overlapping window values back onto time
WindowDataset     a ``keras.utils.PyDataset`` that serves batches of windows lazily
================  ====================================================================

Alignment of ``make_supervised`` (``length=3, horizon=1, stride=1``)::

    time       0   1   2   3   4   5   6
    X[0]      [x0  x1  x2]                  Y[0] = y[3]
    X[1]          [x1  x2  x3]              Y[1] = y[4]
    X[2]              [x2  x3  x4]          Y[2] = y[5]
    X[3]                  [x3  x4  x5]      Y[3] = y[6]
                                            (no X[4]: y[7] does not exist)

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
Reduce = Literal["mean", "max", "median"]


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


def _positive_int(value: Any, name: str, hint: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}{hint}")
    if value < 1:
        raise ValueError(f"{name} must be a positive int (>= 1), got {value}{hint}")
    return int(value)


def _resolve_stride(length: int, stride: int | None, overlap: int | None) -> int:
    if overlap is None:
        return 1 if stride is None else _positive_int(stride, "stride")
    if stride is not None:
        raise ValueError(
            f"give stride or overlap, not both (got stride={stride!r}, overlap={overlap!r}); "
            f"overlap=k means stride=length-k"
        )
    if isinstance(overlap, bool) or not isinstance(overlap, (int, np.integer)):
        raise TypeError(f"overlap must be an int, got {type(overlap).__name__} {overlap!r}")
    if not 0 <= overlap < length:
        raise ValueError(
            f"overlap must be in [0, length) = [0, {length}) so that windows advance, "
            f"got overlap={overlap}; use overlap <= {length - 1}, or a longer length"
        )
    return length - int(overlap)


def _check_fits(n_steps: int, length: int, shape: tuple[int, ...], name: str = "x") -> None:
    if length > n_steps:
        raise ValueError(
            f"length={length} is longer than the series: {name} has {n_steps} steps on axis 0 "
            f"(shape {shape}); use length <= {n_steps}, or check that time is on axis 0"
        )


def _plan(n_steps: int, length: int, stride: int) -> tuple[int, int, bool]:
    """Full windows, steps they leave out at the end, and whether a padded window is reachable.

    A padded last window starts at ``n_full * stride`` (the next multiple of the stride); it
    exists only if that start lies inside the series and the full windows leave steps there.
    """
    n_full = (n_steps - length) // stride + 1
    covered_end = (n_full - 1) * stride + length
    next_start = n_full * stride
    reachable = covered_end < n_steps and next_start < n_steps
    return n_full, n_steps - covered_end, reachable


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
) -> np.ndarray:
    """Cut a series into windows along axis 0, as a read-only view when possible.

    Window ``i`` is ``x[i*stride : i*stride + length]``.

    Parameters
    ----------
    x : array_like, shape (n_steps, ...)
        The series, time on axis 0. Any number of trailing axes (features, H x W, H x W x C).
        An ``ndarray`` (or ``np.memmap``) is not copied; other array-likes go through
        ``np.asarray``.
    length : int
        Steps per window, ``1 <= length <= n_steps``.
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
          ``n_windows = (n_steps - length) // stride + 1``, the last
          ``n_steps - ((n_windows - 1) * stride + length)`` steps are left out.
        - ``"pad"``: add one last window that starts at the next multiple of ``stride`` and is
          filled up with ``pad_value``, so no step that a window start reaches is lost. This
          returns a new (writeable) array: a copy of every window.
        - ``"error"``: raise ``ValueError`` when ``"pad"`` would add a window, that is when
          steps that a window start reaches would be left out.

        With ``stride > length`` the steps between windows belong to no window in every mode.
    pad_value : float, optional
        Fill value of the padded window (``remainder="pad"`` only). Default 0.0. It must be
        representable in ``x.dtype`` (no NaN in an integer array).

    Returns
    -------
    numpy.ndarray, shape (n_windows, length, *x.shape[1:])
        ``n_windows = (n_steps - length) // stride + 1``, plus one with ``remainder="pad"`` when
        steps are left over. A read-only view of ``x`` unless ``remainder="pad"`` added a window.

    Raises
    ------
    TypeError
        If ``length``, ``stride`` or ``overlap`` is not an int.
    ValueError
        If ``x`` is a scalar; ``length`` or ``stride`` is < 1; ``stride`` and ``overlap`` are
        both given; ``overlap`` is not in ``[0, length)``; ``length > n_steps``; ``remainder``
        is unknown; ``remainder="error"`` and steps are left out; ``pad_value`` does not fit
        ``x.dtype``.

    See Also
    --------
    numpy.lib.stride_tricks.sliding_window_view : the view this builds on (it puts the window
        axis last and has no stride; this function moves the axis to position 1 and strides).
    make_supervised : windows paired with the target that follows each one.
    unwindow : the inverse, from per-window values back to one value per step.
    WindowDataset : batches of windows for ``model.fit`` without materializing them all.

    Notes
    -----
    ``"drop"`` and ``"error"`` cost O(1) time and memory whatever the size: the result shares
    memory with ``x``. Writing to it raises; take ``np.array(windows)`` (which copies every
    window, ``length / stride`` times the memory of ``x``) only if you must modify it.
    ``"pad"`` allocates ``n_windows * length`` steps and copies.

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
    """
    arr = _as_series(x)
    length = _positive_int(length, "length")
    stride = _resolve_stride(length, stride, overlap)
    if remainder not in ("drop", "pad", "error"):
        raise ValueError(f"remainder must be 'drop', 'pad' or 'error', got {remainder!r}")
    n_steps = arr.shape[0]
    _check_fits(n_steps, length, arr.shape)
    n_full, _, reachable = _plan(n_steps, length, stride)

    if remainder == "error" and reachable:
        start = n_full * stride
        raise ValueError(
            f"remainder='error': {n_steps} steps do not split into windows of length={length} "
            f"with stride={stride}: steps {start}..{n_steps - 1} ({n_steps - start} steps) would "
            f"be left out; use remainder='pad' to keep them in a padded window, "
            f"remainder='drop' to drop them, or trim x to {(n_full - 1) * stride + length} steps"
        )

    # sliding_window_view puts the window axis last: (n_steps - length + 1, *rest, length).
    view = sliding_window_view(arr, length, axis=0)[::stride]
    view = np.moveaxis(view, -1, 1)
    if remainder != "pad" or not reachable:
        return view

    fill = _checked_pad_value(pad_value, arr.dtype)
    out = np.full((n_full + 1, length, *arr.shape[1:]), fill, dtype=arr.dtype)
    out[:n_full] = view
    start = n_full * stride
    out[n_full, : n_steps - start] = arr[start:]
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
) -> tuple[np.ndarray, np.ndarray]:
    """Pair each input window with the target ``horizon`` steps after its last step.

    With ``s = i * stride``, ``X[i] = x[s : s + length]`` and ``Y[i] = y[s + length - 1 +
    horizon]``. Only windows whose target exists are made::

        length=3, horizon=2          t: 0   1   2   3   4   5   6   7
        X[0] = x[0:3]                  [x0  x1  x2]      .
        Y[0] = y[0 + 3 - 1 + 2]                          y4
        X[1] = x[1:4]                      [x1  x2  x3]      .
        Y[1] = y[5]                                          y5

    Parameters
    ----------
    x : array_like, shape (n_steps, ...)
        Inputs, time on axis 0.
    y : array_like, shape (n_steps, ...), optional
        Targets on the same time axis as ``x`` (same number of steps). Default ``x`` itself
        (forecast the series).
    length : int
        Steps per input window.
    horizon : int, optional
        How many steps after the window's last step the target lies. Default 1 (the next
        step). ``horizon=0`` takes the target at the window's last step (labelling each
        window by its final step); with ``y=None`` that target is inside the input.
    stride : int, optional
        Steps between window starts. Default 1.

    Returns
    -------
    X : numpy.ndarray, shape (n_windows, length, *x.shape[1:])
        A read-only view of ``x`` (no copy).
    Y : numpy.ndarray, shape (n_windows, *y.shape[1:])
        A read-only view of ``y``. ``n_windows = (n_steps - length - horizon) // stride + 1``.

    Raises
    ------
    TypeError
        If ``length``, ``stride`` or ``horizon`` is not an int.
    ValueError
        If ``x`` or ``y`` is a scalar; ``length`` or ``stride`` is < 1; ``horizon`` < 0;
        ``x`` and ``y`` differ in their number of steps; no window has a target
        (``length + horizon > n_steps``).

    See Also
    --------
    sliding_windows : the windows alone (with remainder handling).
    WindowDataset : the same pairs served batch by batch to ``model.fit``.
    keras.utils.timeseries_dataset_from_array : gives the same pairs with
        ``targets=y[length - 1 + horizon:]``, ``sequence_length=length``,
        ``sequence_stride=stride``: its ``targets[i]`` belongs to the window that *starts* at
        ``i``, so the targets must be shifted by hand.

    Notes
    -----
    O(1) time and memory: both outputs are views. ``np.array(X)`` would copy
    ``n_windows * length`` steps.

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
    """
    xa = _as_series(x, "x")
    ya = xa if y is None else _as_series(y, "y")
    length = _positive_int(length, "length")
    stride = _positive_int(stride, "stride")
    if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)):
        raise TypeError(f"horizon must be an int, got {type(horizon).__name__} {horizon!r}")
    if horizon < 0:
        raise ValueError(
            f"horizon must be >= 0 (steps after the window's last step), got {horizon}; "
            f"use horizon=1 for the next step"
        )
    horizon = int(horizon)
    n_steps = xa.shape[0]
    if ya.shape[0] != n_steps:
        raise ValueError(
            f"x and y must have the same number of steps on axis 0, got x shape {xa.shape} and "
            f"y shape {ya.shape}; pass targets aligned with x step by step (y[t] belongs to "
            f"time t), make_supervised does the shifting"
        )
    if length + horizon > n_steps:
        raise ValueError(
            f"no window has a target: length={length} + horizon={horizon} > {n_steps} steps "
            f"(x shape {xa.shape}); use length <= {n_steps - horizon}, or a longer series"
        )
    n_windows = (n_steps - length - horizon) // stride + 1
    X = sliding_windows(xa[: (n_windows - 1) * stride + length], length, stride=stride)
    first = length - 1 + horizon
    Y = ya[first : first + (n_windows - 1) * stride + 1 : stride].view()
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

    Step ``t`` gets the mean (or max, median) of ``values[i, t - i*stride]`` over every window
    ``i`` that covers it. Steps that no window covers are NaN.

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
    reduce : {"mean", "max", "median"}, optional
        How the values of overlapping windows combine. Default "mean". A NaN among a step's
        values makes that step NaN.

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
    ``"mean"`` and ``"max"`` take ``length`` vectorised passes and O(n_steps) memory.
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
    if reduce not in ("mean", "max", "median"):
        raise ValueError(f"reduce must be 'mean', 'max' or 'median', got {reduce!r}")
    span = (n_windows - 1) * stride + length
    last_start = (n_windows - 1) * stride
    if n_steps is None:
        n_steps = span
    else:
        if isinstance(n_steps, bool) or not isinstance(n_steps, (int, np.integer)):
            raise TypeError(f"n_steps must be an int, got {type(n_steps).__name__} {n_steps!r}")
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
    else:  # max
        out = np.full((size, *rest), -np.inf, dtype=dtype)
        for j in range(length):
            idx = starts + j
            out[idx] = np.maximum(out[idx], vals[:, j])
            count[idx] += 1
        out[count == 0] = np.nan
    return out[:n_steps]

"""The input checks every public function of seqshape uses, written once.

Every message has three parts, in this order: what was expected, what was received (with the
shape or the type), and the fix, e.g. ``"lags must be an int >= 1, got 0; lags=0 would put
x[t] in row t"``. A wrong *type* raises :class:`TypeError`, a wrong *value* of the right type
raises :class:`ValueError`.

Dtype policy (the package docstring states it for readers):

* accepted: bool, signed and unsigned integers, floating point (NumPy kinds ``b``, ``i``, ``u``,
  ``f``), from NumPy arrays of any layout (C or Fortran order, negative strides, slices,
  ``np.memmap``), Python lists and pandas Series/DataFrames;
* rejected with a TypeError: complex (the imaginary part would be dropped or mixed into real
  arithmetic), object (mixed or ragged content, whose conversion would be a guess), strings,
  bytes, datetimes and timedeltas.

The window plan (how many windows a series of ``n_steps`` holds) is :func:`n_windows`, the one
place where that formula is written.

This module needs only NumPy. Everything in it is private to the package.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

#: NumPy dtype kinds the package accepts as numbers: bool, int, unsigned int, float.
NUMERIC_KINDS = "biuf"

_KIND_FIX = {
    "c": "complex values would lose their imaginary part; pass the real quantity you mean, "
    "e.g. {name}.real, np.abs({name}) or np.angle({name})",
    "O": "an object array holds mixed or ragged values; convert it with "
    "np.asarray({name}, dtype=float) (ragged samples: seqshape.align.pad_batch)",
    "U": "convert the text to numbers first, e.g. np.asarray({name}, dtype=float)",
    "S": "convert the bytes to numbers first, e.g. np.asarray({name}, dtype=float)",
    "M": "use the timestamps as the index, not as values (or convert them, e.g. to seconds "
    "with {name}.astype('int64'))",
    "m": "convert the durations to numbers first, e.g. {name} / np.timedelta64(1, 's')",
    "V": "pass a plain numeric array, not a structured one (select a field first)",
}


def describe(value: Any) -> str:
    """``"int 3"``, ``"float 2.5"``, ``"ndarray of shape (5, 3)"``: a received value in words."""
    shape = getattr(value, "shape", None)
    if shape is not None and not isinstance(value, (numbers.Number, np.generic)):
        return f"{type(value).__name__} of shape {tuple(shape)}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def is_int(value: Any) -> bool:
    """True for Python and NumPy integers, False for bool (``True`` is not a count)."""
    return isinstance(value, (numbers.Integral, np.integer)) and not isinstance(value, (bool, np.bool_))


def check_int(
    value: Any,
    name: str,
    *,
    minimum: int | None = 1,
    maximum: int | None = None,
    fix: str = "",
) -> int:
    """``value`` as an ``int`` in ``[minimum, maximum]``, or a TypeError/ValueError naming ``name``.

    ``fix`` replaces the default advice in the ValueError.
    """
    if minimum is not None and maximum is not None:
        expected = f"an int in [{minimum}, {maximum}]"
    elif minimum is not None:
        expected = f"an int >= {minimum}"
    elif maximum is not None:
        expected = f"an int <= {maximum}"
    else:
        expected = "an int"
    if not is_int(value):
        raise TypeError(
            f"{name} must be {expected}, got {describe(value)}; pass a whole number "
            f"(a Python or NumPy integer, not a float or a bool)"
        )
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        if not fix:
            bound = minimum if (minimum is not None and value < minimum) else maximum
            fix = f"use {name}={bound} or {'more' if bound == minimum else 'less'}"
        raise ValueError(f"{name} must be {expected}, got {int(value)}; {fix}")
    return int(value)


def check_optional_int(value: Any, name: str, *, minimum: int | None = 1, fix: str = "") -> int | None:
    """Like :func:`check_int`, but ``None`` passes through (meaning "the default")."""
    return None if value is None else check_int(value, name, minimum=minimum, fix=fix)


def check_real(
    value: Any,
    name: str,
    *,
    positive: bool = False,
    bounds: tuple[float, float] | None = None,
    closed: bool = True,
    allow_inf: bool = False,
    allow_nan: bool = False,
    fix: str = "",
) -> float:
    """``value`` as a ``float``; bool is not a number here.

    By default it must be finite; ``positive`` asks for ``> 0``, ``bounds=(low, high)`` for a
    value in ``[low, high]`` (``(low, high)`` with ``closed=False``). ``allow_inf`` and
    ``allow_nan`` let infinities (a threshold that flags nothing) or NaN (a fill value) through.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.integer, np.floating)):
        expected = "a real number" if bounds is None else f"a number in {_interval(bounds, closed)}"
        raise TypeError(f"{name} must be {expected}, got {describe(value)}; pass an int or a float")
    as_float = float(value)
    if math.isnan(as_float):
        bad = not allow_nan
    elif math.isinf(as_float):
        bad = not allow_inf or (positive and as_float < 0)
    else:
        bad = positive and as_float <= 0
    if bounds is not None and not bad and not math.isnan(as_float):
        low, high = bounds
        bad = not (low <= as_float <= high if closed else low < as_float < high)
    if bad:
        if bounds is not None:
            expected = f"a number in {_interval(bounds, closed)}"
        elif positive:
            expected = "a positive number" if allow_inf else "a positive, finite number"
        else:
            expected = "a number, not NaN" if allow_inf else "a finite number"
        raise ValueError(f"{name} must be {expected}, got {value!r}; {fix or f'pass {name} as {expected}'}")
    return as_float


def _interval(bounds: tuple[float, float], closed: bool) -> str:
    low, high = bounds
    return f"[{low:g}, {high:g}]" if closed else f"({low:g}, {high:g})"


def check_bool(value: Any, name: str) -> bool:
    """``value`` as a ``bool``: only True and False (Python or NumPy), never 0/1 or None."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {describe(value)}; pass a bool")
    return bool(value)


def check_ints(
    value: Any,
    name: str,
    *,
    lengths: Iterable[int] | None = None,
    minimum: int | None = 1,
    expected: str = "",
    fix: str = "",
) -> tuple[int, ...]:
    """A non-empty sequence of ints (list, tuple or 1-D integer array), each checked by :func:`check_int`.

    ``lengths`` restricts how many there may be; ``expected`` replaces the default description
    ("a sequence of ints") in the messages and ``fix`` is the advice for a wrong type or length.
    """
    allowed = None if lengths is None else tuple(lengths)
    if not expected:
        count = "" if allowed is None else " or ".join(str(n) for n in allowed) + " "
        expected = f"a sequence of {count}ints" + ("" if minimum is None else f" >= {minimum}")
    is_sequence = isinstance(value, (list, tuple)) or (isinstance(value, np.ndarray) and value.ndim == 1)
    advice = f"; {fix}" if fix else ""
    if not is_sequence:
        raise TypeError(f"{name} must be {expected}, got {describe(value)}{advice}")
    shown = tuple(v.item() if isinstance(v, np.generic) else v for v in value)
    for i, v in enumerate(shown):
        if not is_int(v):
            raise TypeError(f"{name} must be {expected}, got {shown!r} ({name}[{i}] is {describe(v)}){advice}")
    if len(shown) == 0 or (allowed is not None and len(shown) not in allowed):
        got = "an empty sequence" if len(shown) == 0 else f"{len(shown)} values {shown!r}"
        raise ValueError(f"{name} must be {expected}, got {got}{advice}")
    for i, v in enumerate(shown):
        if minimum is not None and v < minimum:
            raise ValueError(f"{name} must be {expected}, got {shown!r} ({name}[{i}] = {v} < {minimum}){advice}")
    return tuple(int(v) for v in shown)


def check_choice(value: Any, name: str, choices: Iterable[str], *, fix: str = "") -> str:
    """``value`` if it is one of ``choices``; TypeError for a non-string, ValueError otherwise."""
    options = tuple(choices)
    listed = ", ".join(repr(c) for c in options)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {listed}, got {describe(value)}; {fix or 'pass the name as a string'}")
    if value not in options:
        raise ValueError(f"{name} must be one of {listed}, got {value!r}" + (f"; {fix}" if fix else ""))
    return value


#: How the messages name a set of accepted dtype kinds.
_KIND_WORDS = {
    NUMERIC_KINDS: "real numbers (bool, int or float)",
    "iuf": "numbers (int or float, not bool)",
    "biu": "booleans or 0/1 integers",
    "b": "booleans (dtype bool)",
    NUMERIC_KINDS + "M": "real numbers or datetimes",
}


def check_kind(arr: np.ndarray, name: str, kinds: str = NUMERIC_KINDS, *, fix: str = "") -> None:
    """Raise the policy's TypeError when ``arr.dtype.kind`` is not in ``kinds``.

    ``fix`` is the advice for a real-number dtype that these ``kinds`` leave out (an int array
    where booleans are wanted, say); complex, object, text and dates get the policy's advice.
    """
    kind = arr.dtype.kind
    if kind in kinds:
        return
    if kind in NUMERIC_KINDS:
        advice = fix or f"convert it with np.asarray({name}, dtype=float)"
    else:
        advice = _KIND_FIX.get(kind, "convert it with np.asarray({name}, dtype=float)").format(name=name)
    words = _KIND_WORDS.get(kinds, f"values of dtype kind {kinds!r}")
    raise TypeError(f"{name} must hold {words}, got dtype {arr.dtype}; {advice}")


def as_array(
    x: Any,
    name: str = "x",
    *,
    kinds: str = NUMERIC_KINDS,
    ndim: Iterable[int] | None = None,
    min_steps: int = 0,
    layout: str = "(timesteps, ...)",
    kind_fix: str = "",
    shape_fix: str = "",
    empty_fix: str = "",
) -> np.ndarray:
    """``np.asarray(x)`` (no copy for arrays) after the dtype policy, rank and length checks.

    Parameters
    ----------
    kinds : str
        Accepted dtype kinds. Default bool, int, unsigned int, float.
    ndim : iterable of int, optional
        Accepted numbers of axes; the ValueError names ``layout``.
    min_steps : int
        Minimum length of axis 0 (time); the ValueError gives the shape.
    kind_fix, shape_fix, empty_fix : str
        Advice that replaces the default one for a real-number dtype outside ``kinds``, a wrong
        number of axes, and too few steps.
    """
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be an array of numbers {layout}, got {describe(x)}; pass the values, not their name")
    try:
        arr = np.asarray(x)
    except ValueError as exc:  # ragged nested lists
        raise TypeError(
            f"{name} must be an array of numbers {layout}, got a ragged {type(x).__name__} ({exc}); "
            "pad samples of different lengths with seqshape.align.pad_batch"
        ) from None
    check_kind(arr, name, kinds, fix=kind_fix)
    if ndim is not None:
        allowed = tuple(ndim)
        if arr.ndim not in allowed:
            ranks = " or ".join(f"{n}-D" for n in allowed)
            raise ValueError(
                f"{name} must be {ranks} {layout}, got shape {arr.shape}; "
                f"{shape_fix or f'time is axis 0, so reshape it to {layout} first'}"
            )
    if min_steps and (arr.ndim == 0 or arr.shape[0] < min_steps):
        steps = "a 0-D value" if arr.ndim == 0 else f"{arr.shape[0]} step(s)"
        raise ValueError(
            f"{name} must have at least {min_steps} time step(s) on axis 0, got {steps} "
            f"(shape {arr.shape}); {empty_fix or 'pass a longer series, with time on axis 0'}"
        )
    return arr


def as_1d(
    x: Any,
    name: str,
    *,
    each: str = "value",
    kinds: str = NUMERIC_KINDS,
    min_steps: int = 0,
    kind_fix: str = "",
    shape_fix: str = "",
    empty_fix: str = "",
) -> np.ndarray:
    """:func:`as_array` for one value per time step: shape ``(n_steps,)``, ``each`` naming the value.

    The default advice for a 2-D array reduces the other axis (``x.any(axis=1)`` for flags,
    ``x.mean(axis=1)`` for numbers).
    """
    reduce = "any" if kinds == "b" else "mean"
    return as_array(
        x, name, kinds=kinds, ndim=(1,), min_steps=min_steps,
        layout=f"(one {each} per step, shape (n_steps,))", kind_fix=kind_fix,
        shape_fix=shape_fix or f"for one {each} per step reduce the other axes first, e.g. {name}.{reduce}(axis=1)",
        empty_fix=empty_fix,
    )


def as_flags(x: Any, name: str = "flags", *, zero_one: bool = False) -> np.ndarray:
    """A 1-D boolean array, one flag per step; with ``zero_one``, 0/1 integers become booleans too."""
    arr = as_1d(
        x, name, each="flag", kinds="biu" if zero_one else "b",
        kind_fix=f"compare the values instead, e.g. {name} > 0.5" if zero_one
        else f"convert 0/1 labels with {name}.astype(bool)",
    )
    if arr.dtype.kind == "b":
        return arr
    bad = np.setdiff1d(np.unique(arr), [0, 1])
    if bad.size:
        raise ValueError(
            f"{name} must hold only 0 and 1, got also {bad[:5].tolist()}; mark the anomalous "
            f"steps 1 (or True) and every other step 0"
        )
    return arr.astype(bool)


def check_same_shape(arrays: dict[str, np.ndarray], *, fix: str) -> None:
    """Raise a ValueError naming every array when the arrays (one value per step) differ in shape."""
    shapes = {a.shape for a in arrays.values()}
    if len(shapes) > 1:
        names = " and ".join(arrays)
        got = " and ".join(f"{n} {a.shape}" for n, a in arrays.items())
        raise ValueError(f"{names} must have the same shape (one value per step), got {got}; {fix}")


def ensure_finite(arr: np.ndarray, name: str, *, why: str, fix: str) -> None:
    """Raise a ValueError listing the time steps (axis 0) where ``arr`` holds NaN or inf.

    ``why`` says what a non-finite value would do (``{what}`` in it becomes ``NaN``, ``inf``
    or ``NaN or inf``), ``fix`` what to do about it. Integer and
    bool arrays are finite by construction and cost nothing.
    """
    if arr.dtype.kind not in "fc" or arr.size == 0:
        return
    flat = arr.reshape(arr.shape[0], -1) if arr.ndim else arr.reshape(1, 1)
    nan = np.isnan(flat).any(axis=1)
    inf = np.isinf(flat).any(axis=1)
    bad = np.flatnonzero(nan | inf)
    if bad.size == 0:
        return
    what = "NaN" if not inf.any() else ("inf" if not nan.any() else "NaN or inf")
    raise ValueError(
        f"{name} contains {what} at {bad.size} time steps (first: {bad[:5].tolist()}); "
        f"{why.format(what=what)}. {fix}"
    )


def float_dtype(dtype: np.dtype) -> np.dtype:
    """The floating dtype of a computed result: float32 stays float32, others become float64.

    Written without ``np.result_type`` of a Python scalar, so NumPy 1 and NumPy 2 promotion
    (NEP 50) give the same answer.
    """
    dtype = np.dtype(dtype)
    if dtype.kind == "f" and dtype.itemsize <= 4:
        return np.dtype(np.float32)
    if dtype.kind == "f" and dtype.itemsize > 8:
        return dtype  # long double keeps its precision
    return np.dtype(np.float64)


def read_only_view(result: np.ndarray, source: Any) -> np.ndarray:
    """Mark ``result`` read-only when it is a view of the caller's ``source`` array.

    The array contract: a view is always read-only (writing to it would change the caller's
    data), a copy is always writeable.
    """
    base = source if isinstance(source, np.ndarray) else None
    if base is None and hasattr(source, "to_numpy"):  # pandas: np.asarray may view its block
        base = np.asarray(source)
    if base is not None and np.may_share_memory(result, base):
        result = result.view()
        result.flags.writeable = False
    return result


def window_span(length: int, sampling_rate: int = 1) -> int:
    """Steps of the series that one window covers: ``(length - 1) * sampling_rate + 1``."""
    return (length - 1) * sampling_rate + 1


def n_windows(
    n_steps: int,
    length: int,
    *,
    stride: int = 1,
    sampling_rate: int = 1,
    horizon: int | None = None,
    target_length: int = 1,
) -> int:
    """How many windows a series of ``n_steps`` holds: the one window-count formula.

    Window ``i`` starts at ``s = i * stride`` and covers ``window_span(length, sampling_rate)``
    steps. Without ``horizon`` (plain windows) the window must fit in the series. With a
    ``horizon`` (forecasting pairs) the target index ``s + span - 1 + horizon`` must fit too;
    the ``target_length`` target steps end at that index, so they need its first step
    ``s + span + horizon - target_length`` to be >= 0 (checked for the first window).
    Returns 0 when nothing fits.
    """
    need = window_span(length, sampling_rate) + (0 if horizon is None else horizon)
    if horizon is not None and need - target_length < 0:
        return 0
    if n_steps < need:
        return 0
    return (n_steps - need) // stride + 1


# --------------------------------------------------------------------------------------------
# Windows: a series or a list of series, and the checks every window function shares
# (seqshape.windows and WindowDataset both read them from here).
# --------------------------------------------------------------------------------------------
def as_series(x: Any, name: str = "x") -> np.ndarray:
    """Return ``x`` as an ndarray (no copy for arrays) with time on axis 0."""
    arr = as_array(x, name)
    if arr.ndim == 0:
        raise ValueError(
            f"{name} must have a time axis (axis 0), got a scalar of shape (); "
            f"pass a series such as np.array([...]) with shape (timesteps, ...)"
        )
    return arr


def is_array_item(item: Any) -> bool:
    """True for an array with at least one axis (ndarray, memmap, pandas object)."""
    if isinstance(item, np.generic) or not hasattr(item, "__array__"):
        return False
    return np.ndim(item) >= 1


def series_list(x: Any, name: str = "x") -> tuple[list[np.ndarray], bool]:
    """Read ``x`` as one series or as a list of series; return the arrays and which it was.

    A list or tuple whose items are arrays is several series; anything else goes through
    ``np.asarray`` as one series.
    """
    if isinstance(x, (list, tuple)) and len(x) > 0:
        is_array = [is_array_item(item) for item in x]
        if all(is_array):
            series = [as_series(item, f"{name}[{i}]") for i, item in enumerate(x)]
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
    return [as_series(x, name)], False


def check_horizon(horizon: Any) -> int:
    """``horizon`` as an int >= 0: steps from a window's last step to its (last) target."""
    return check_int(horizon, "horizon", minimum=0,
                     fix="horizon counts steps after the window's last step; use horizon=1 for the next step")


def resolve_stride(length: int, stride: int | None, overlap: int | None) -> int:
    if overlap is None:
        return 1 if stride is None else check_int(stride, "stride")
    if stride is not None:
        raise ValueError(
            f"give stride or overlap, not both (got stride={stride!r}, overlap={overlap!r}); "
            f"overlap=k means stride=length-k"
        )
    overlap = check_int(overlap, "overlap", minimum=None)
    if not 0 <= overlap < length:
        raise ValueError(
            f"overlap must be in [0, length) = [0, {length}) so that windows advance, "
            f"got overlap={overlap}; use overlap <= {length - 1}, or a longer length"
        )
    return length - overlap


def describe_span(length: int, sampling_rate: int) -> str:
    if sampling_rate == 1:
        return f"length={length}"
    span = window_span(length, sampling_rate)
    return f"length={length} with sampling_rate={sampling_rate} (a window spans {span} steps)"


def check_fits(
    n_steps: int, length: int, shape: tuple[int, ...], name: str = "x", sampling_rate: int = 1
) -> None:
    span = window_span(length, sampling_rate)
    if span > n_steps:
        fix = (
            f"use length <= {n_steps}"
            if sampling_rate == 1
            else f"use length <= {(n_steps - 1) // sampling_rate + 1} or a smaller sampling_rate"
        )
        raise ValueError(
            f"{describe_span(length, sampling_rate)} is longer than the series: {name} has "
            f"{n_steps} steps on axis 0 (shape {shape}); {fix}, or check that time is on axis 0"
        )


def check_pair(xa: np.ndarray, ya: np.ndarray, length: int, horizon: int, sampling_rate: int, y_name: str) -> None:
    """One series and its targets: the same number of steps, and at least one window with a target."""
    if ya.shape[0] != xa.shape[0]:
        raise ValueError(
            f"x and {y_name} must have the same number of steps on axis 0, got x shape {xa.shape} "
            f"and {y_name} shape {ya.shape}; pass targets aligned with x step by step "
            f"({y_name}[t] belongs to time t): the windowing does the shifting"
        )
    check_has_target(xa.shape, length, horizon, sampling_rate)


def check_has_target(
    shape: tuple[int, ...], length: int, horizon: int, sampling_rate: int
) -> None:
    n_steps = shape[0]
    if n_windows(n_steps, length, sampling_rate=sampling_rate, horizon=horizon) == 0:
        if horizon >= n_steps:  # no length helps: the target lies beyond the series
            fix = f"use horizon <= {n_steps - 1} (then length=1 fits)"
        elif sampling_rate == 1:
            fix = f"use length <= {n_steps - horizon}"
        else:
            fix = f"use length <= {(n_steps - horizon - 1) // sampling_rate + 1}"
        raise ValueError(
            f"no window has a target: {describe_span(length, sampling_rate)} + "
            f"horizon={horizon} > {n_steps} steps (x shape {shape}); {fix}, or a longer series"
        )


def target_reach(length: int, sampling_rate: int, horizon: int, target_length: int) -> int:
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


def too_short(name: str, index: int, arr: np.ndarray, need: int, what: str) -> ValueError:
    return ValueError(
        f"series {index} of {name} (shape {arr.shape}) has {arr.shape[0]} steps, too short for "
        f"one {what}: it needs at least {need} steps; drop it, or pass skip_short=True to skip "
        f"series that are too short"
    )


def kept_series(
    series: list[np.ndarray], need: int, skip_short: bool, name: str, what: str
) -> list[int]:
    """Indices of the series of a list that hold at least ``need`` steps (errors otherwise)."""
    kept = []
    for i, arr in enumerate(series):
        if arr.shape[0] >= need:
            kept.append(i)
        elif not skip_short:
            raise too_short(name, i, arr, need, what)
    if not kept:
        longest = max(arr.shape[0] for arr in series)
        raise ValueError(
            f"skip_short=True skipped every series of {name}: none of the {len(series)} has "
            f"the {need} steps one {what} needs (the longest has {longest}); use a shorter "
            f"window or longer recordings"
        )
    return kept


def paired_targets(xs: list[np.ndarray], y: Any, is_list: bool, name: str) -> list[np.ndarray]:
    """Read ``y`` like ``x`` and check that it pairs with ``x`` series by series, step by step."""
    ys, y_is_list = series_list(y, name)
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


def window_plan(n_steps: int, length: int, stride: int, sampling_rate: int = 1) -> tuple[int, int, bool]:
    """Full windows, steps they leave out at the end, and whether a padded window is reachable.

    A padded last window starts at ``n_full * stride`` (the next multiple of the stride); it
    exists only if that start lies inside the series and the full windows leave steps there.
    """
    n_full = n_windows(n_steps, length, stride=stride, sampling_rate=sampling_rate)
    covered_end = (n_full - 1) * stride + window_span(length, sampling_rate)
    next_start = n_full * stride
    reachable = covered_end < n_steps and next_start < n_steps
    return n_full, n_steps - covered_end, reachable


def window_view(arr: np.ndarray, length: int, stride: int, sampling_rate: int) -> np.ndarray:
    """Read-only view ``(n_windows, length, ...)`` of every full window of one series."""
    span = window_span(length, sampling_rate)
    # sliding_window_view puts the window axis last: (n_steps - span + 1, *rest, span).
    view = sliding_window_view(arr, span, axis=0)[::stride, ..., ::sampling_rate]
    return np.moveaxis(view, -1, 1)

"""Compare arrays with what a Keras model expects, and say in one sentence what to change.

``diagnose(x, model)`` reads the input shapes of a Keras model (or takes an expected shape
such as ``(None, 10, 3)``), compares them with the shape of ``x`` (one array, or a list of
arrays for a model with several inputs) and returns a :class:`Diagnosis`: ``ok``, a one-sentence
``fix`` and a plain-text report that prints well in a notebook.

The rules for one input are data: :data:`RULES`, an ordered tuple of :class:`Rule`, each a
small function tried in turn (``e`` is the expected shape, batch axis first, ``r`` the received
one); the first that applies gives the problem and the fix. This table lists them in that order
(a test checks that it agrees with :data:`RULES`):

=======================================  ======================================================
what is found                            fix
=======================================  ======================================================
a single value (0-D)                     an array of shape ``e``
an empty axis (no samples, no steps)     at least one value on every axis
``r`` is ``e`` without its batch         ``x[np.newaxis]``
``r`` lacks a features axis of 1         ``x[..., np.newaxis]``
one long series ``(T, F)`` or ``(T,)``   ``sliding_windows(x, timesteps)``
an expected shape without its batch      ``(None, *shape)``
an extra axis of size 1                  ``x[0]`` or ``x[..., 0]``
frames where single images go            wrap the CNN in ``TimeDistributed``
two axes where one goes                  ``x.reshape(*x.shape[:-2], -1)``
axes in another order                    ``x.transpose(...)``, e.g. time and features swapped
one axis of another size                 says which (features, timesteps, batch) and what to do
anything else                            the shape one sample must have
=======================================  ======================================================

Before the rules, ``x`` itself is read: a list of arrays of other lengths for a one-input model
gets ``seqshape.align.pad_batch(x)`` (ragged samples), a list of arrays of one length gets
``np.stack(x)``, and a plain Python list is named ``np.asarray(x)`` in the fixes (``x[np.newaxis]``
would fail on the list itself).

With a model it also checks the targets (``y=``) against the model's outputs, the
``return_sequences`` mismatch included, and runs the model once on the first sample to catch
layers that drop a mask. Where two fixes fit the shapes equally well, the report says so
(``ambiguous=True``) and names both, rather than picking one.

Importing this module needs only NumPy: a model is recognised by its ``inputs`` attribute.
"""

from __future__ import annotations

import itertools
import math
import re
import sys
import types
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from seqshape._validation import is_int

__all__ = ["RULES", "Case", "Diagnosis", "Rule", "diagnose"]

Shape = tuple[int | None, ...]

_AXIS_NAMES: dict[int, tuple[str, ...]] = {
    2: ("batch", "features"),
    3: ("batch", "timesteps", "features"),
    4: ("batch", "height", "width", "channels"),
    5: ("batch", "timesteps", "height", "width", "channels"),
}

_MASK_WARNING = re.compile(r"Layer '(?P<name>[^']+)' \(of type (?P<type>\w+)\) was passed an input with a mask")


@dataclass(frozen=True)
class _Issue:
    problem: str
    fix: str
    ambiguous: bool = False


@dataclass(frozen=True, repr=False)
class Diagnosis:
    """The result of :func:`diagnose`: whether ``x`` fits, and what to change if not.

    Its ``repr`` is a short plain-text report (no HTML or Markdown), so a notebook shows the same
    text that ``print`` does.

    Attributes
    ----------
    ok : bool
        True when every input (and ``y``, if given) fits, and the model ran on the first sample
        without error and without dropping a mask.
    fix : str
        One sentence: what to change, or ``"nothing to change"``. With several problems, the fix
        of the first one (fix it, then diagnose again); ``fixes`` has them all.
    problems : tuple of str
        What is wrong, one entry per problem.
    fixes : tuple of str
        What to change, one sentence per problem.
    ambiguous : bool
        True when the shapes alone cannot tell which of two fixes is right; the fix then names
        both, each with the reading of ``x`` it assumes.
    received : tuple of tuple
        The shape of each array in ``x`` (``None`` for the length axis of ragged samples).
    expected : tuple of tuple
        The expected shape of each input, batch axis first (``None`` = any size).
    names : tuple of str
        A label per expected input: the model's input names, or ``"x"``.
    details : tuple of (str, str)
        Further rows of the report, such as the shapes of ``y`` and of the model's output.
    """

    ok: bool
    fix: str
    problems: tuple[str, ...]
    fixes: tuple[str, ...]
    ambiguous: bool
    received: tuple[tuple[int | None, ...], ...]
    expected: tuple[Shape, ...]
    names: tuple[str, ...]
    details: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        n = len(self.problems)
        if self.ok:
            head = "diagnose: OK"
        else:
            head = f"diagnose: {n} problem{'s' if n != 1 else ''}" + (" (ambiguous)" if self.ambiguous else "")
        rows: list[tuple[str, str]] = []
        if len(self.received) == len(self.expected):  # one row pair per input
            for name, rec, exp in zip(self.names, self.received, self.expected, strict=True):
                rows.append(("x shape" if len(self.names) == 1 else f"x[{name!r}] shape", _fmt(rec)))
                rows.append(("expected", _describe_expected(exp)))
        else:  # the arrays do not map onto the inputs: list both sides
            for i, rec in enumerate(self.received):
                rows.append(("x shape" if len(self.received) == 1 else f"x[{i}] shape", _fmt(rec)))
            for name, exp in zip(self.names, self.expected, strict=True):
                rows.append((f"expected {name!r}", _describe_expected(exp)))
        rows.extend(self.details)
        if self.ok:
            rows.append(("fix", self.fix))
        for i, (problem, fix) in enumerate(zip(self.problems, self.fixes, strict=True), start=1):
            suffix = f" {i}" if n > 1 else ""
            rows += [(f"problem{suffix}", problem), (f"fix{suffix}", fix)]
        width = max(len(key) for key, _ in rows) + 1
        return "\n".join([head] + [f"  {key + ':':<{width}} {value}" for key, value in rows])

    __repr__ = __str__


def _describe_expected(shape: Shape) -> str:
    axes = _AXIS_NAMES.get(len(shape))
    return _fmt(shape) + (f" = ({', '.join(axes)})" if axes else "")


def _fmt(shape: Sequence[int | None]) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _matches(received: Sequence[int | None], expected: Shape) -> bool:
    return len(received) == len(expected) and all(
        e is None or r == e for r, e in zip(received, expected, strict=True)
    )


def _is_dim(d: Any) -> bool:
    return d is None or (is_int(d) and d >= 0)


def _as_shape(value: Any) -> Shape | None:
    """A tuple of ints/None, or None when ``value`` does not look like one shape."""
    if isinstance(value, (tuple, list)) and len(value) > 0 and all(_is_dim(d) for d in value):
        return tuple(None if d is None else int(d) for d in value)
    return None


def _shape_of_tensor(t: Any) -> Shape:
    return tuple(None if d is None else int(d) for d in tuple(t.shape))


def _flatten_layers(model: Any) -> list[Any]:
    """Every layer of ``model``, nested models included, except those inside a wrapper."""
    found = []
    for layer in getattr(model, "layers", []):
        found.append(layer)
        if hasattr(layer, "layers"):
            found.extend(_flatten_layers(layer))
    return found


def _unwrapped_flatten(model: Any) -> str | None:
    for layer in _flatten_layers(model):
        if type(layer).__name__ == "Flatten":
            return str(layer.name)
    return None


def _expected_from(model_or_shape: Any) -> tuple[list[Shape], list[str], Any]:
    """Expected input shapes, input names and the model (None when a shape was given)."""
    # A model is recognised by its class's ``inputs`` property (reading it on an unbuilt
    # Sequential raises, so ask the class) and its ``layers``; no Keras import needed.
    if hasattr(type(model_or_shape), "inputs") and hasattr(model_or_shape, "layers"):
        try:
            inputs = model_or_shape.inputs
        except (AttributeError, ValueError) as exc:
            raise ValueError(
                f"model_or_shape: the model has no defined input shape yet ({exc}); start it with "
                "keras.Input(shape=...) or pass the expected shape, e.g. (None, 10, 3)"
            ) from None
        if not inputs:
            raise ValueError(
                "model_or_shape: the model has no inputs yet; start it with keras.Input(shape=...) "
                "or pass the expected shape, e.g. (None, 10, 3)"
            )
        shapes = [_shape_of_tensor(t) for t in inputs]
        names = [str(getattr(t, "name", f"input {i}")) for i, t in enumerate(inputs)]
        return shapes, names, model_or_shape
    single = _as_shape(model_or_shape)
    if single is not None:
        return [single], ["x"], None
    if isinstance(model_or_shape, (list, tuple)) and model_or_shape:
        shapes = [_as_shape(s) for s in model_or_shape]
        if all(s is not None for s in shapes):
            return [s for s in shapes if s is not None], [f"input {i}" for i in range(len(shapes))], None
    raise TypeError(
        "model_or_shape must be a keras.Model or an expected input shape with the batch axis "
        f"first, like (None, 10, 3) (or a list of such shapes), got {model_or_shape!r}"
    )


@dataclass(frozen=True)
class _Array:
    """What diagnose needs to know about one input: its shape, dtype kind, and the object."""

    shape: tuple[int | None, ...]
    kind: str
    value: Any
    ragged_lengths: tuple[int, ...] = ()


def _describe_array(value: Any) -> _Array:
    shape = getattr(value, "shape", None)
    dtype = getattr(value, "dtype", None)
    if shape is not None and dtype is not None and not isinstance(value, (list, tuple)):
        kind = getattr(np.dtype(dtype), "kind", "O") if _numpy_dtype(dtype) else "f"
        return _Array(tuple(None if d is None else int(d) for d in tuple(shape)), kind, value)
    if isinstance(value, (list, tuple)) and value and all(np.ndim(v) > 0 for v in value):
        lengths = tuple(len(v) for v in value)
        try:
            arr = np.asarray(value)
        except ValueError:
            return _Array((len(value),), "O", value, ragged_lengths=lengths)
        return _Array(arr.shape, arr.dtype.kind, arr)
    arr = np.asarray(value)
    if arr.dtype.kind == "O" and arr.ndim == 0:
        raise TypeError(
            f"x must be an array (or a list of arrays, one per model input), got {type(value).__name__}; "
            "for a dataset or generator, pass one batch, e.g. x, y = dataset[0]"
        )
    return _Array(arr.shape, arr.dtype.kind, arr)


def _numpy_dtype(dtype: Any) -> bool:
    try:
        np.dtype(dtype)
    except TypeError:
        return False
    return True


def _names(rank: int) -> tuple[str, ...]:
    return _AXIS_NAMES.get(rank, tuple(f"axis {i}" for i in range(rank)))


def _rank_text(rank: int) -> str:
    axes = _AXIS_NAMES.get(rank)
    return f"{rank}-D" + (f" ({', '.join(axes)})" if axes else "")


def _input_call(shape: Sequence[int | None]) -> str:
    return f"keras.Input(shape={_fmt(shape)})"


@dataclass(frozen=True)
class Case:
    """What every rule reads: the received shape ``r``, the expected ``e``, how to name ``x``
    in a fix (``label``), the name of a Flatten layer outside TimeDistributed (``flatten``) and
    whether ``e`` was given as a shape rather than read from a model (``shape_given``)."""

    r: tuple[int | None, ...]
    e: Shape
    label: str
    flatten: str | None
    shape_given: bool

    @property
    def got(self) -> str:
        return f"{self.label} has shape {_fmt(self.r)}, the model expects {_rank_text(len(self.e))} {_fmt(self.e)}"


@dataclass(frozen=True)
class Rule:
    """One row of the rules table: what is found, the fix, and the function that finds it.

    ``check(case)`` returns the issues when the rule applies, None when it does not; the first
    rule that applies decides (the order of :data:`RULES` is the order of the table).
    """

    found: str
    fix: str
    check: Callable[[Case], list[_Issue] | None]


def _scalar(c: Case) -> list[_Issue] | None:
    if c.r:
        return None
    return [_Issue(f"{c.label} is a single value (0-D), not an array of samples",
                   f"pass an array of shape {_fmt(c.e)} (batch axis first): a model reads batches of samples, "
                   f"never a lone number")]


def _empty_axis(c: Case) -> list[_Issue] | None:
    empty = [i for i, d in enumerate(c.r) if d == 0]
    if not empty:
        return None
    names = _names(len(c.r))
    axes = ", ".join(names[i] for i in empty)
    return [_Issue(f"{c.label} has shape {_fmt(c.r)}: its {axes} axis is empty, so there is nothing to feed",
                   f"pass at least one value on every axis; an empty {names[empty[0]]} axis usually means an empty "
                   f"split or a window longer than the series")]


def _no_batch_axis(c: Case) -> list[_Issue] | None:
    r, e, label = c.r, c.e, c.label
    if len(r) != len(e) - 1 or not _matches(r, e[1:]):
        return None
    last_name = _names(len(e))[-1]
    if e[-1] == 1 and _matches(r, e[:-1]):
        return [_Issue(
            f"{c.got}, and it is missing either the batch axis or the {last_name} axis",
            f"ambiguous: if {label} is one sample, add a batch axis with {label}[np.newaxis]; "
            f"if it is {r[0]} samples with one {last_name[:-1]} each, add the {last_name} axis "
            f"with {label}[..., np.newaxis]",
            ambiguous=True,
        )]
    return [_Issue(f"{label} has no batch axis: it is one sample of shape {_fmt(r)}",
                   f"add a batch axis: {label}[np.newaxis]")]


def _no_last_axis(c: Case) -> list[_Issue] | None:
    r, e = c.r, c.e
    if len(r) != len(e) - 1 or e[-1] != 1 or not _matches(r, e[:-1]):
        return None
    last_name = _names(len(e))[-1]
    return [_Issue(f"{c.label} has no {last_name} axis: the model expects 1 {last_name[:-1]} per step",
                   f"add a {last_name} axis: {c.label}[..., np.newaxis]")]


def _one_long_series(c: Case) -> list[_Issue] | None:
    r, e, label = c.r, c.e, c.label
    if len(e) == 3 and len(r) == 2 and e[1] is not None and (e[2] is None or r[1] == e[2]):
        return [_Issue(
            f"{label} is 2-D {_fmt(r)}: one long series of {r[0]} steps × {r[1]} features, "
            f"not windows of {e[1]} steps",
            f"if {label} is one series, cut it into windows of {e[1]} steps: "
            f"seqshape.windows.sliding_windows({label}, {e[1]}) gives shape "
            f"(n_windows, {e[1]}, {r[1]})",
            ambiguous=True,
        )]
    if len(r) == 1 and len(e) == 3 and e[2] in (1, None):
        if e[1] is None or e[1] == r[0]:
            return [_Issue(f"{label} is one series of {r[0]} values with no batch and no features axis",
                           f"make it one sample with one feature: {label}[np.newaxis, :, np.newaxis]")]
        return [_Issue(
            f"{label} is one series of {r[0]} values; the model expects windows of {e[1]} steps",
            f"cut it into windows and add a features axis: "
            f"seqshape.windows.sliding_windows({label}, {e[1]})[..., np.newaxis]",
        )]
    return None


def _expected_without_batch(c: Case) -> list[_Issue] | None:
    r, e = c.r, c.e
    if not (c.shape_given and len(r) == len(e) + 1 and e[0] is not None and _matches(r[1:], e)):
        return None
    return [_Issue(
        f"the expected shape {_fmt(e)} has no batch axis (keras.Input(shape=...) leaves it out)",
        f"pass the expected shape with the batch axis first: {_fmt((None, *e))}",
    )]


def _extra_unit_axis(c: Case) -> list[_Issue] | None:
    r, e, label = c.r, c.e, c.label
    if len(r) != len(e) + 1:
        return None
    lead = r[0] == 1 and _matches(r[1:], e)
    trail = r[-1] == 1 and _matches(r[:-1], e)
    if lead and trail:
        return [_Issue(f"{c.got}: it has one axis of size 1 too many",
                       f"ambiguous: drop the leading axis with {label}[0] or the trailing one "
                       f"with {label}[..., 0], whichever was added by mistake",
                       ambiguous=True)]
    if lead:
        return [_Issue(f"{label} has an extra leading axis of size 1 (a batch axis added twice?)",
                       f"drop it: {label}[0]")]
    if trail:
        return [_Issue(f"{label} has an extra trailing axis of size 1", f"drop it: {label}[..., 0]")]
    return None


def _frames_for_images(c: Case) -> list[_Issue] | None:
    r, e, label = c.r, c.e, c.label
    if len(r) != len(e) + 1 or len(r) < 3 or not _matches((r[0], *r[2:]), e):
        return None
    if c.flatten is not None:
        return [_Issue(
            f"{label} holds sequences of {r[1]} frames {_fmt(r)} but the model takes single "
            f"frames {_fmt(e)}, and its Flatten layer {c.flatten!r} has no time axis to keep",
            f"Flatten removed the time axis: wrap the CNN in TimeDistributed, "
            f"keras.layers.TimeDistributed(cnn) on keras.Input(shape={_fmt(r[1:])}), and put "
            f"the recurrent layer after it",
        )]
    frame = ", ".join(str(d) for d in r[2:])
    return [_Issue(
        f"{label} holds sequences of {r[1]} frames {_fmt(r)} but the model takes single frames {_fmt(e)}",
        f"ambiguous: to keep time, wrap the model in keras.layers.TimeDistributed; to treat "
        f"every frame as its own sample, {label}.reshape(-1, {frame})",
        ambiguous=True,
    )]


def _two_axes_for_one(c: Case) -> list[_Issue] | None:
    r, e, label = c.r, c.e, c.label
    if len(r) != len(e) + 1:
        return None
    merged = (*r[:-2], None if r[-2] is None or r[-1] is None else r[-2] * r[-1])
    if not _matches(merged, e):
        return None
    return [_Issue(
        f"{label} has two axes {_fmt(r[-2:])} where the model expects one of size {e[-1]}",
        f"merge them: {label}.reshape(*{label}.shape[:-2], -1) gives {_fmt(merged)}",
    )]


def _axes_reordered(c: Case) -> list[_Issue] | None:
    r, e, label = c.r, c.e, c.label
    if len(r) != len(e) or len(e) > 6:
        return None
    order = range(1, len(e))
    perms = [p for p in itertools.permutations(order) if p != tuple(order)
             and _matches((r[0], *(r[i] for i in p)), e)]
    if not perms:
        return None
    calls = [f"{label}.transpose({', '.join(str(i) for i in (0, *p))})" for p in perms[:2]]
    if len(e) == 3:
        what = "time and features are swapped"
    else:
        what = f"the axes after the batch axis are in another order than {_fmt(e)}"
    certain = all(d is not None for d in e[1:])
    if len(perms) == 1 and certain:
        return [_Issue(f"{label} is {_fmt(r)}, the model expects {_fmt(e)}: the same sizes in another order",
                       f"{what}: {calls[0]}")]
    if len(perms) == 1:
        reading = ("(batch, features, timesteps) (channels first, as aeon and sktime load data)"
                   if len(e) == 3 else "in another axis order")
        return [_Issue(
            f"{label} is {_fmt(r)}, the model expects {_fmt(e)}: the sizes fit if the axes are reordered",
            f"if {label} is {reading}, {calls[0]}",
            ambiguous=True,
        )]
    return [_Issue(
        f"{label} is {_fmt(r)}, the model expects {_fmt(e)}: several axis orders fit",
        f"ambiguous: {' or '.join(calls)}, depending on what each axis of {label} holds",
        ambiguous=True,
    )]


def _one_axis_differs(c: Case) -> list[_Issue] | None:
    r, e, label = c.r, c.e, c.label
    if len(r) != len(e):
        return None
    names = _names(len(e))
    differ = [i for i in range(len(e)) if e[i] is not None and r[i] != e[i]]
    if differ == [len(e) - 1]:
        what = names[-1]
        return [_Issue(
            f"{label} has {r[-1]} {what} per {'sample' if len(e) == 2 else 'step'}, the model was built for {e[-1]}",
            f"{what} {r[-1]} != {e[-1]} expected: pass the {e[-1]} {what} the model was trained on "
            f"(same columns, same order), or rebuild it on {_input_call((*e[1:-1], r[-1]))}",
        )]
    if differ == [1] and len(e) >= 3:
        return [_Issue(
            f"{label} has {r[1]} steps per sample, the model was built for {e[1]}",
            f"timesteps {r[1]} != {e[1]} expected: cut windows of {e[1]} steps "
            f"(seqshape.windows.sliding_windows), or build the model on "
            f"{_input_call((None, *e[2:]))} to accept any length",
        )]
    if differ == [0]:
        return [_Issue(
            f"{label} has {r[0]} samples, the model has a fixed batch size of {e[0]} (a stateful layer?)",
            f"batch {r[0]} != {e[0]} expected: pass exactly {e[0]} samples per batch (batch_size={e[0]} in fit and predict)",
        )]
    listed = ", ".join(f"{names[i]} {r[i]} != {e[i]}" for i in differ)
    return [_Issue(f"{label} is {_fmt(r)}, the model expects {_fmt(e)} ({listed})",
                   _reshape_fix(r, e, label=label))]


def _anything_else(c: Case) -> list[_Issue] | None:
    return [_Issue(c.got, _reshape_fix(c.r, c.e, label=c.label))]


#: The rules for one input, in the order they are tried; the module docstring's table lists
#: them in this order (a test checks that the two agree).
RULES: tuple[Rule, ...] = (
    Rule("a single value (0-D)", "an array of shape ``e``", _scalar),
    Rule("an empty axis (no samples, no steps)", "at least one value on every axis", _empty_axis),
    Rule("``r`` is ``e`` without its batch", "``x[np.newaxis]``", _no_batch_axis),
    Rule("``r`` lacks a features axis of 1", "``x[..., np.newaxis]``", _no_last_axis),
    Rule("one long series ``(T, F)`` or ``(T,)``", "``sliding_windows(x, timesteps)``", _one_long_series),
    Rule("an expected shape without its batch", "``(None, *shape)``", _expected_without_batch),
    Rule("an extra axis of size 1", "``x[0]`` or ``x[..., 0]``", _extra_unit_axis),
    Rule("frames where single images go", "wrap the CNN in ``TimeDistributed``", _frames_for_images),
    Rule("two axes where one goes", "``x.reshape(*x.shape[:-2], -1)``", _two_axes_for_one),
    Rule("axes in another order", "``x.transpose(...)``, e.g. time and features swapped", _axes_reordered),
    Rule("one axis of another size", "says which (features, timesteps, batch) and what to do", _one_axis_differs),
    Rule("anything else", "the shape one sample must have", _anything_else),
)


def _compare(
    r: tuple[int | None, ...], e: Shape, *, label: str, flatten: str | None, shape_given: bool
) -> list[_Issue]:
    """The issues of one array of shape ``r`` against the expected shape ``e``: the first rule
    of :data:`RULES` that applies."""
    case = Case(r, e, label, flatten, shape_given)
    if r and 0 not in r and _matches(r, e):
        return []
    for rule in RULES:
        issues = rule.check(case)
        if issues is not None:
            return issues
    raise AssertionError("unreachable: the last rule always applies")  # pragma: no cover


def _reshape_fix(r: tuple[int | None, ...], e: Shape, *, label: str) -> str:
    """The fix when no rule matches: a reshape if the per-sample sizes agree, else say so."""
    per_sample_r = r[1:] if r else ()
    known = all(d is not None for d in per_sample_r) and all(d is not None for d in e[1:])
    if known and math.prod(per_sample_r) == math.prod(e[1:]):  # type: ignore[arg-type]
        return (f"ambiguous: each sample holds {math.prod(e[1:])} values, as expected: if they are stored "  # type: ignore[arg-type]
                f"in the expected axis order, {label}.reshape(-1, {', '.join(str(d) for d in e[1:])}); otherwise rebuild "
                f"{label} (or the model's keras.Input) so that one sample has shape {_fmt(e[1:])}")
    return (f"rebuild {label} so that one sample has shape {_fmt(e[1:])} ({_rank_text(len(e))}), "
            f"or build the model on {_input_call(r[1:])}")


def _check_targets(y: Any, model: Any, n_samples: int | None) -> tuple[list[_Issue], list[tuple[str, str]]]:
    outputs = [_shape_of_tensor(t) for t in model.outputs]
    ys = list(y) if isinstance(y, (list, tuple)) and len(outputs) > 1 else [y]
    if len(ys) != len(outputs):
        return [_Issue(f"the model has {len(outputs)} outputs, y has {len(ys)} arrays",
                       "pass one target array per output, in the order of model.outputs")], []
    issues: list[_Issue] = []
    rows: list[tuple[str, str]] = []
    for k, (yk, out) in enumerate(zip(ys, outputs, strict=True)):
        arr = _describe_array(yk)
        label = "y" if len(outputs) == 1 else f"y[{k}]"
        rows += [(f"{label} shape", _fmt(arr.shape)), ("model output", _fmt(out))]
        s = arr.shape
        if n_samples is not None and s and s[0] is not None and s[0] != n_samples:
            issues.append(_Issue(
                f"x has {n_samples} samples but {label} has {s[0]}",
                "give one target per sample: seqshape.windows.make_supervised builds aligned windows and targets",
            ))
            continue
        if _matches(s, out) or (out[-1] is not None and out[-1] > 1 and _matches((*s, 1)[: len(out)], (*out[:-1], 1))
                                and arr.kind in "iu") or (len(s) == len(out) - 1 and _matches(s, out[:-1]) and arr.kind in "iu"):
            continue  # same shape, or integer class labels for sparse categorical losses
        if len(out) == 3 and len(s) in (1, 2):
            issues.append(_Issue(
                f"the model outputs one vector per step {_fmt(out)} (return_sequences=True on its last "
                f"recurrent layer) but {label} has one target per sample {_fmt(s)}; mean squared error "
                f"broadcasts this silently",
                f"ambiguous: for one prediction per sample set return_sequences=False on the last "
                f"recurrent layer; for one per step give {label} the shape {_fmt((s[0], out[1] or 'T', out[2]))}",
                ambiguous=True,
            ))
        elif len(out) == 2 and len(s) == 3:
            issues.append(_Issue(
                f"{label} has one target per step {_fmt(s)} but the model outputs one vector per sample {_fmt(out)}",
                f"ambiguous: to predict every step set return_sequences=True on the last recurrent "
                f"layer; to predict one value per window keep the last step: {label}[:, -1]",
                ambiguous=True,
            ))
        else:
            issues.append(_Issue(
                f"{label} is {_fmt(s)} but the model outputs {_fmt(out)}",
                f"make {label} one target per sample of shape {_fmt(out[1:])}, or change the last layer to output that shape",
            ))
    return issues, rows


def _run_once(model: Any, arrays: list[_Array]) -> list[_Issue]:
    """Run the model on the first sample to catch runtime errors and dropped masks."""
    first = [np.asarray(a.value[:1]) for a in arrays]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model(first[0] if len(first) == 1 else first, training=False)
        except Exception as exc:  # any error of the model is what the reader needs to see
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return [_Issue(f"the shapes fit, but the model raises {type(exc).__name__} on the first sample: {message}",
                           "look the message up on the book's Error messages page")]
    issues = []
    for w in caught:
        match = _MASK_WARNING.search(str(w.message))
        if match:
            issues.append(_Issue(
                f"{match['type']} layer {match['name']!r} does not support masking and drops the mask "
                "(Keras only warns): the layers after it see the padding as data",
                "put only mask-aware layers (LSTM, GRU, Dense, GlobalAveragePooling1D) after the mask, "
                "or pass the mask to the recurrent layer yourself: lstm(h, mask=mask)",
            ))
    return issues


def diagnose(x: Any, model_or_shape: Any, *, y: Any = None, run: bool = True) -> Diagnosis:
    """Compare ``x`` with what a Keras model expects and say in one sentence what to change.

    Parameters
    ----------
    x : array_like, or list/tuple/dict of array_like
        The data you would pass to ``model.fit`` or ``model.predict``: one array, a list (or
        tuple) with one array per model input, in the order of ``model.inputs``, or a dict keyed
        by input name. For a single-input model, a list of several arrays is read as several
        samples (what ``fit`` rejects with "Data cardinality is ambiguous"): of one length, they
        should be stacked; of different lengths, padded.
    model_or_shape : keras.Model, tuple or list of tuple
        A built model (its ``inputs`` give the expected shapes), or the expected shape with the
        batch axis first, as in ``model.inputs[0].shape``: ``(None, 10, 3)``, ``None`` meaning
        any size. A list of shapes for several inputs.
    y : array_like or list of array_like, optional
        Targets to check against the model's outputs (needs a model, not a shape). Default None:
        targets are not checked.
    run : bool, optional
        Default True: when the shapes fit, call the model once on the first sample, to catch
        errors the shapes do not show and layers that drop a mask. False skips the call.

    Returns
    -------
    Diagnosis
        ``ok``, ``fix`` (one sentence), ``problems``, ``ambiguous``, ``received`` and
        ``expected`` shapes (one per input, ``expected[i]`` with the batch axis first). Its
        ``repr`` is a plain-text report.

    Raises
    ------
    TypeError
        If ``model_or_shape`` is neither a model nor a shape like ``(None, 10, 3)``, ``x`` is
        a dict but no model is given, or ``x`` is not array-like (a dataset, a generator).
    ValueError
        If the model has no defined inputs yet (a ``Sequential`` without ``keras.Input``), or
        ``y`` is given with a shape instead of a model.

    See Also
    --------
    seqshape.align.add_batch_axis : adds the batch axis with a clear error when it is wrong.
    seqshape.windows.sliding_windows : the fix when ``x`` is one long series, not windows.
    seqshape.align.pad_batch : the fix when ``x`` is a list of samples of different lengths.

    Notes
    -----
    Cost: comparing shapes is free (no copy of ``x``; a list of arrays of one length is
    stacked to read its shape). With ``run=True`` and a model, one forward pass on one sample.
    Expected shapes come from ``model.inputs``, so ``diagnose`` sees what Keras checks at the
    model's entrance; a ``Sequential`` model without ``keras.Input`` has none and is refused.

    Examples
    --------
    One window with no batch axis:

    >>> x = np.zeros((10, 3))
    >>> x.shape
    (10, 3)
    >>> report = diagnose(x, (None, 10, 3))
    >>> report.ok, report.fix
    (False, 'add a batch axis: x[np.newaxis]')
    >>> diagnose(x[np.newaxis], (None, 10, 3)).ok
    True

    Time and features swapped:

    >>> print(diagnose(np.zeros((32, 3, 10)), (None, 10, 3)))
    diagnose: 1 problem
      x shape:  (32, 3, 10)
      expected: (None, 10, 3) = (batch, timesteps, features)
      problem:  x is (32, 3, 10), the model expects (None, 10, 3): the same sizes in another order
      fix:      time and features are swapped: x.transpose(0, 2, 1)

    Where the shapes allow two readings, the report says so:

    >>> diagnose(np.zeros((10, 1)), (None, None, 1)).ambiguous
    True
    """
    expected, names, model = _expected_from(model_or_shape)
    if y is not None and model is None:
        raise ValueError("y can only be checked against a model's outputs: pass the model, not a shape")
    read = _read_x(x, expected, names, model)
    if isinstance(read, Diagnosis):  # x itself is the problem (a dict or a list of samples)
        return read
    arrays, single = read
    received = [a.shape for a in arrays]
    issues = _check_arrays(arrays, expected, names, model, single)
    rows: list[tuple[str, str]] = []
    if model is not None and y is not None and len(arrays) == len(expected):
        n = arrays[0].shape[0] if arrays[0].shape else None
        target_issues, rows = _check_targets(y, model, n)
        issues.extend(target_issues)
    if model is not None and run and not issues:
        issues.extend(_run_once(model, arrays))
    return _result(issues, received, expected, names, rows)


def _read_x(x: Any, expected: list[Shape], names: list[str], model: Any) -> tuple[list[_Array], str] | Diagnosis:
    """The arrays in ``x``, one per model input, and how a fix names ``x`` for a one-input
    model; or, when ``x`` as a whole cannot be read that way, the diagnosis that says why."""
    if isinstance(x, Mapping):
        if model is None:
            raise TypeError("x is a dict: pass the model, whose input names are the dict's keys")
        missing = [n for n in names if n not in x]
        unknown = [k for k in x if k not in names]
        if missing or unknown:
            issue = _Issue(
                f"x is a dict with keys {sorted(map(str, x))}, the model's inputs are {names}",
                f"use the input names as keys: {names}",
            )
            return _result([issue], [_describe_array(x[k]).shape for k in x if k in names] or [()],
                           expected, names, [])
        x = [x[n] for n in names]

    is_list = isinstance(x, (list, tuple))
    if is_list and x and all(np.ndim(v) > 0 for v in x) and len(expected) > 1:
        return [_describe_array(v) for v in x], "x"
    if is_list and len(x) > 1 and all(np.ndim(v) > 1 for v in x) and len(expected) == 1:
        whole = _describe_array(list(x))
        if whole.ragged_lengths:
            lengths = whole.ragged_lengths
            issue = _Issue(
                f"x is a list of {len(x)} samples of different lengths ({min(lengths)} to {max(lengths)} "
                f"steps); Keras reads a list as one array per model input",
                "pad them into one batch and mask the padding: seqshape.align.pad_batch(x)",
            )
            return _result([issue], [(len(x), None, *np.shape(x[0])[1:])], expected, names, [])
        issue = _Issue(
            f"x is a list of {len(x)} arrays of shape {_fmt(whole.shape[1:])}; Keras reads a list as "
            f"one array per model input, and the model has 1",
            f"stack the samples into one batch: np.stack(x) gives {_fmt(whole.shape)}",
        )
        more = _compare(whole.shape, expected[0], label="np.stack(x)", flatten=None, shape_given=model is None)
        return _result([issue, *more], [whole.shape], expected, names, [])
    if is_list and len(x) == 1 and np.ndim(x[0]) > 0 and len(expected) == 1:
        return [_describe_array(x[0])], "x[0]"  # the fixes index the one array, not the list
    # A plain list is named np.asarray(x) in the fixes: x[np.newaxis] fails on the list itself.
    return [_describe_array(x)], "np.asarray(x)" if is_list else "x"


def _check_arrays(arrays: list[_Array], expected: list[Shape], names: list[str], model: Any, single: str) -> list[_Issue]:
    """The issues of the arrays against the expected inputs: count, kind, then :data:`RULES`."""
    if len(arrays) != len(expected):
        shown = ", ".join(f"{n} {_fmt(s)}" for n, s in zip(names, expected, strict=True))
        return [_Issue(
            f"the model has {len(expected)} inputs ({shown}), x has {len(arrays)} array(s)",
            f"pass a list of {len(expected)} arrays in the order of model.inputs, or a dict keyed by {names}",
        )]
    issues: list[_Issue] = []
    flatten = _unwrapped_flatten(model) if model is not None else None
    for a, e, name in zip(arrays, expected, names, strict=True):
        label = single if len(expected) == 1 else f"x[{name!r}]"
        if a.ragged_lengths or a.kind == "O" or None in a.shape:
            issues.append(_Issue(f"{label} is ragged: its samples have different lengths (an object array or a ragged tensor)",
                                 f"pad the samples into one batch and mask the padding: seqshape.align.pad_batch(list({label}))"))
        elif a.kind not in "biuf":
            issues.append(_Issue(f"{label} is not numeric (dtype kind {a.kind!r})",
                                 f"convert {label} to numbers, e.g. {label}.astype('float32')"))
        else:
            issues.extend(_compare(a.shape, e, label=label, flatten=flatten, shape_given=model is None))
    counts = {a.shape[0] for a in arrays if a.shape and a.shape[0] is not None}
    if not issues and len(counts) > 1:
        issues.append(_Issue(f"the inputs have different numbers of samples {sorted(counts)}",
                             "give every input the same samples, in the same order"))
    return issues


def _result(issues: list[_Issue], received: list[tuple[int | None, ...]], expected: list[Shape],
            names: list[str], rows: list[tuple[str, str]]) -> Diagnosis:
    return Diagnosis(
        ok=not issues,
        fix=issues[0].fix if issues else "nothing to change",
        problems=tuple(i.problem for i in issues),
        fixes=tuple(i.fix for i in issues),
        ambiguous=any(i.ambiguous or i.fix.startswith("ambiguous:") for i in issues),
        received=tuple(tuple(r) for r in received),
        expected=tuple(expected),
        names=tuple(names),
        details=tuple(rows),
    )


class _CallableModule(types.ModuleType):
    """The module itself is callable, so ``seqshape.diagnose(x, model)`` works as the book writes
    it, while ``from seqshape.diagnose import diagnose`` keeps working too."""

    def __call__(self, x: Any, model_or_shape: Any, *, y: Any = None, run: bool = True) -> Diagnosis:
        return diagnose(x, model_or_shape, y=y, run=run)


sys.modules[__name__].__class__ = _CallableModule

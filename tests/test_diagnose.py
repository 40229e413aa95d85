"""Tests of seqshape.diagnose: a table of shape cases, model cases, documented errors, properties."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seqshape.diagnose import Diagnosis, diagnose

# Each case: x, the expected shape, whether the fix is ambiguous, and a fragment of the fix.
CASES = [
    pytest.param(np.zeros((10, 3)), (None, 10, 3), False, "add a batch axis: x[np.newaxis]", id="no-batch-axis"),
    pytest.param(np.zeros((32, 10)), (None, 10, 1), False, "add a features axis: x[..., np.newaxis]", id="no-features-axis"),
    pytest.param(np.zeros((10, 1)), (None, None, 1), True, "x[np.newaxis]", id="batch-or-features-ambiguous"),
    pytest.param(np.zeros((500, 3)), (None, 10, 3), True, "sliding_windows(x, 10)", id="one-long-series"),
    pytest.param(np.zeros((32, 3, 10)), (None, 10, 3), False, "time and features are swapped: x.transpose(0, 2, 1)", id="swapped"),
    pytest.param(np.zeros((32, 6, 100)), (None, None, 6), True, "(batch, features, timesteps)", id="channels-first"),
    pytest.param(np.zeros((32, 4, 4)), (None, None, None), False, "nothing to change", id="all-free-fits"),
    pytest.param(np.zeros((32, 10, 2)), (None, 10, 3), False, "features 2 != 3 expected", id="features"),
    pytest.param(np.zeros((32, 12, 3)), (None, 10, 3), False, "timesteps 12 != 10 expected", id="timesteps"),
    pytest.param(np.zeros((1, 32, 10, 3)), (None, 10, 3), False, "drop it: x[0]", id="batch-axis-twice"),
    pytest.param(np.zeros((32, 10, 3, 1)), (None, 10, 3), False, "drop it: x[..., 0]", id="trailing-one"),
    pytest.param(np.zeros((32, 10, 2, 3)), (None, 10, 6), False, "x.reshape(*x.shape[:-2], -1)", id="grid-to-features"),
    pytest.param(np.zeros((32, 10, 8, 8)), (None, 10, 8, 8, 1), False, "add a channels axis", id="no-channels"),
    pytest.param(np.zeros((32, 10, 8, 8, 1)), (None, 8, 8, 1), True, "TimeDistributed", id="frames-for-single-images"),
    pytest.param(np.zeros((32, 30)), (None, 10, 3), True, "x.reshape(-1, 10, 3)", id="flattened-samples"),
    pytest.param(np.zeros(100), (None, 10, 1), False, "sliding_windows(x, 10)[..., np.newaxis]", id="1d-series-windows"),
    pytest.param(np.zeros(100), (None, None, 1), False, "x[np.newaxis, :, np.newaxis]", id="1d-series-one-sample"),
    pytest.param(np.zeros((32, 10, 3)), (10, 3), False, "(None, 10, 3)", id="shape-without-batch-axis"),
    pytest.param([np.zeros((10, 3)), np.zeros((7, 3))], (None, None, 3), False, "seqshape.align.pad_batch(x)", id="ragged-list"),
    pytest.param([np.zeros((10, 3)), np.zeros((10, 3))], (None, 10, 3), False, "np.stack(x)", id="list-of-samples"),
    pytest.param(np.array([np.zeros((10, 3)), np.zeros((7, 3))], dtype=object), (None, None, 3), False, "pad_batch", id="object-array"),
    pytest.param(np.array(["a", "b"]), (None, 10, 3), False, "astype('float32')", id="strings"),
    pytest.param(np.zeros((4, 10, 3)), (8, 10, 3), False, "batch 4 != 8 expected", id="fixed-batch"),
    pytest.param(np.zeros((32, 9, 5)), (None, 10, 3), False, "rebuild x", id="nothing-fits"),
    pytest.param(np.zeros((32, 10, 3)), (None, 10, 3), False, "nothing to change", id="fits"),
    pytest.param([np.zeros((32, 10, 3))], (None, 10, 3), False, "nothing to change", id="list-of-one-array"),
    # Regressions: a 0-d x was told keras.Input(shape=()), a Python list x[np.newaxis], and an
    # empty batch was called ok.
    pytest.param(np.float64(3.0), (None, 10, 3), False, "pass an array of shape (None, 10, 3)", id="0-d"),
    pytest.param(3, (None, 10, 3), False, "never a lone number", id="python-scalar"),
    pytest.param([1.0, 2.0, 3.0], (None, None, 1), False, "np.asarray(x)[np.newaxis, :, np.newaxis]", id="python-list"),
    pytest.param([[1.0, 2.0], [3.0, 4.0]], (None, 2, 2), False, "add a batch axis: np.asarray(x)[np.newaxis]", id="nested-list"),
    pytest.param([np.zeros((10, 3))], (None, 10, 3), False, "add a batch axis: x[0][np.newaxis]", id="list-of-one-sample"),
    pytest.param(np.zeros((0, 10, 3)), (None, 10, 3), False, "an empty batch axis usually means an empty split", id="empty-batch"),
    pytest.param(np.zeros((4, 0, 3)), (None, None, 3), False, "an empty timesteps axis", id="empty-timesteps"),
]


@pytest.mark.parametrize(("x", "expected", "ambiguous", "fix"), CASES)
def test_diagnose_table(x, expected, ambiguous, fix):
    report = diagnose(x, expected)
    assert fix in report.fix
    assert report.ok is (fix == "nothing to change")
    assert report.ambiguous is ambiguous
    if ambiguous:  # an ambiguous fix names its assumption instead of guessing silently
        assert report.fix.startswith(("ambiguous:", "if "))
    assert len(report.problems) == len(report.fixes) == (0 if report.ok else 1)


def test_rules_table_in_the_docstring_lists_the_rules_in_order():
    import re

    import seqshape.diagnose as module

    doc = module.__doc__
    table = doc[doc.index("what is found"):].split("\n")
    rows = []
    for line in table[2:]:  # after the header and its rule line
        if line.startswith("==="):
            break
        found, fix = re.split(r"\s{2,}", line.strip(), maxsplit=1)
        rows.append((found, fix))
    assert rows == [(rule.found, rule.fix) for rule in module.RULES]


@pytest.mark.parametrize("rule", __import__("seqshape.diagnose", fromlist=["RULES"]).RULES, ids=lambda r: r.check.__name__)
def test_every_rule_applies_to_some_case_and_only_the_last_to_all(rule):
    # Each rule is testable on its own: it applies to at least one case of CASES (or to a
    # shape built for it here), and only the last rule applies to everything.
    import seqshape.diagnose as module

    shapes = [((), (None, 3)), ((0, 3), (None, 3)), ((10, 3), (None, 10, 3)), ((32, 10), (None, 10, 1)),
              ((500, 3), (None, 10, 3)), ((32, 10, 3), (10, 3)), ((1, 32, 10, 3), (None, 10, 3)),
              ((32, 10, 8, 8, 1), (None, 8, 8, 1)), ((32, 10, 2, 3), (None, 10, 6)),
              ((32, 3, 10), (None, 10, 3)), ((32, 10, 2), (None, 10, 3)), ((32, 9, 5, 1), (None, 10, 3))]
    applies = [rule.check(module.Case(r, e, "x", None, True)) is not None for r, e in shapes]
    assert any(applies)
    assert all(applies) is (rule is module.RULES[-1])


def test_multi_problem_shapes_and_fix_is_one_sentence():
    report = diagnose(np.zeros((32, 3, 10)), (None, 10, 3))
    assert "\n" not in report.fix
    assert report.received == ((32, 3, 10),)
    assert report.expected == ((None, 10, 3),)


def test_report_is_plain_text_and_repr_equals_str():
    report = diagnose(np.zeros((10, 3)), (None, 10, 3))
    assert isinstance(report, Diagnosis)
    assert repr(report) == str(report)
    assert str(report).splitlines() == [
        "diagnose: 1 problem",
        "  x shape:  (10, 3)",
        "  expected: (None, 10, 3) = (batch, timesteps, features)",
        "  problem:  x has no batch axis: it is one sample of shape (10, 3)",
        "  fix:      add a batch axis: x[np.newaxis]",
    ]
    for method in ("_repr_html_", "_repr_markdown_", "_repr_pretty_"):
        assert not hasattr(report, method)


def test_ok_report_says_nothing_to_change():
    text = str(diagnose(np.zeros((2, 5)), (None, 5)))
    assert text.startswith("diagnose: OK") and text.endswith("fix:      nothing to change")


def test_list_of_shapes_for_several_inputs():
    report = diagnose([np.zeros((2, 10, 3)), np.zeros((2, 4))], [(None, 10, 3), (None, 5)])
    assert not report.ok
    assert report.fix.startswith("features 4 != 5 expected")
    assert "x['input 1'] shape: (2, 4)" in str(report)


def test_shape_accepts_numpy_integers_and_lists():
    assert diagnose(np.zeros((2, 10, 3)), [None, np.int64(10), 3]).ok


def test_applying_the_transpose_fix_gives_ok():
    x = np.zeros((4, 3, 7))
    assert diagnose(x, (None, 7, 3)).fix.endswith("x.transpose(0, 2, 1)")
    assert diagnose(x.transpose(0, 2, 1), (None, 7, 3)).ok


def test_importing_diagnose_does_not_import_keras():
    code = "import sys, seqshape.diagnose; sys.exit('keras' in sys.modules or 'tensorflow' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# Documented errors ----------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["(None, 10, 3)", 3, (), (None, -1), (None, 2.5), [(None, 3), "x"], True])
def test_rejects_what_is_neither_model_nor_shape(bad):
    with pytest.raises(TypeError, match=r"model_or_shape must be a keras.Model or an expected input shape"):
        diagnose(np.zeros((2, 3)), bad)


def test_rejects_y_without_a_model():
    with pytest.raises(ValueError, match=r"y can only be checked against a model's outputs"):
        diagnose(np.zeros((2, 10, 3)), (None, 10, 3), y=np.zeros(2))


def test_rejects_dict_without_a_model():
    with pytest.raises(TypeError, match=r"x is a dict: pass the model"):
        diagnose({"a": np.zeros((2, 3))}, (None, 3))


def test_rejects_what_is_not_array_like():
    with pytest.raises(TypeError, match=r"x must be an array .*pass one batch"):
        diagnose(iter([np.zeros((2, 3))]), (None, 3))


# Properties -----------------------------------------------------------------------------------

dims = st.integers(min_value=2, max_value=6)


@settings(max_examples=60, deadline=None)
@given(st.lists(dims, min_size=2, max_size=4), st.data())
def test_matching_arrays_are_ok_and_free_axes_match_anything(shape, data):
    free = data.draw(st.lists(st.booleans(), min_size=len(shape), max_size=len(shape)))
    expected = (None, *(None if f else d for d, f in zip(shape, free, strict=True)))
    assert diagnose(np.zeros((3, *shape)), expected).ok


@settings(max_examples=60, deadline=None)
@given(st.lists(dims, min_size=2, max_size=4, unique=True))
def test_a_sample_without_batch_axis_gets_the_batch_axis_fix(shape):
    report = diagnose(np.zeros(shape), (None, *shape))
    assert report.fix == "add a batch axis: x[np.newaxis]"
    assert diagnose(np.zeros(shape)[np.newaxis], (None, *shape)).ok


@settings(max_examples=60, deadline=None)
@given(st.permutations([2, 3, 5]))
def test_a_unique_axis_order_is_found_and_its_transpose_fixes_it(order):
    x = np.zeros((4, *order))
    report = diagnose(x, (None, 2, 3, 5))
    if tuple(order) == (2, 3, 5):
        assert report.ok
    else:
        call = report.fix.split("x.transpose")[1]
        axes = tuple(int(a) for a in call.strip("()").split(","))
        assert diagnose(x.transpose(axes), (None, 2, 3, 5)).ok


# With Keras models ----------------------------------------------------------------------------

keras = pytest.importorskip("keras")
layers = keras.layers


def test_reads_expected_shape_from_a_model():
    model = keras.Sequential([keras.Input((10, 3)), layers.LSTM(2)])
    report = diagnose(np.zeros((10, 3)), model)
    assert report.expected == ((None, 10, 3),)
    assert report.fix == "add a batch axis: x[np.newaxis]"
    assert diagnose(np.zeros((2, 10, 3)), model).ok


def test_flatten_outside_time_distributed_is_named():
    cnn = keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D(2, 3), layers.Flatten()])
    report = diagnose(np.zeros((4, 5, 8, 8, 1)), cnn)
    assert report.fix.startswith("Flatten removed the time axis: wrap the CNN in TimeDistributed")
    assert not report.ambiguous


def _two_input_model():
    a = keras.Input((10, 3), name="sensors")
    b = keras.Input((5,), name="weather")
    out = layers.Dense(1)(layers.Concatenate()([layers.LSTM(2)(a), b]))
    return keras.Model([a, b], out)


def test_multi_input_model():
    model = _two_input_model()
    good = [np.zeros((2, 10, 3)), np.zeros((2, 5))]
    assert diagnose(good, model).ok
    assert diagnose({"weather": good[1], "sensors": good[0]}, model).ok
    one = diagnose(good[0], model)
    assert "pass a list of 2 arrays in the order of model.inputs" in one.fix
    assert "  x shape:            (2, 10, 3)" in str(one)
    assert "  expected 'weather': (None, 5) = (batch, features)" in str(one)
    counts = diagnose([np.zeros((2, 10, 3)), np.zeros((3, 5))], model)
    assert "different numbers of samples [2, 3]" in counts.problems[0]
    keys = diagnose({"sensors": good[0], "wind": good[1]}, model)
    assert "use the input names as keys" in keys.fix


def test_dropped_mask_is_reported():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # Keras warns when the model is built; we test diagnose's report
        model = keras.Sequential([keras.Input((10, 3)), layers.Masking(), layers.Conv1D(2, 3), layers.LSTM(2)])
    report = diagnose(np.zeros((2, 10, 3)), model)
    assert "Conv1D layer" in report.problems[0] and "drops the mask" in report.problems[0]
    assert "mask=mask" in report.fix
    assert diagnose(np.zeros((2, 10, 3)), model, run=False).ok


def test_targets_against_return_sequences():
    per_step = keras.Sequential([keras.Input((10, 3)), layers.LSTM(2, return_sequences=True), layers.Dense(1)])
    report = diagnose(np.zeros((4, 10, 3)), per_step, y=np.zeros((4, 1)))
    assert report.ambiguous and "return_sequences=False" in report.fix
    assert "y shape:      (4, 1)" in str(report)
    assert diagnose(np.zeros((4, 10, 3)), per_step, y=np.zeros((4, 10, 1))).ok
    per_sample = keras.Sequential([keras.Input((10, 3)), layers.LSTM(2), layers.Dense(5)])
    assert "return_sequences=True" in diagnose(np.zeros((4, 10, 3)), per_sample, y=np.zeros((4, 10, 5))).fix
    assert diagnose(np.zeros((4, 10, 3)), per_sample, y=np.zeros(4, dtype=int)).ok  # sparse labels
    assert "x has 4 samples but y has 3" in diagnose(np.zeros((4, 10, 3)), per_sample, y=np.zeros((3, 5))).problems[0]
    assert "y is (4, 7)" in diagnose(np.zeros((4, 10, 3)), per_sample, y=np.zeros((4, 7))).problems[0]


def test_model_error_on_first_sample_is_reported():
    model = keras.Sequential([keras.Input((None, 3)), layers.Conv1D(2, 5)])  # needs at least 5 steps
    report = diagnose(np.zeros((2, 3, 3)), model)
    assert not report.ok and "the shapes fit, but the model raises" in report.problems[0]


def test_rejects_a_sequential_without_input():
    with pytest.raises(ValueError, match=r"the model has no defined input shape yet"):
        diagnose(np.zeros((2, 10, 3)), keras.Sequential([layers.LSTM(2)]))


def test_the_package_attribute_is_callable_as_the_book_writes_it():
    import seqshape

    report = seqshape.diagnose(np.zeros((10, 3)), (None, 10, 3))
    assert not report.ok and "x[np.newaxis]" in report.fix
    assert seqshape.diagnose.diagnose is diagnose

"""Loaders return real data offline, time on axis 0, with the documented shapes and errors."""

import numpy as np
import pytest

from seqshape import datasets


def test_elnino_is_one_monthly_series_in_calendar_order():
    sst = datasets.load_elnino()
    assert sst.index.freqstr == "MS"
    assert sst.index.is_monotonic_increasing and sst.notna().all()


def test_japanese_vowels_are_time_major_with_7_to_29_steps():
    seqs, labels = datasets.load_japanese_vowels("test")
    lengths = {s.shape[0] for s in seqs}
    assert len(seqs) == 370 and min(lengths) >= 7 and max(lengths) <= 29
    assert {s.shape[1] for s in seqs} == {12}
    assert set(np.unique(labels)) == set(range(9))


def test_basic_motions_channels_are_last():
    X, y, classes = datasets.load_basic_motions("test")
    assert X.shape == (40, 100, 6) and X.dtype == np.float32
    assert [classes[i] for i in np.unique(y)] == classes


def test_kdd_training_prefix_is_anomaly_free():
    _values, labels, train_end = datasets.load_kdd_tsad_135()
    assert labels[:train_end].sum() == 0 and labels[train_end:].sum() == 12


@pytest.mark.parametrize("loader", [datasets.load_japanese_vowels, datasets.load_basic_motions])
def test_unknown_split_is_rejected(loader):
    with pytest.raises(ValueError, match=r"split must be one of 'train', 'test', got 'valid'"):
        loader("valid")


def test_moving_digit_stays_on_the_canvas_and_keeps_its_ink():
    frames, pos = datasets.moving_digits(40, canvas=12, velocity=(1, 2))
    images, _ = datasets.load_digit_images()
    assert pos.min() >= 0 and pos.max() <= 12 - 8
    np.testing.assert_allclose(frames.sum(axis=(1, 2)), images[0].sum(), rtol=1e-5)
    assert np.abs(np.diff(pos, axis=0)).max() <= 2


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_frames": 0}, "n_frames must be an int >= 1, got 0"),
        ({"n_frames": 5, "canvas": 8}, r"canvas must be an int >= 9, got 8; the digit is 8 x 8"),
        ({"n_frames": 5, "index": 5000}, r"index must be an int in \[0, 1796\], got 5000"),
        ({"n_frames": 5, "start": (20, 0)}, "start must be"),
    ],
)
def test_moving_digits_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        datasets.moving_digits(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_frames": 5.0}, r"n_frames must be an int >= 1, got float 5.0"),
        ({"n_frames": True}, r"n_frames must be an int >= 1, got bool True"),
        ({"n_frames": 5, "canvas": 16.0}, r"canvas must be an int >= 9, got float"),
        ({"n_frames": 5, "velocity": (1.5, 1)}, r"velocity must be a pair of ints \(row, column\), got \(1.5, 1\) \(velocity\[0\] is float 1.5\)"),
        ({"n_frames": 5, "start": 3}, r"start must be a pair of ints"),
    ],
)
def test_moving_digits_non_int_arguments_raise_type_error(kwargs, match):
    # Regression: a non-int n_frames raised ValueError, where a non-int length raises TypeError.
    with pytest.raises(TypeError, match=match):
        datasets.moving_digits(**kwargs)


def test_unknown_split_type_is_a_type_error():
    with pytest.raises(TypeError, match=r"split must be one of 'train', 'test', got int 1"):
        datasets.load_basic_motions(1)


def test_camera_pan_frames_are_shifted_crops():
    frames = datasets.camera_pan(3, size=16, step=4)
    img = datasets.load_china()
    np.testing.assert_array_equal(frames[2], img[150:166, 8:24])


def test_camera_pan_says_how_many_frames_fit():
    with pytest.raises(ValueError, match=r"n_frames must be in \[1, 77\]"):
        datasets.camera_pan(100, size=32, step=8)
    with pytest.raises(ValueError, match=r"row must be an int in \[0, 395\], got 500; the photograph is 427 pixels high"):
        datasets.camera_pan(3, size=32, row=500)
    with pytest.raises(TypeError, match=r"n_frames must be an int >= 1, got float 3.0"):
        datasets.camera_pan(3.0)

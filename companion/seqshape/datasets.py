"""Offline loaders for the real data sets used in the book.

Every loader reads data that ships inside an installed package: nothing is downloaded. Each one
returns time on axis 0 (the convention of the whole package) and says which package it needs.

=========================  ==================  ==============================================
loader                     needs               what it is
=========================  ==================  ==============================================
``load_co2``               statsmodels         weekly CO2 at Mauna Loa, 1958-2001
``load_elnino``            statsmodels         monthly Pacific sea surface temperature, 1950-2010
``load_japanese_vowels``   aeon                640 utterances, 12 channels, 7-29 steps each
``load_basic_motions``     aeon                80 recordings, 100 steps, 6 sensor channels
``load_taylor``            pmdarima            4032 half-hourly electricity demand values
``load_kdd_tsad_135``      aeon                7501 steps of a beat waveform, 12 anomalous
``load_digit_images``      scikit-learn        1797 handwritten digits, 8 x 8 pixels
``load_china``             scikit-learn        one 427 x 640 RGB photograph
``moving_digits``          scikit-learn        a digit moving across a canvas, frame by frame
``camera_pan``             scikit-learn        a window panning across the photograph
=========================  ==================  ==============================================

The book's "Data" page cites each source and its licence.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from seqshape._validation import check_choice, check_int, check_ints

__all__ = [
    "camera_pan",
    "load_basic_motions",
    "load_china",
    "load_co2",
    "load_digit_images",
    "load_elnino",
    "load_japanese_vowels",
    "load_kdd_tsad_135",
    "load_taylor",
    "moving_digits",
]

#: Steps per day and per week in :func:`load_taylor` (half-hourly data).
TAYLOR_PER_DAY = 48
TAYLOR_PER_WEEK = 7 * 48


def _require(module: str, package: str) -> Any:
    """Import ``module`` or raise an ImportError that says which package to install."""
    import importlib

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return importlib.import_module(module)
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            f"this data set needs the package {package!r}, which is not installed; "
            f"install it with: pip install {package}  (or: pip install 'seqshape[data]')"
        ) from exc


def load_co2() -> pd.Series:
    """Weekly atmospheric CO2 (ppm) at Mauna Loa, March 1958 to December 2001.

    Returns
    -------
    pandas.Series
        2284 weekly values on a ``DatetimeIndex`` (weeks ending on Saturday). 59 weeks have no
        measurement and are NaN: they are kept, not dropped, so the index stays regular.

    Examples
    --------
    >>> co2 = load_co2()
    >>> co2.shape
    (2284,)
    """
    sm = _require("statsmodels.api", "statsmodels")
    data = sm.datasets.co2.load_pandas().data
    return data["co2"].rename("co2").astype("float64")


def load_elnino() -> pd.Series:
    """Monthly sea surface temperature (degrees C) in the El Nino region, 1950-2010.

    The source is a wide table (one row per year, one column per month); this loader turns it
    into one series with a month-start ``DatetimeIndex``.

    Returns
    -------
    pandas.Series
        732 monthly values.

    Examples
    --------
    >>> sst = load_elnino()
    >>> sst.shape
    (732,)
    >>> str(sst.index[0].date())
    '1950-01-01'
    """
    sm = _require("statsmodels.api", "statsmodels")
    wide = sm.datasets.elnino.load_pandas().data
    months = wide.columns[1:]
    years = wide["YEAR"].astype(int).to_numpy()
    values = wide[months].to_numpy(dtype="float64").reshape(-1)
    index = pd.date_range(f"{years[0]}-01-01", periods=values.size, freq="MS")
    return pd.Series(values, index=index, name="sst")


def load_japanese_vowels(split: str = "train") -> tuple[list[np.ndarray], np.ndarray]:
    """Japanese vowels: nine male speakers saying /a/ then /e/; tell who spoke. 12 LPC channels per step.

    Parameters
    ----------
    split : {"train", "test"}, optional
        270 training and 370 test utterances. Default "train".

    Returns
    -------
    sequences : list of numpy.ndarray
        One ``(T_i, 12)`` float32 array per utterance, time on axis 0; ``T_i`` runs from 7 to 29.
    labels : numpy.ndarray
        Speaker index 0-8, int64, shape ``(n,)``.

    Examples
    --------
    >>> seqs, labels = load_japanese_vowels("train")
    >>> len(seqs), seqs[0].shape, labels.shape
    (270, (20, 12), (270,))
    """
    check_choice(split, "split", ("train", "test"))
    ds = _require("aeon.datasets", "aeon")
    X, y = ds.load_japanese_vowels(split=split)
    seqs = [np.ascontiguousarray(np.asarray(s, dtype=np.float32).T) for s in X]
    labels = np.asarray(y).astype(np.int64) - 1
    return seqs, labels


def load_basic_motions(split: str = "train") -> tuple[np.ndarray, np.ndarray, list[str]]:
    """BasicMotions: a smartwatch's accelerometer and gyroscope (x, y, z each) at 10 Hz.

    Parameters
    ----------
    split : {"train", "test"}, optional
        40 recordings each. Default "train".

    Returns
    -------
    X : numpy.ndarray
        ``(n, 100, 6)`` float32, time-major: channels 0-2 are the accelerometer's x, y, z and
        channels 3-5 the gyroscope's. ``X.reshape(n, 100, 2, 3)`` views each step as a
        2 x 3 (sensor x axis) grid.
    y : numpy.ndarray
        Activity index, int64, shape ``(n,)``.
    classes : list of str
        Activity names, ``classes[y[i]]`` is the name of recording ``i``.

    Examples
    --------
    >>> X, y, classes = load_basic_motions("train")
    >>> X.shape, y.shape, classes
    ((40, 100, 6), (40,), ['badminton', 'running', 'standing', 'walking'])
    """
    check_choice(split, "split", ("train", "test"))
    ds = _require("aeon.datasets", "aeon")
    X, y = ds.load_basic_motions(split=split)
    classes = sorted({str(v) for v in y})
    codes = np.array([classes.index(str(v)) for v in y], dtype=np.int64)
    return np.ascontiguousarray(np.transpose(X, (0, 2, 1)).astype(np.float32)), codes, classes


def load_taylor() -> np.ndarray:
    """Half-hourly electricity demand (MW) in England and Wales, 12 weeks of summer 2000.

    Returns
    -------
    numpy.ndarray
        4032 float64 values (``12 * TAYLOR_PER_WEEK``), starting on a Monday. Daily cycle:
        ``TAYLOR_PER_DAY = 48`` steps; weekly cycle: ``TAYLOR_PER_WEEK = 336`` steps.

    Examples
    --------
    >>> load_taylor().shape
    (4032,)
    """
    pm = _require("pmdarima.datasets", "pmdarima")
    return np.asarray(pm.load_taylor(as_series=False), dtype=np.float64)


def load_kdd_tsad_135() -> tuple[np.ndarray, np.ndarray, int]:
    """A beat waveform (UCR ``InternalBleeding16``), with one labelled anomaly (KDD-TSAD 135).

    Returns
    -------
    values : numpy.ndarray
        7501 float64 values.
    labels : numpy.ndarray
        7501 int64 labels, 1 on the 12 anomalous steps, else 0.
    train_end : int
        The first ``train_end`` steps (1200) are anomaly-free and meant for training; the
        anomaly lies after them.

    Examples
    --------
    >>> values, labels, train_end = load_kdd_tsad_135()
    >>> values.shape, int(labels.sum()), train_end
    ((7501,), 12, 1200)
    """
    ds = _require("aeon.datasets", "aeon")
    train, _ = ds.load_kdd_tsad_135(split="train")
    values, labels = ds.load_kdd_tsad_135(split="test")
    return np.asarray(values, np.float64), np.asarray(labels, np.int64), len(train)


def load_digit_images() -> tuple[np.ndarray, np.ndarray]:
    """The 1797 handwritten digits of scikit-learn (UCI optical digits), 8 x 8, values 0-16.

    Returns
    -------
    images : numpy.ndarray
        ``(1797, 8, 8)`` float32 scaled to [0, 1].
    digits : numpy.ndarray
        The digit shown, int64, shape ``(1797,)``.

    Examples
    --------
    >>> images, digits = load_digit_images()
    >>> images.shape, float(images.max())
    ((1797, 8, 8), 1.0)
    """
    sk = _require("sklearn.datasets", "scikit-learn")
    d = sk.load_digits()
    return (d.images / 16.0).astype(np.float32), d.target.astype(np.int64)


def load_china() -> np.ndarray:
    """The ``china.jpg`` sample photograph of scikit-learn, ``(427, 640, 3)`` float32 in [0, 1].

    Examples
    --------
    >>> load_china().shape
    (427, 640, 3)
    """
    sk = _require("sklearn.datasets", "scikit-learn")
    return (sk.load_sample_image("china.jpg") / 255.0).astype(np.float32)


def moving_digits(
    n_frames: int,
    *,
    canvas: int = 16,
    index: int = 0,
    velocity: tuple[int, int] = (1, 1),
    start: tuple[int, int] = (0, 0),
) -> tuple[np.ndarray, np.ndarray]:
    """A real handwritten digit that moves across a blank canvas and bounces off its edges.

    Parameters
    ----------
    n_frames : int
        Number of frames (time steps).
    canvas : int, optional
        Side of the square canvas in pixels, at least 9 (the digit is 8 x 8). Default 16.
    index : int, optional
        Which of the 1797 digits of :func:`load_digit_images` moves. Default 0.
    velocity : tuple of int, optional
        Pixels per frame along (rows, columns). Default ``(1, 1)``.
    start : tuple of int, optional
        Top-left corner of the digit in the first frame. Default ``(0, 0)``.

    Returns
    -------
    frames : numpy.ndarray
        ``(n_frames, canvas, canvas)`` float32.
    positions : numpy.ndarray
        ``(n_frames, 2)`` int64, the digit's top-left corner (row, column) in each frame.

    Raises
    ------
    TypeError
        If ``n_frames``, ``canvas``, ``index`` or an entry of ``start``/``velocity`` is not an
        int (a bool is not an int here).
    ValueError
        If ``n_frames`` < 1, ``canvas`` < 9, ``index`` is not a digit's index, or ``start`` is
        off the canvas.

    Examples
    --------
    >>> frames, pos = moving_digits(20, canvas=16)
    >>> frames.shape, pos.shape
    ((20, 16, 16), (20, 2))
    >>> pos[:3].tolist()
    [[0, 0], [1, 1], [2, 2]]
    """
    check_int(n_frames, "n_frames")
    check_int(canvas, "canvas", minimum=9, fix="the digit is 8 x 8 pixels, so the canvas needs at least 9")
    images, _ = load_digit_images()
    check_int(index, "index", minimum=0, maximum=len(images) - 1, fix=f"there are {len(images)} digits")
    limit = canvas - 8
    for name, pair in (("start", start), ("velocity", velocity)):
        check_ints(pair, name, lengths=(2,), minimum=None, expected="a pair of ints (row, column)",
                   fix=f"e.g. {name}=(1, 2)")
    pos = np.array(start, dtype=np.int64)
    vel = np.array(velocity, dtype=np.int64)
    if np.any(pos < 0) or np.any(pos > limit):
        raise ValueError(
            f"start must be (row, column) inside [0, {limit}] and velocity a pair of ints; "
            f"got start={start!r}, velocity={velocity!r}"
        )
    frames = np.zeros((n_frames, canvas, canvas), dtype=np.float32)
    positions = np.empty((n_frames, 2), dtype=np.int64)
    for t in range(n_frames):
        r, c = pos
        frames[t, r : r + 8, c : c + 8] = images[index]
        positions[t] = pos
        nxt = pos + vel
        for k in range(2):  # bounce: reflect the velocity at an edge
            if nxt[k] < 0 or nxt[k] > limit:
                vel[k] = -vel[k]
                nxt[k] = pos[k] + vel[k]
        pos = np.clip(nxt, 0, limit)
    return frames, positions


def camera_pan(n_frames: int, *, size: int = 32, step: int = 8, row: int = 150) -> np.ndarray:
    """Frames of a square camera window panning left to right across ``china.jpg``.

    Parameters
    ----------
    n_frames : int
        Number of frames.
    size : int, optional
        Side of each square frame in pixels. Default 32.
    step : int, optional
        Pixels the window moves right between frames. Default 8.
    row : int, optional
        Top row of the window in the photograph. Default 150.

    Returns
    -------
    numpy.ndarray
        ``(n_frames, size, size, 3)`` float32 RGB frames in [0, 1].

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If the pan would leave the photograph; the message gives the largest ``n_frames``.

    Examples
    --------
    >>> camera_pan(10, size=32, step=8).shape
    (10, 32, 32, 3)
    """
    check_int(n_frames, "n_frames")
    check_int(step, "step", minimum=0)
    img = load_china()
    h, w, _ = img.shape
    check_int(size, "size", maximum=min(h, w), fix=f"the photograph is {h} x {w} pixels")
    check_int(row, "row", minimum=0, maximum=h - size, fix=f"the photograph is {h} pixels high and frames are {size}")
    max_frames = (w - size) // step + 1 if step else n_frames
    if n_frames < 1 or n_frames > max_frames:
        raise ValueError(
            f"n_frames must be in [1, {max_frames}] for size={size}, step={step} "
            f"(the photograph is {w} pixels wide), got {n_frames}"
        )
    return np.stack([img[row : row + size, i * step : i * step + size] for i in range(n_frames)])

"""``WindowDataset``: batches of windows served lazily to Keras (imported via seqshape.windows).

Kept apart from :mod:`seqshape.windows` because it subclasses ``keras.utils.PyDataset``, and
importing Keras (with TensorFlow) costs seconds and about 0.6 GB; ``seqshape.windows`` loads
this module only when ``WindowDataset`` is first asked for.
"""

from __future__ import annotations

import math
from typing import Any

import keras
import numpy as np

from seqshape.windows import _as_series, _check_fits, _positive_int, sliding_windows

__all__ = ["WindowDataset"]

_PYDATASET_KWARGS = ("workers", "use_multiprocessing", "max_queue_size")


class WindowDataset(keras.utils.PyDataset):
    """Batches of windows (and aligned targets) cut on demand from the original array.

    Window ``i`` is ``x[s : s + length]`` with ``s = i * stride``; with ``targets`` its target is
    ``targets[s + length - 1 + horizon]``, exactly as in :func:`seqshape.windows.make_supervised`.
    Each batch is gathered in one vectorised indexing step from a read-only
    ``sliding_windows`` view, so at most one batch of windows exists as a copy at a time (per
    worker), never all of them.

    Parameters
    ----------
    x : array_like, shape (n_steps, ...)
        The series, time on axis 0 (``np.memmap`` works and stays on disk).
    targets : array_like, shape (n_steps, ...), optional
        Targets on the same time axis as ``x``; the dataset does the shifting. Default None:
        batches hold inputs only (for ``predict``, or a model that computes its own loss), and
        every window of ``x`` is served (``horizon`` is then not used).
    length : int
        Steps per window.
    stride : int, optional
        Steps between window starts. Default 1.
    horizon : int, optional
        Steps from a window's last step to its target. Default 1; 0 labels a window by its
        last step.
    batch_size : int, optional
        Windows per batch; the last batch may be smaller. Default 32.
    shuffle : bool, optional
        Serve the windows in a new random order every epoch. Default False.
    seed : int, optional
        Seed of the ``numpy.random.Generator`` that shuffles; the same seed gives the same
        orders epoch after epoch. Default None (a fresh seed).
    **pydataset_kwargs
        ``workers``, ``use_multiprocessing``, ``max_queue_size``: passed on to
        ``keras.utils.PyDataset`` (background batch preparation while the model trains).

    Attributes
    ----------
    n_windows : int
        Number of windows served per epoch:
        ``(n_steps - length - horizon) // stride + 1`` with targets,
        ``(n_steps - length) // stride + 1`` without.

    Returns
    -------
    Each ``ds[b]`` is ``(x_batch, y_batch)`` with shapes ``(batch, length, *x.shape[1:])`` and
    ``(batch, *targets.shape[1:])``, or just ``x_batch`` without targets.
    ``len(ds) = ceil(n_windows / batch_size)``.

    Raises
    ------
    TypeError
        If ``length``, ``stride``, ``horizon``, ``batch_size`` is not an int, or an unknown
        keyword argument is given.
    ValueError
        If ``length``, ``stride`` or ``batch_size`` < 1; ``horizon`` < 0; ``targets`` has a
        different number of steps than ``x``; the series is too short for one window.
    IndexError
        If a batch index outside ``[0, len(ds))`` is asked for.

    See Also
    --------
    seqshape.windows.make_supervised : the same pairs as two views, when they fit in memory
        as batches anyway (small data).
    keras.utils.timeseries_dataset_from_array : the Keras built-in; a ``tf.data`` pipeline
        whose targets must be shifted by hand, and slower on large frames.

    Notes
    -----
    Memory: one batch, ``batch_size * length`` steps, per batch in flight (``max_queue_size``
    batches with workers). Time: one NumPy fancy-indexing copy per batch.

    Examples
    --------
    >>> x = np.arange(100, dtype=np.float32).reshape(50, 2)
    >>> ds = WindowDataset(x, x[:, 0], length=10, stride=5, batch_size=4)
    >>> ds.n_windows, len(ds)
    (8, 2)
    >>> xb, yb = ds[0]
    >>> xb.shape, yb.shape
    ((4, 10, 2), (4,))
    >>> xb[1, 0].tolist(), float(yb[1])
    ([10.0, 11.0], 30.0)
    """

    def __init__(
        self,
        x: Any,
        targets: Any = None,
        *,
        length: int,
        stride: int = 1,
        horizon: int = 1,
        batch_size: int = 32,
        shuffle: bool = False,
        seed: int | None = None,
        **pydataset_kwargs: Any,
    ) -> None:
        unknown = sorted(set(pydataset_kwargs) - set(_PYDATASET_KWARGS))
        if unknown:
            raise TypeError(
                f"WindowDataset got unexpected keyword argument(s) {unknown}; the extra "
                f"options it passes to keras.utils.PyDataset are {list(_PYDATASET_KWARGS)}"
            )
        super().__init__(**pydataset_kwargs)
        xa = _as_series(x, "x")
        length = _positive_int(length, "length")
        stride = _positive_int(stride, "stride")
        batch_size = _positive_int(batch_size, "batch_size")
        if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)):
            raise TypeError(f"horizon must be an int, got {type(horizon).__name__} {horizon!r}")
        if horizon < 0:
            raise ValueError(
                f"horizon must be >= 0 (steps after the window's last step), got {horizon}; "
                f"use horizon=1 for the next step"
            )
        n_steps = xa.shape[0]
        _check_fits(n_steps, length, xa.shape)
        if targets is None:
            ya = None
            n_windows = (n_steps - length) // stride + 1
        else:
            ya = _as_series(targets, "targets")
            if ya.shape[0] != n_steps:
                raise ValueError(
                    f"targets must have as many steps as x on axis 0, got x shape {xa.shape} "
                    f"and targets shape {ya.shape}; pass targets aligned step by step with x "
                    f"(targets[t] belongs to time t), the dataset does the shifting"
                )
            if length + horizon > n_steps:
                raise ValueError(
                    f"no window has a target: length={length} + horizon={horizon} > "
                    f"{n_steps} steps (x shape {xa.shape}); use length <= {n_steps - horizon}"
                )
            n_windows = (n_steps - length - horizon) // stride + 1

        self.length = length
        self.stride = stride
        self.horizon = int(horizon)
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        self.n_windows = n_windows
        # A read-only view (n_windows, length, ...): indexing it with an index array gathers a
        # whole batch in one vectorised copy.
        self._windows = sliding_windows(xa[: (n_windows - 1) * stride + length], length, stride=stride)
        self._targets = ya
        self._first_target = length - 1 + self.horizon
        self._rng = np.random.default_rng(seed)
        self._order = self._rng.permutation(n_windows) if self.shuffle else None

    def __len__(self) -> int:
        return math.ceil(self.n_windows / self.batch_size)

    def window_indices(self, index: int) -> np.ndarray:
        """Indices of the windows that batch ``index`` holds in the current epoch's order."""
        n_batches = len(self)
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
            raise TypeError(f"batch index must be an int, got {type(index).__name__}")
        if not 0 <= index < n_batches:
            raise IndexError(f"batch index {index} out of range [0, {n_batches})")
        lo = int(index) * self.batch_size
        hi = min(lo + self.batch_size, self.n_windows)
        if self._order is None:
            return np.arange(lo, hi)
        return self._order[lo:hi]

    def __getitem__(self, index: int) -> Any:
        idx = self.window_indices(index)
        xb = self._windows[idx]  # one fancy-indexing copy: (batch, length, ...)
        if self._targets is None:
            return xb
        return xb, self._targets[self._first_target + idx * self.stride]

    def on_epoch_end(self) -> None:
        """Draw a new window order for the next epoch when ``shuffle=True``."""
        if self.shuffle:
            self._order = self._rng.permutation(self.n_windows)

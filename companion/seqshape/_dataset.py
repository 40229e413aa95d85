"""``WindowDataset``: batches of windows served lazily to Keras (imported via seqshape.windows).

Kept apart from :mod:`seqshape.windows` because it subclasses ``keras.utils.PyDataset``, and
importing Keras (with TensorFlow) costs seconds and about 0.6 GB; ``seqshape.windows`` loads
this module only when ``WindowDataset`` is first asked for.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import keras
import numpy as np

from seqshape._validation import (
    check_fits,
    check_horizon,
    check_int,
    check_pair,
    describe,
    describe_span,
    is_int,
    kept_series,
    n_windows,
    paired_targets,
    series_list,
    target_reach,
    window_span,
    window_view,
)

__all__ = ["WindowDataset"]

_PYDATASET_KWARGS = ("workers", "use_multiprocessing", "max_queue_size")


class WindowDataset(keras.utils.PyDataset):
    """Batches of windows (and aligned targets) cut on demand from the original array.

    Window ``i`` is ``x[s : s + (length - 1) * sampling_rate + 1 : sampling_rate]`` with
    ``s = i * stride`` (``x[s : s + length]`` by default); with ``targets``, its targets are
    ``targets[e - target_length + 1 : e + 1]`` with ``e = s + (length - 1) * sampling_rate +
    horizon`` (one step, ``targets[s + length - 1 + horizon]``, by default), exactly as in
    :func:`seqshape.windows.make_supervised`. Each batch is gathered in one vectorised indexing
    step from a read-only ``sliding_windows`` view, so at most one batch of windows exists as
    a copy at a time (per worker), never all of them.

    Parameters
    ----------
    x : array_like, shape (n_steps, ...), or list of arrays
        The series, time on axis 0 (``np.memmap`` works and stays on disk). A list or tuple of
        arrays is several series (recordings of different lengths, same trailing shape): the
        dataset keeps one view per series, copies none, and cuts no window across two.
    targets : array_like, shape (n_steps, ...), or list of arrays, optional
        Targets on the same time axis as ``x`` (for a list of series, a list that matches it
        series by series); the dataset does the shifting. Default None: batches hold inputs
        only (for ``predict``, or a model that computes its own loss), and every window of
        ``x`` is served (``horizon`` and ``target_length`` are then not used).
    length : int
        Steps per window.
    stride : int, optional
        Steps between window starts. Default 1.
    horizon : int, optional
        Steps from a window's last step to its (last) target. Default 1; 0 labels a window by
        its last step.
    batch_size : int, optional
        Windows per batch; the last batch may be smaller. Default 32.
    shuffle : bool, optional
        Serve the windows in a new random order every epoch. Default False.
    seed : int, optional
        Seed of the ``numpy.random.Generator`` that shuffles; the same seed gives the same
        orders epoch after epoch. Default None: a seed drawn from NumPy's global random state,
        as Keras' own data utilities do, so ``keras.utils.set_random_seed`` makes the orders
        reproducible.
    sampling_rate : int, optional
        Keep every ``sampling_rate``-th step inside a window. Default 1.
    target_length : int, optional
        Consecutive target steps per window, ending ``horizon`` steps after its last step.
        Default 1 (no target axis).
    skip_short : bool, optional
        With a list of series: skip the series too short for one window (and its target)
        instead of raising. Default False.
    **pydataset_kwargs
        ``workers``, ``use_multiprocessing``, ``max_queue_size``: passed on to
        ``keras.utils.PyDataset`` (background batch preparation while the model trains).

    Attributes
    ----------
    n_windows : int
        Number of windows served per epoch; per series, with
        ``span = (length - 1) * sampling_rate + 1``,
        ``(n_steps - span - horizon) // stride + 1`` with targets,
        ``(n_steps - span) // stride + 1`` without, summed over the series.
    seed : int
        The seed of the shuffling generator: the one given, or the one drawn for
        ``seed=None``.

    Returns
    -------
    Each ``ds[b]`` is ``(x_batch, y_batch)`` with shapes ``(batch, length, *x.shape[1:])`` and
    ``(batch, *targets.shape[1:])`` (``(batch, target_length, *targets.shape[1:])`` when
    ``target_length > 1``), or just ``x_batch`` without targets.
    ``len(ds) = ceil(n_windows / batch_size)``.

    Raises
    ------
    TypeError
        If ``length``, ``stride``, ``horizon``, ``batch_size``, ``sampling_rate`` or
        ``target_length`` is not an int; an unknown keyword argument is given; ``x`` or
        ``targets`` is a list that mixes arrays with other items.
    ValueError
        If ``length``, ``stride``, ``batch_size``, ``sampling_rate`` or ``target_length``
        < 1; ``horizon`` < 0; ``target_length`` reaches before the series starts;
        ``targets`` has a different number of steps than ``x`` (or does not match a list
        ``x`` series by series); the series is too short for one window (for a list: one of
        them, unless ``skip_short=True``, or all of them); the series of a list differ in
        trailing shape.
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
    batches with workers). Time: one NumPy fancy-indexing copy per batch (one per series
    present in the batch, for a shuffled list of series).

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

    The next 5 steps as targets, windows of every second step:

    >>> ds = WindowDataset(x, x[:, 0], length=4, sampling_rate=2, horizon=5, target_length=5)
    >>> xb, yb = ds[0]
    >>> xb.shape, yb.shape
    ((32, 4, 2), (32, 5))
    >>> xb[0, :, 0].tolist(), yb[0].tolist()
    ([0.0, 4.0, 8.0, 12.0], [14.0, 16.0, 18.0, 20.0, 22.0])

    Three recordings; ``origins`` says where each window comes from:

    >>> runs = [np.zeros((12, 2)), np.zeros((3, 2)), np.ones((9, 2))]
    >>> ds = WindowDataset(runs, length=4, stride=4, skip_short=True)
    >>> ds.n_windows, ds[0].shape
    (5, (5, 4, 2))
    >>> ds.origins.tolist()
    [[0, 0], [0, 4], [0, 8], [2, 0], [2, 4]]
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
        sampling_rate: int = 1,
        target_length: int = 1,
        skip_short: bool = False,
        **pydataset_kwargs: Any,
    ) -> None:
        unknown = sorted(set(pydataset_kwargs) - set(_PYDATASET_KWARGS))
        if unknown:
            raise TypeError(
                f"WindowDataset got unexpected keyword argument(s) {unknown}; the extra "
                f"options it passes to keras.utils.PyDataset are {list(_PYDATASET_KWARGS)}"
            )
        super().__init__(**pydataset_kwargs)
        xs, is_list = series_list(x, "x")
        ys = None if targets is None else paired_targets(xs, targets, is_list, "targets")
        length = check_int(length, "length")
        stride = check_int(stride, "stride")
        batch_size = check_int(batch_size, "batch_size")
        sampling_rate = check_int(sampling_rate, "sampling_rate")
        target_length = check_int(target_length, "target_length")
        horizon = check_horizon(horizon)
        span = window_span(length, sampling_rate)
        if ys is None:
            need, what = span, f"window ({describe_span(length, sampling_rate)})"
            first = 0
        else:
            need = span + horizon
            what = f"window ({describe_span(length, sampling_rate)}) and its target"
            first = target_reach(length, sampling_rate, horizon, target_length)
        if is_list:
            kept = kept_series(xs, need, skip_short, "x", what)
        else:
            kept = [0]
            self._check_single(xs[0], ys, length, horizon, sampling_rate)

        plan_horizon = None if ys is None else horizon
        counts = [n_windows(xs[i].shape[0], length, stride=stride, sampling_rate=sampling_rate, horizon=plan_horizon)
                  for i in kept]
        self.length = length
        self.stride = stride
        self.horizon = horizon
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        self.sampling_rate = sampling_rate
        self.target_length = target_length
        # Per kept series: its position in the list given, and a read-only view
        # (n_windows_k, length, ...) that a batch of window indices gathers from in one copy.
        self._kept = np.asarray(kept, dtype=np.int64)
        self._views = [
            window_view(xs[i][: (c - 1) * stride + span], length, stride, sampling_rate)
            for i, c in zip(kept, counts, strict=True)
        ]
        self._x_series = [xs[i] for i in kept]
        self._dtype = np.result_type(*(v.dtype for v in self._views))
        if ys is None:
            self._targets = None
        elif target_length == 1:
            self._targets = [ys[i] for i in kept]
        else:  # a view of every target_length-step run of targets, indexed by its first step
            self._targets = [window_view(ys[i], target_length, 1, 1) for i in kept]
        self._y_series = None if ys is None else [ys[i] for i in kept]
        self._first_target = first
        self._offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self._ids: np.ndarray | None = None  # global window ids served; None = all of them
        self.n_windows = int(self._offsets[-1])
        if seed is None:
            # Like Keras' data utilities: draw from NumPy's global state, which
            # keras.utils.set_random_seed seeds (hence the legacy call, on purpose).
            seed = int(np.random.randint(2**31 - 1))  # noqa: NPY002
        self.seed = seed
        self._rng = np.random.default_rng(seed)
        self._order = self._rng.permutation(self.n_windows) if self.shuffle else None
        self._origins: np.ndarray | None = None

    @staticmethod
    def _check_single(
        xa: np.ndarray,
        ya: list[np.ndarray] | None,
        length: int,
        horizon: int,
        sampling_rate: int,
    ) -> None:
        check_fits(xa.shape[0], length, xa.shape, "x", sampling_rate)
        if ya is not None:
            check_pair(xa, ya[0], length, horizon, sampling_rate, "targets")

    def __len__(self) -> int:
        return math.ceil(self.n_windows / self.batch_size)

    def window_indices(self, index: int) -> np.ndarray:
        """Indices of the windows that batch ``index`` holds in the current epoch's order.

        They count windows in this dataset's unshuffled order (the rows of ``origins``).
        """
        n_batches = len(self)
        if not is_int(index):
            raise TypeError(f"batch index must be an int, got {describe(index)}; pass a whole number in [0, {n_batches})")
        if not 0 <= index < n_batches:
            raise IndexError(f"batch index {index} out of range [0, {n_batches})")
        lo = int(index) * self.batch_size
        hi = min(lo + self.batch_size, self.n_windows)
        if self._order is None:
            return np.arange(lo, hi)
        return self._order[lo:hi]

    def _locate(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Kept-series number and window number inside that series of each window."""
        glob = idx if self._ids is None else self._ids[idx]
        if len(self._views) == 1:
            return np.zeros(len(glob), dtype=np.int64), glob
        k = np.searchsorted(self._offsets, glob, side="right") - 1
        return k, glob - self._offsets[k]

    def _gather(self, parts: list[np.ndarray], k: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """``parts[k[j]][rows[j]]`` for every j, in one copy per series present."""
        if len(parts) == 1:
            return parts[0][rows]
        present = np.unique(k)
        if len(present) == 1:
            return parts[int(present[0])][rows]
        first = parts[int(present[0])]
        out = np.empty((len(rows), *first.shape[1:]), dtype=np.result_type(*(p.dtype for p in parts)))
        for s in present:
            here = k == s
            out[here] = parts[int(s)][rows[here]]
        return out

    def __getitem__(self, index: int) -> Any:
        k, local = self._locate(self.window_indices(index))
        xb = self._gather(self._views, k, local)  # one fancy-indexing copy: (batch, length, ...)
        if self._targets is None:
            return xb
        return xb, self._gather(self._targets, k, self._first_target + local * self.stride)

    def on_epoch_end(self) -> None:
        """Draw a new window order for the next epoch when ``shuffle=True``."""
        if self.shuffle:
            self._order = self._rng.permutation(self.n_windows)

    @property
    def origins(self) -> np.ndarray:
        """``(n_windows, 2)`` int64: series index and start step of each window (unshuffled).

        Per window, in unshuffled order: the series index (its position in the list given,
        skipped series counted; 0 for a single array) and the step the window starts at in
        that series. Maps per-window predictions back onto each recording's time axis.
        """
        if self._origins is None:
            k, local = self._locate(np.arange(self.n_windows))
            out = np.stack([self._kept[k], local * self.stride], axis=1).astype(np.int64)
            out.flags.writeable = False
            self._origins = out
        return self._origins

    def as_tf_dataset(self, *, prefetch: int | None = None) -> Any:
        """The same batches as a ``tf.data.Dataset``, gathered inside the TensorFlow graph.

        Batch ``b`` of an epoch equals ``ds[b]`` (``(x_batch, y_batch)``, or ``x_batch``
        without targets) when ``shuffle=False``. With ``shuffle=True`` every epoch (every
        pass over the dataset) serves the windows in a new order drawn from ``seed``, each
        window exactly once, in batches of ``batch_size``. Each batch is gathered with one
        ``tf.gather`` from the series, inside the graph: no Python runs per batch, so
        ``model.fit`` can overlap input and compute as it does for in-memory arrays.

        Parameters
        ----------
        prefetch : int, optional
            Batches prepared ahead of the model. Default None (``tf.data.AUTOTUNE``).

        Returns
        -------
        tf.data.Dataset
            Elements ``(x_batch, y_batch)`` of shapes ``(batch, length, *x.shape[1:])`` and
            ``(batch, *targets.shape[1:])`` (with ``target_length`` after ``batch`` when it is
            above 1), or ``x_batch`` alone; ``ceil(n_windows / batch_size)`` batches, the same
            dtypes as ``ds[b]``.

        Raises
        ------
        ImportError
            If TensorFlow is not installed (it is imported on the first call only).

        Notes
        -----
        Memory: the series are copied into TensorFlow once (the targets too, unless they are
        the inputs themselves), never the windows. A single C-contiguous, writeable array
        whose data starts on a 64-byte boundary is shared with TensorFlow without a copy
        (through DLPack), so changes to it show in later batches, as with ``ds[b]``. The
        default ``tf.data`` graph rewrites are turned off: they would serialize the series
        into the graph, a second, temporary copy. The pipeline runs on the CPU; a model on
        a GPU receives each batch as usual. On Linux, glibc's allocator keeps freed
        batch-sized blocks in per-thread heaps for reuse, which shows as resident memory
        beyond the series and its copy while ``fit`` runs; ``MALLOC_MMAP_THRESHOLD_=1048576``
        in the environment before Python starts returns them instead (the Performance page
        measures both).

        Examples
        --------
        >>> x = np.arange(100, dtype=np.float32).reshape(50, 2)
        >>> ds = WindowDataset(x, x[:, 0], length=10, stride=5, batch_size=4)
        >>> tfds = ds.as_tf_dataset()
        >>> xb, yb = next(iter(tfds))
        >>> tuple(xb.shape), tuple(yb.shape)
        ((4, 10, 2), (4,))
        >>> bool(np.array_equal(xb, ds[0][0])), bool(np.array_equal(yb, ds[0][1]))
        (True, True)
        >>> sum(1 for _ in tfds) == len(ds)
        True
        """
        import tensorflow as tf  # only here: seqshape.windows must import without TensorFlow

        autotune = tf.data.AUTOTUNE
        k, local = self._locate(np.arange(self.n_windows))
        lens = np.array([a.shape[0] for a in self._x_series], dtype=np.int64)
        base = np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(np.int64)
        starts_np = base[k] + local * self.stride  # first step of each window in the buffer
        n, size = self.n_windows, self.batch_size
        with tf.device("/CPU:0"):
            x_tf = _tensor_of(tf, self._x_series, self._dtype)
            starts = tf.constant(starts_np, dtype=tf.int64)
            steps = tf.constant(np.arange(self.length) * self.sampling_rate, dtype=tf.int64)
            y_tf = t_steps = None
            if self._y_series is not None:
                same = all(a is b for a, b in zip(self._x_series, self._y_series, strict=True))
                y_dtype = np.result_type(*(a.dtype for a in self._y_series))
                if same and y_dtype == self._dtype:
                    y_tf = x_tf
                else:
                    y_tf = _tensor_of(tf, self._y_series, y_dtype)
                if self.target_length > 1:
                    t_steps = tf.range(self.target_length, dtype=tf.int64)
        first = self._first_target

        def gather(ids: Any) -> Any:
            s = tf.gather(starts, ids)
            xb = tf.gather(x_tf, s[:, None] + steps)  # (batch, length, ...) in one gather
            if y_tf is None:
                return xb
            t = s + first
            return xb, tf.gather(y_tf, t if t_steps is None else t[:, None] + t_steps)

        if self.shuffle:
            ids = tf.data.Dataset.range(n).shuffle(n, seed=self.seed, reshuffle_each_iteration=True)
            ids = ids.batch(size)
        else:
            ids = tf.data.Dataset.range(0, n, size).map(
                lambda lo: tf.range(lo, tf.minimum(lo + size, n))
            )
        out = ids.map(gather, num_parallel_calls=autotune, deterministic=True)
        out = out.prefetch(autotune if prefetch is None else prefetch)
        options = tf.data.Options()
        # The default rewrites serialize the dataset graph, captured series included: a
        # second, temporary copy of the series. Batching and prefetching need none of them.
        options.experimental_optimization.apply_default_optimizations = False
        return out.with_options(options)

    def shard(self, num_shards: int, index: int) -> WindowDataset:
        """A ``WindowDataset`` over windows ``index, index + num_shards, ...`` of this one.

        The windows are counted in unshuffled order; the shard keeps every setting (batch
        size, shuffling with its own generator from the same seed, PyDataset options). The
        ``num_shards`` shards are disjoint and together hold every window: give worker ``r``
        of ``n`` the shard ``ds.shard(n, r)`` for data-parallel training.

        Parameters
        ----------
        num_shards : int
            Number of shards, ``1 <= num_shards <= n_windows``.
        index : int
            Which shard, ``0 <= index < num_shards``.

        Returns
        -------
        WindowDataset
            ``ceil((n_windows - index) / num_shards)`` windows; its ``origins`` are the rows
            ``index::num_shards`` of this dataset's. No series is copied.

        Raises
        ------
        TypeError
            If ``num_shards`` or ``index`` is not an int.
        ValueError
            If ``num_shards`` < 1 or > ``n_windows`` (a shard would be empty); ``index`` is not
            in ``[0, num_shards)``.

        Examples
        --------
        >>> ds = WindowDataset(np.arange(20.0), length=3, stride=2, batch_size=4)
        >>> ds.n_windows
        9
        >>> part = ds.shard(2, 1)
        >>> part.n_windows, part[0].shape
        (4, (4, 3))
        >>> part.origins[:, 1].tolist()
        [2, 6, 10, 14]
        """
        num_shards = check_int(num_shards, "num_shards")
        if num_shards > self.n_windows:
            raise ValueError(
                f"num_shards={num_shards} is more than the {self.n_windows} windows, so some "
                f"shards would be empty; use num_shards <= {self.n_windows}"
            )
        index = check_int(index, "index", minimum=0, maximum=num_shards - 1,
                          fix=f"shards are numbered 0 to num_shards - 1 = {num_shards - 1}")
        glob = np.arange(self.n_windows) if self._ids is None else self._ids
        new = copy.copy(self)
        new._ids = glob[index::num_shards]
        new.n_windows = len(new._ids)
        new._origins = None
        new._rng = np.random.default_rng(self.seed)
        new._order = new._rng.permutation(new.n_windows) if self.shuffle else None
        return new


def _aligned_empty(shape: tuple[int, ...], dtype: np.dtype, align: int = 64) -> np.ndarray:
    """An empty C-contiguous array whose data starts on an ``align``-byte boundary."""
    dtype = np.dtype(dtype)
    nbytes = math.prod(shape) * dtype.itemsize
    raw = np.empty(nbytes + align, dtype=np.uint8)
    start = (-raw.ctypes.data) % align
    return raw[start : start + nbytes].view(dtype).reshape(shape)


def _dlpack_ready(a: np.ndarray) -> bool:
    # TensorFlow's DLPack import aborts the process on data not aligned to 64 bytes: check.
    return (
        a.dtype.kind in "fiu"
        and a.dtype.isnative
        and a.size > 0
        and a.flags.c_contiguous
        and a.flags.writeable
        and a.ctypes.data % 64 == 0
    )


def _tensor_of(tf: Any, series: list[np.ndarray], dtype: np.dtype) -> Any:
    """The series, concatenated along time, as one CPU tensor: at most one copy."""
    if len(series) == 1 and series[0].dtype == dtype and _dlpack_ready(series[0]):
        return tf.experimental.dlpack.from_dlpack(series[0].__dlpack__())  # shared, no copy
    total = sum(a.shape[0] for a in series)
    buf = _aligned_empty((total, *series[0].shape[1:]), dtype)
    pos = 0
    for a in series:
        buf[pos : pos + a.shape[0]] = a
        pos += a.shape[0]
    if _dlpack_ready(buf):
        return tf.experimental.dlpack.from_dlpack(buf.__dlpack__())
    return tf.constant(buf)  # dtypes DLPack does not take (bool, complex)

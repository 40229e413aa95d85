"""Run data-parallel training in several worker processes on one machine, and check it.

A multi-worker run needs three things the single-process code does not: an address for every
worker, a shard of the windows for every worker, and someone who stops every process when one
of them fails. This module provides the three, for worker processes on the loopback address
``127.0.0.1`` (a real cluster puts host names where this module puts ``127.0.0.1``):

=====================  ======================================================================
name                   what it does
=====================  ======================================================================
launch                 start N worker processes, each with its address book in the
                       environment; bounded in time; stops them all if one fails
free_ports             ports that nothing listens on, on the loopback address
tf_config              the ``TF_CONFIG`` JSON for one worker of ``MultiWorkerMirroredStrategy``
worker_info            this worker's index and the number of workers, read from the environment
shard                  this worker's windows of a ``WindowDataset`` (every n-th window)
batch_window_ids       window numbers (in the unsharded order) of one batch of a shard
check_exactly_once     did the workers of one epoch see every window exactly once?
WorkerFailed           raised by ``launch`` when a worker exits non-zero or time runs out
example_series         the book's example series; ``build_model``: its small LSTM
=====================  ======================================================================

``python -m seqshape.distribute train ...`` is a complete worker: it trains a small LSTM on the
windows of a memory-mapped ``.npy`` file with a custom training step run by
``tf.distribute.MultiWorkerMirroredStrategy`` (TensorFlow backend), or with ``model.fit`` under
``keras.distribution.DataParallel`` (JAX backend), and writes what it saw and its weights.
``python -m seqshape.distribute launch --workers 2 -- COMMAND ...`` runs any command as workers.

Importing this module needs only NumPy: TensorFlow, JAX and Keras are imported inside the
worker functions, after the environment that configures them is set.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from seqshape._validation import check_int, check_real

__all__ = [
    "LOOPBACK",
    "WorkerFailed",
    "WorkerResult",
    "batch_window_ids",
    "build_model",
    "check_exactly_once",
    "example_series",
    "free_ports",
    "launch",
    "load_weights_npz",
    "save_weights_npz",
    "shard",
    "tf_config",
    "worker_info",
]

LOOPBACK = "127.0.0.1"
_INDEX_VAR, _COUNT_VAR, _COORD_VAR = "SEQSHAPE_WORKER_INDEX", "SEQSHAPE_NUM_WORKERS", "SEQSHAPE_COORDINATOR"


# --------------------------------------------------------------------------------------------
# addresses
# --------------------------------------------------------------------------------------------
def free_ports(n: int) -> list[int]:
    """``n`` distinct TCP ports on ``127.0.0.1`` that nothing listens on right now.

    The operating system picks them (bind to port 0); all ``n`` sockets are open at once, so
    the ports differ, and they are closed before returning, for the workers to bind. Another
    program could take one in between; ``launch`` then fails with the worker's bind error.

    >>> ports = free_ports(2)
    >>> len(set(ports)), all(1024 <= p < 65536 for p in ports)
    (2, True)
    """
    n = check_int(n, "n", fix="n is how many ports to reserve; use n=1 or more")
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind((LOOPBACK, 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def tf_config(addresses: Sequence[str], index: int) -> str:
    """The ``TF_CONFIG`` value for worker ``index`` of a ``MultiWorkerMirroredStrategy`` run.

    Every worker gets the same cluster (all addresses, in the same order) and its own index;
    worker 0 is the *chief* by convention (it writes checkpoints and logs).

    >>> tf_config(["127.0.0.1:12345", "127.0.0.1:12346"], 1)
    '{"cluster": {"worker": ["127.0.0.1:12345", "127.0.0.1:12346"]}, "task": {"type": "worker", "index": 1}}'
    """
    addresses = list(addresses)
    if not addresses or not all(isinstance(a, str) and ":" in a for a in addresses):
        raise ValueError(
            f"addresses must be a non-empty list of 'host:port' strings, got {addresses!r}; "
            f"for example [f'127.0.0.1:{{p}}' for p in free_ports(2)]"
        )
    index = check_int(index, "index", minimum=0, maximum=len(addresses) - 1,
                      fix=f"index picks one of the {len(addresses)} addresses, counting from 0")
    return json.dumps({"cluster": {"worker": addresses}, "task": {"type": "worker", "index": index}})


def worker_info() -> tuple[int, int]:
    """``(index, num_workers)`` of this process, from the variables that ``launch`` sets.

    Outside ``launch`` (a plain single-process run) it is ``(0, 1)``.
    """
    index = int(os.environ.get(_INDEX_VAR, "0"))
    count = int(os.environ.get(_COUNT_VAR, "1"))
    if not 0 <= index < count:
        raise ValueError(f"{_INDEX_VAR}={index} must lie in [0, {_COUNT_VAR}={count})")
    return index, count


# --------------------------------------------------------------------------------------------
# the launcher
# --------------------------------------------------------------------------------------------
@dataclass
class WorkerResult:
    """What one worker process did: its address, exit code, wall time, and its output (text)."""

    index: int
    pid: int
    address: str
    returncode: int | None
    seconds: float
    stdout: str = ""
    stderr: str = ""


@dataclass
class _Worker:
    index: int
    proc: subprocess.Popen[bytes]
    out: Any
    err: Any
    started: float
    ended: float | None = None
    result: WorkerResult | None = field(default=None)


class WorkerFailed(RuntimeError):
    """A worker exited non-zero, or the run ran out of time; every worker has been stopped.

    ``results`` holds a ``WorkerResult`` per worker (``returncode`` is negative for a worker
    stopped by a signal, the launcher's own ``SIGTERM``/``SIGKILL`` included).
    """

    def __init__(self, message: str, results: list[WorkerResult]) -> None:
        super().__init__(message)
        self.results = results


def _describe(rc: int) -> str:
    if rc < 0:
        with contextlib.suppress(ValueError):
            return f"was killed by {signal.Signals(-rc).name}"
        return f"was killed by signal {-rc}"
    return f"exited with code {rc}"


def _tail(text: str, lines: int = 8) -> str:
    """The last ``lines`` non-empty lines of ``text``, after the exception's first line if the
    tail does not show it (an error message that prints a whole tensor)."""
    all_lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    kept = all_lines[-lines:]
    errors = [ln for ln in all_lines if re.match(r"^\s*[A-Za-z_.]*(Error|Exception):", ln)]
    if errors and errors[-1] not in kept:
        kept = [errors[-1], "    ...", *kept[-3:]]
    return "\n".join("    " + ln for ln in kept) or "    (nothing)"


def _stop(workers: list[_Worker], grace: float) -> None:
    """SIGTERM every live worker's process group, then SIGKILL what is left after ``grace``."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        live = [w for w in workers if w.proc.poll() is None]
        for w in live:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(w.proc.pid, sig)
        deadline = time.monotonic() + grace
        for w in live:
            with contextlib.suppress(subprocess.TimeoutExpired):
                w.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
    for w in workers:  # the group may hold children of the worker: take the whole group down
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(w.proc.pid, signal.SIGKILL)
        if w.proc.poll() is None:
            w.proc.wait()
    # Killed grandchildren linger as zombies until their new parent reaps them: wait (bounded)
    # until no process of any worker's group is left.
    deadline = time.monotonic() + max(grace, 5.0)
    for w in workers:
        while time.monotonic() < deadline:
            try:
                os.killpg(w.proc.pid, 0)
            except (ProcessLookupError, PermissionError):
                break
            time.sleep(0.02)


class _Signals:
    """SIGTERM and Ctrl-C as exceptions, so that the launcher's clean-up runs.

    While workers are being started the signals are held and raised right after: a signal in
    the middle of ``subprocess.Popen`` would leave a started worker that the launcher does not
    know about. Only the main thread can install handlers, and only default handlers are
    replaced (a program's own handler, or an ignored ``SIGINT``, stays as it is).
    """

    def __init__(self) -> None:
        self.holding = False
        self.pending: int | None = None
        self.previous: dict[int, Any] = {}
        if threading.current_thread() is not threading.main_thread():
            return
        for sig, default in ((signal.SIGTERM, signal.SIG_DFL), (signal.SIGINT, signal.default_int_handler)):
            if signal.getsignal(sig) is default:
                self.previous[sig] = signal.signal(sig, self._handle)

    @staticmethod
    def _raise(signum: int) -> None:
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise SystemExit(128 + signum)

    def _handle(self, signum: int, frame: Any) -> None:
        if self.holding:
            self.pending = signum
        else:
            self._raise(signum)

    def release(self) -> None:
        self.holding = False
        if self.pending is not None:
            self._raise(self.pending)

    def restore(self) -> None:
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)


def launch(
    command: Sequence[str],
    *,
    num_workers: int = 2,
    timeout: float = 300.0,
    env: dict[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    grace: float = 3.0,
) -> list[WorkerResult]:
    """Run ``command`` as ``num_workers`` worker processes on ``127.0.0.1``; wait for all.

    Each worker gets, on top of ``os.environ`` and ``env``: ``TF_CONFIG`` (its index in a
    cluster of ``num_workers`` addresses on fresh ports, for TensorFlow's
    ``MultiWorkerMirroredStrategy``), ``SEQSHAPE_WORKER_INDEX`` and ``SEQSHAPE_NUM_WORKERS``
    (read them with :func:`worker_info`) and ``SEQSHAPE_COORDINATOR`` (``127.0.0.1:PORT``, a
    coordinator address for JAX's ``jax.distributed.initialize``).

    Every worker runs in its own process group (session). When a worker exits non-zero, or
    ``timeout`` seconds pass, the launcher sends ``SIGTERM`` to every remaining group, then
    ``SIGKILL`` after ``grace`` seconds, waits for them, and raises :class:`WorkerFailed`. It
    does the same if it is itself interrupted (``KeyboardInterrupt``, or ``SIGTERM`` when it
    runs in the main thread), so no worker outlives it.

    Parameters
    ----------
    command : sequence of str
        The program and its arguments, for example
        ``[sys.executable, "-m", "seqshape.distribute", "train", ...]``.
    num_workers : int, optional
        Worker processes to start. Default 2.
    timeout : float, optional
        Seconds for the whole run, start-up included. Default 300.
    env : dict, optional
        Extra environment variables for every worker.
    cwd : path, optional
        Working directory of the workers.
    grace : float, optional
        Seconds between ``SIGTERM`` and ``SIGKILL`` when stopping workers. Default 3.

    Returns
    -------
    list of WorkerResult
        One per worker, in index order, all with ``returncode == 0``.

    Raises
    ------
    WorkerFailed
        A worker exited non-zero (the message names it, its exit code or signal, and the
        last lines of its stderr) or the run took longer than ``timeout``.
    ValueError
        ``command`` is empty, ``num_workers < 1`` or ``timeout <= 0``.
    """
    command = [str(c) for c in command]
    if not command:
        raise ValueError("command must name a program to run, got an empty sequence")
    num_workers = check_int(num_workers, "num_workers")
    timeout = check_real(timeout, "timeout", positive=True, allow_inf=True,
                         fix="timeout is in seconds; e.g. timeout=300 (math.inf waits for ever)")
    *ports, coord = free_ports(num_workers + 1)
    addresses = [f"{LOOPBACK}:{p}" for p in ports]
    workers: list[_Worker] = []
    start = time.monotonic()
    # A SIGTERM to the launcher (a scheduler, a CI time limit) must stop the workers too.
    signals = _Signals()
    failure: str | None = None
    culprit_index = 0
    try:
        signals.holding = True
        for i in range(num_workers):
            wenv = {
                **os.environ,
                **(env or {}),
                "TF_CONFIG": tf_config(addresses, i),
                _INDEX_VAR: str(i),
                _COUNT_VAR: str(num_workers),
                _COORD_VAR: f"{LOOPBACK}:{coord}",
            }
            out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
            proc = subprocess.Popen(
                command, stdout=out, stderr=err, env=wenv, cwd=cwd, start_new_session=True
            )
            workers.append(_Worker(i, proc, out, err, time.monotonic()))
        signals.release()
        while failure is None and any(w.ended is None for w in workers):
            for w in workers:
                if w.ended is None and w.proc.poll() is not None:
                    w.ended = time.monotonic()
                    if w.proc.returncode != 0:
                        culprit_index = w.index
                        failure = (
                            f"worker {w.index} of {num_workers} {_describe(w.proc.returncode)} "
                            f"after {w.ended - w.started:.1f} s"
                        )
                        break
            elapsed = time.monotonic() - start
            if failure is None and elapsed > timeout:
                running = [w.index for w in workers if w.ended is None]
                failure = f"worker(s) {running} of {num_workers} still running after timeout={timeout:g} s"
            if failure is None:
                time.sleep(0.05)
    finally:
        signals.holding = True  # a second signal must not cut the clean-up short
        _stop(workers, grace)  # a no-op when every worker has exited
        signals.restore()
    signals.release()  # a signal that came during the clean-up of a finished run
    results = []
    for w in workers:
        ended = w.ended if w.ended is not None else time.monotonic()
        texts = []
        for fh in (w.out, w.err):
            fh.seek(0)
            texts.append(fh.read().decode(errors="replace"))
            fh.close()
        results.append(
            WorkerResult(w.index, w.proc.pid, addresses[w.index], w.proc.returncode, ended - w.started, *texts)
        )
    if failure is not None:
        culprit = results[culprit_index]
        stopped = [r.index for r in results if r.returncode in (-signal.SIGTERM, -signal.SIGKILL)]
        stopped_text = f"the launcher stopped worker(s) {stopped}" if stopped else "no other worker was left running"
        raise WorkerFailed(
            f"{failure}; {stopped_text}, and every worker process has exited. "
            f"Last lines of worker {culprit.index}'s stderr:\n{_tail(culprit.stderr)}\n"
            f"Fix the failing worker and run again; a larger timeout helps only if the run "
            f"was still making progress.",
            results,
        )
    return results


# --------------------------------------------------------------------------------------------
# data: one shard per worker
# --------------------------------------------------------------------------------------------
def shard(dataset: Any, num_shards: int, index: int) -> Any:
    """Worker ``index``'s part of a ``WindowDataset``: windows ``index, index + num_shards, ...``.

    The shards of one dataset are disjoint and together hold every window. With a per-worker
    batch of ``b`` windows, step ``j`` of the shards together covers windows
    ``j * b * num_shards`` to ``(j + 1) * b * num_shards - 1`` of the unsharded order: exactly
    batch ``j`` of the same dataset with the global batch ``b * num_shards``.
    """
    return dataset.shard(num_shards, index)


def batch_window_ids(ds: Any, batch: int) -> np.ndarray:
    """Global window numbers (in the unsharded order) of batch ``batch`` of a (sharded) dataset."""
    starts = np.asarray(ds.origins)[ds.window_indices(batch)][:, 1]
    return starts // ds.stride


def check_exactly_once(seen: Sequence[Sequence[int]], n_windows: int) -> dict[str, Any]:
    """Count how often each of ``n_windows`` windows was seen across the workers' lists.

    Returns a dict: ``per_worker`` (how many each saw), ``total``, ``duplicates`` and
    ``missing`` (window numbers), ``overlap`` (windows seen by more than one worker) and
    ``ok`` (every window exactly once).

    >>> r = check_exactly_once([[0, 2, 4], [1, 3]], 5)
    >>> r["ok"], r["per_worker"], r["missing"], r["duplicates"]
    (True, [3, 2], [], [])
    >>> check_exactly_once([[0, 1], [1]], 3)["ok"]
    False
    """
    counts = np.zeros(n_windows, dtype=np.int64)
    owners: list[set[int]] = [set() for _ in range(n_windows)]
    outside = []
    for w, ids in enumerate(seen):
        for i in ids:
            i = int(i)
            if 0 <= i < n_windows:
                counts[i] += 1
                owners[i].add(w)
            else:
                outside.append(i)
    return {
        "per_worker": [len(ids) for ids in seen],
        "total": int(sum(len(ids) for ids in seen)),
        "n_windows": int(n_windows),
        "duplicates": [int(i) for i in np.flatnonzero(counts > 1)],
        "missing": [int(i) for i in np.flatnonzero(counts == 0)],
        "overlap": [i for i, o in enumerate(owners) if len(o) > 1],
        "outside": outside,
        "ok": bool((counts == 1).all() and not outside),
    }


# --------------------------------------------------------------------------------------------
# the demo worker: a small LSTM on windows of a memory-mapped .npy file
# --------------------------------------------------------------------------------------------
def example_series(n_steps: int, *, seed: int = 0) -> np.ndarray:
    """The book's scaling-out series: ``(n_steps, 2)`` float32, a noisy sine and a slow cosine.

    >>> example_series(100).shape
    (100, 2)
    """
    rng = np.random.default_rng(seed)
    t = np.arange(n_steps)
    x = np.stack([np.sin(t / 20) + 0.1 * rng.standard_normal(n_steps), np.cos(t / 50)], axis=1)
    return x.astype(np.float32)


def build_model(length: int, features: int, *, units: int = 8) -> Any:
    """The small model of the book's scaling-out page: ``LSTM(units)`` then ``Dense(1)``."""
    import keras

    return keras.Sequential(
        [keras.Input(shape=(length, features)), keras.layers.LSTM(units), keras.layers.Dense(1)]
    )


def _datasets(path: str, length: int, batch_size: int) -> Any:
    from seqshape.windows import WindowDataset

    x = np.load(path, mmap_mode="r")  # every worker maps the same file, read-only
    return WindowDataset(x, x[:, 0], length=length, batch_size=batch_size)


def load_weights_npz(path: str | os.PathLike[str]) -> list[np.ndarray]:
    """The weight arrays saved by :func:`save_weights_npz`, in ``model.get_weights()`` order."""
    with np.load(path) as z:
        return [z[f"w{i}"] for i in range(len(z.files))]


def save_weights_npz(model: Any, path: str | os.PathLike[str]) -> None:
    """Save ``model.get_weights()`` as ``w0, w1, ...`` in one ``.npz``: the same on every backend."""
    np.savez(path, **{f"w{i}": w for i, w in enumerate(model.get_weights())})


def _load_init(model: Any, init: str | None) -> None:
    if init:
        model.set_weights(load_weights_npz(init))


def _step_timer(times: list[float]) -> Any:
    """A Keras callback that appends the wall time of every training step to ``times``."""
    import keras

    class _Timer(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch: int, logs: Any = None) -> None:
            self._t = time.perf_counter()

        def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
            times.append(time.perf_counter() - self._t)

    return _Timer()


def _train_tf_fit(args: argparse.Namespace) -> dict[str, Any]:
    """Plain ``model.fit``; with several workers, under ``MultiWorkerMirroredStrategy``.

    With two or more workers this fails in Keras 3.15 / TensorFlow 2.21 (keras-team/keras#20585):
    ``fit`` reduces its first (x, y) batch with ``strategy.reduce``, which accepts one tensor or
    distributed value but not a tuple of them, and converting the tuple fails.
    """
    import keras
    import tensorflow as tf

    index, count = worker_info()
    strategy = tf.distribute.MultiWorkerMirroredStrategy() if count > 1 else tf.distribute.get_strategy()
    replicas = strategy.num_replicas_in_sync
    full = _datasets(args.data, args.length, args.batch_size * replicas)
    mine = shard(_datasets(args.data, args.length, args.batch_size), count, index) if count > 1 else full
    features = full[0][0].shape[-1]
    keras.utils.set_random_seed(args.seed)
    with strategy.scope():
        model = build_model(args.length, features)
        _load_init(model, args.init)
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=args.lr, momentum=0.9), loss="mse")
    times: list[float] = []
    history = model.fit(mine, epochs=args.epochs, verbose=0, shuffle=False, callbacks=[_step_timer(times)])
    if index == 0:
        save_weights_npz(model, Path(args.out) / "weights.npz")
    return {
        "backend": "tensorflow",
        "route": "model.fit",
        "worker": index,
        "num_workers": count,
        "replicas": replicas,
        "batch_size": args.batch_size,
        "global_batch": args.batch_size * replicas,
        "steps_per_epoch": len(full),
        "n_windows": full.n_windows,
        "seen": None,  # fit consumes the batches itself; nothing is recorded per window
        "losses": [float(v) for v in history.history["loss"]],
        "step_seconds": times,
    }


def _time_allreduce(strategy: Any, variables: Any, repeats: int) -> list[float]:
    """Seconds per all-reduce (sum over replicas) of tensors shaped like ``variables``."""
    import tensorflow as tf

    @tf.function
    def allreduce() -> Any:
        def replica_fn() -> Any:
            ctx = tf.distribute.get_replica_context()
            return ctx.all_reduce("SUM", [tf.ones(v.shape) for v in variables])

        return strategy.run(replica_fn)

    allreduce()  # trace and warm up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = allreduce()
        float(tf.reduce_sum(out[0]))  # wait for the result
        times.append(time.perf_counter() - t0)
    return times


def _train_tf(args: argparse.Namespace) -> dict[str, Any]:
    """Custom training step under ``MultiWorkerMirroredStrategy`` (or the default strategy)."""
    import keras
    import tensorflow as tf

    index, count = worker_info()
    if count > 1:
        strategy = tf.distribute.MultiWorkerMirroredStrategy()
    else:
        strategy = tf.distribute.get_strategy()
    replicas = strategy.num_replicas_in_sync
    full = _datasets(args.data, args.length, args.batch_size)
    mine = shard(full, count, index)
    global_batch = args.batch_size * replicas
    steps = math.ceil(full.n_windows / global_batch)  # the same on every worker
    features = full[0][0].shape[-1]

    keras.utils.set_random_seed(args.seed)
    with strategy.scope():
        model = build_model(args.length, features)
        _load_init(model, args.init)
        optimizer = keras.optimizers.SGD(learning_rate=args.lr, momentum=0.9)
        optimizer.build(model.trainable_variables)

    spec = (
        tf.TensorSpec((args.batch_size, args.length, features), tf.float32),
        tf.TensorSpec((args.batch_size,), tf.float32),
        tf.TensorSpec((args.batch_size,), tf.float32),
        tf.TensorSpec((), tf.float32),
    )

    @tf.function(input_signature=spec)
    def train_step(xb: Any, yb: Any, wb: Any, n_global: Any) -> Any:
        def replica_step(xb: Any, yb: Any, wb: Any) -> Any:
            with tf.GradientTape() as tape:
                pred = model(xb, training=True)[:, 0]
                # Sum over this worker's windows, divided by the windows of the whole global
                # batch: the optimizer sums the gradients of all replicas, so the update is the
                # gradient of the mean loss over the global batch, as in a one-process run.
                loss = tf.reduce_sum(wb * tf.square(pred - yb)) / n_global
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
            return loss

        per_replica = strategy.run(replica_step, args=(xb, yb, wb))
        return strategy.reduce("SUM", per_replica, axis=None)

    seen: list[int] = []
    step_seconds: list[float] = []
    losses: list[float] = []  # per epoch: the mean loss per window, as fit's history reports it
    b = args.batch_size
    for epoch in range(args.epochs):
        loss_sum = 0.0
        for j in range(steps):
            if args.crash_at_step is not None and index == count - 1 and j == args.crash_at_step:
                print(f"worker {index}: stopping at step {j} on purpose (--crash-at-step)",
                      file=sys.stderr, flush=True)
                os._exit(3)
            xb = np.zeros((b, args.length, features), np.float32)
            yb = np.zeros(b, np.float32)
            wb = np.zeros(b, np.float32)
            if j < len(mine):  # the last steps of a short shard are all padding, weight 0
                bx, by = mine[j]
                k = len(by)
                xb[:k], yb[:k], wb[:k] = bx, by, 1.0
                if epoch == 0:
                    seen += batch_window_ids(mine, j).tolist()
            n_global = min(global_batch, full.n_windows - j * global_batch)
            t0 = time.perf_counter()
            loss = float(train_step(xb, yb, wb, np.float32(n_global)))
            step_seconds.append(time.perf_counter() - t0)
            loss_sum += loss * n_global
        losses.append(loss_sum / full.n_windows)
    allreduce_seconds = (
        _time_allreduce(strategy, model.trainable_variables, args.time_allreduce)
        if args.time_allreduce else []
    )
    out = Path(args.out)
    if index == 0:  # the chief writes the checkpoint; the other replicas hold the same weights
        save_weights_npz(model, out / "weights.npz")
    save_weights_npz(model, out / f"weights_worker{index}.npz")
    return {
        "backend": "tensorflow",
        "route": "MultiWorkerMirroredStrategy + strategy.run" if count > 1 else "one process, custom step",
        "worker": index,
        "num_workers": count,
        "replicas": replicas,
        "batch_size": b,
        "global_batch": global_batch,
        "steps_per_epoch": steps,
        "n_windows": full.n_windows,
        "seen": seen,
        "losses": losses,
        "step_seconds": step_seconds,
        "allreduce_seconds": allreduce_seconds,
        "n_parameters": int(sum(np.prod(v.shape) for v in model.trainable_variables)),
    }


def _train_jax(args: argparse.Namespace) -> dict[str, Any]:
    """``model.fit`` under ``keras.distribution.DataParallel`` on the JAX backend."""
    import keras

    if keras.backend.backend() != "jax":
        raise RuntimeError(
            f"--route jax-dataparallel needs KERAS_BACKEND=jax before Keras is imported, got "
            f"the {keras.backend.backend()!r} backend"
        )
    import jax

    index, count = worker_info()
    if count > 1:
        keras.distribution.initialize(
            job_addresses=os.environ[_COORD_VAR], num_processes=count, process_id=index
        )
    devices = keras.distribution.list_devices("cpu")
    distribution = keras.distribution.DataParallel(devices=devices)
    keras.distribution.set_distribution(distribution)
    if count > 1:
        # Each process feeds its own shard; Keras assembles the global batch from the parts.
        distribution.auto_shard_dataset = False
    replicas = len(devices)
    global_batch = args.batch_size * replicas
    full = _datasets(args.data, args.length, global_batch)
    local_batch = global_batch // count
    mine = shard(_datasets(args.data, args.length, local_batch), count, index)
    features = full[0][0].shape[-1]
    keras.utils.set_random_seed(args.seed)
    model = build_model(args.length, features)
    _load_init(model, args.init)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=args.lr, momentum=0.9), loss="mse")
    times: list[float] = []
    history = model.fit(mine if count > 1 else full, epochs=args.epochs, verbose=0, shuffle=False,
                        callbacks=[_step_timer(times)])
    out = Path(args.out)
    if index == 0:
        save_weights_npz(model, out / "weights.npz")
    return {
        "backend": "jax",
        "route": "keras.distribution.DataParallel",
        "worker": index,
        "num_workers": count,
        "devices": [str(d) for d in devices],
        "jax_devices": [str(d) for d in jax.devices()],
        "replicas": replicas,
        "batch_size": args.batch_size,
        "global_batch": global_batch,
        "steps_per_epoch": len(full),
        "n_windows": full.n_windows,
        # The windows of the shard handed to fit (several processes); None in one process,
        # where DataParallel splits each global batch between the devices itself.
        "seen": [int(i) for b in range(len(mine)) for i in batch_window_ids(mine, b)] if count > 1 else None,
        "losses": [float(v) for v in history.history["loss"]],
        "step_seconds": times,
    }


def _train_main(argv: Sequence[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m seqshape.distribute train")
    p.add_argument("--data", required=True, help=".npy file of shape (steps, features)")
    p.add_argument("--out", required=True, help="folder for worker<i>.json and the weights")
    p.add_argument("--route", choices=list(_ROUTES), default="tf-custom-step")
    p.add_argument("--length", type=int, default=24)
    p.add_argument("--batch-size", type=int, default=32, help="windows per replica and step")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--init", default=None, help=".npz of initial weights (w0, w1, ...)")
    p.add_argument("--time-allreduce", type=int, default=0,
                   help="tf-custom-step: after training, time this many gradient-sized all-reduces")
    p.add_argument("--crash-at-step", type=int, default=None,
                   help="fault injection: the last worker exits with code 3 at this step")
    args = p.parse_args(argv)
    report = _ROUTES[args.route](args)
    index = report["worker"]
    (Path(args.out) / f"worker{index}.json").write_text(json.dumps(report))
    print(json.dumps({k: report[k] for k in ("worker", "num_workers", "replicas", "global_batch")}))
    return 0


_ROUTES = {"tf-custom-step": _train_tf, "tf-fit": _train_tf_fit, "jax-dataparallel": _train_jax}


def _launch_main(argv: Sequence[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m seqshape.distribute launch")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--timeout", type=float, default=300.0)
    p.add_argument("command", nargs=argparse.REMAINDER, help="-- then the worker command")
    args = p.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    try:
        results = launch(command, num_workers=args.workers, timeout=args.timeout)
    except WorkerFailed as exc:
        print(f"launch failed: {exc}", file=sys.stderr)
        return 1
    for r in results:
        print(f"worker {r.index}: exit {r.returncode} after {r.seconds:.1f} s")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m seqshape.distribute {launch,train} ...``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["train"]:
        return _train_main(argv[1:])
    if argv[:1] == ["launch"]:
        return _launch_main(argv[1:])
    print("usage: python -m seqshape.distribute {launch,train} ...  (--help after either)",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

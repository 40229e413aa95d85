"""Feeding model.fit: as_tf_dataset, WindowDataset, timeseries_dataset_from_array, materialized.

A small LSTM (``LSTM(16) -> Dense(1)``) trains on windows cut from one long multichannel series
``x`` of shape ``(T, F)`` float32, with the target ``HORIZON`` steps after each window's last
step, in order (no shuffling, for every method). Cases, each in its own fresh Python process:

``as_tf_dataset``
    ``WindowDataset(x, y, ...).as_tf_dataset()``: a ``tf.data`` pipeline that gathers each
    batch inside the graph, with one ``tf.gather`` from window starts;
``WindowDataset``
    ``seqshape.windows.WindowDataset(x, y, ...)``, a ``keras.utils.PyDataset`` whose batches are
    gathered in Python, with several PyDataset options (``workers``, ``use_multiprocessing``,
    ``max_queue_size``); the fastest at stride 16 on each backend is also run at stride 1;
``timeseries_dataset_from_array``
    ``keras.utils.timeseries_dataset_from_array`` with the targets shifted by hand, as its
    documentation shows (TensorFlow backend only);
``materialized``
    every window copied into one array first (``np.ascontiguousarray(make_supervised(...))``),
    then ``model.fit(X, Y)``: the fastest feed when it fits in memory, and the ceiling for the
    others (the model's own compute).

Two settings: stride 16 on ``(400000, 256)`` (24,999 windows, 391 MiB), and stride 1 on
``(25000, 256)`` (24,984 windows, 24 MiB, so that materializing, 16 times the series, stays
small), each on the TensorFlow backend and on JAX (``KERAS_BACKEND=jax``).

After ``fit``, each process also makes one pass over its input alone, without the model
(``feed_only_windows_per_s``), producing the same kind of batch for every method: a NumPy
``(x, y)`` pair per batch (``np.asarray`` of each tensor for the ``tf.data`` methods, a
contiguous copy of each slice for ``materialized``).

Each process fits ``EPOCHS`` epochs; the first one also traces the model and is not counted:
the figures are the median (with n and min-max) of the per-epoch times of the others. Memory:
the process's peak resident set (as the OS counts it) minus its memory after the imports and a
warm-up fit of the same model on a few random windows (``warm_mib``, so that TensorFlow's own
runtime is not charged to the data pipeline), divided by the size of ``x``: 1.0 means nothing
but the data. Worker processes (``use_multiprocessing=True``) are not counted. The load average
is recorded before and after each case; a loaded case is re-run once and the less loaded run
kept (``benchmarks/_common.py``).

Allocator: every case runs with the C allocator's defaults (``allocator="default"``), and the
TensorFlow cases at stride 16 once more with at most two glibc arenas (``MALLOC_ARENA_MAX=2``,
``"arena_max_2"``) and once with glibc's mmap threshold fixed at 1 MiB
(``MALLOC_MMAP_THRESHOLD_=1048576``, ``"mmap_threshold_1MiB"``): by default glibc keeps freed
batch-sized blocks in per-thread heaps, and that retained memory is part of the default peak;
the variants show how much of a method's peak is its data and how much the allocator's, and
what each remedy costs in speed. ``--allocators NAME ...`` runs only those settings and keeps
the rows of the others from the existing results file (the metadata says which run made which).

Usage: ``nice -n 5 python benchmarks/bench_feeding.py`` (about 10 minutes on 2 loaded cores);
``--quick`` for a smoke run. Results: ``benchmarks/results/feeding.csv``/``.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import _common as C

METHODS = ["as_tf_dataset", "WindowDataset", "timeseries_dataset_from_array", "materialized"]
FEATURES = 256
LENGTH = 16
HORIZON = 1
BATCH = 256
UNITS = 16
EPOCHS = 4
SETTINGS = {16: 400_000, 1: 25_000}  # stride -> steps
BACKENDS = ["tensorflow", "jax"]
# PyDataset options tried for WindowDataset at stride 16: (workers, use_multiprocessing, max_queue_size)
PYDATASET_OPTIONS = [(1, False, 10), (2, False, 10), (2, True, 10)]
# The C allocator's settings, as environment variables of the case's process. glibc raises its
# mmap threshold after the first large block is freed, so later batch-sized blocks come from
# per-thread heaps (arenas), which keep freed memory for reuse: resident memory that is no
# longer data. Two remedies: at most 2 arenas, or a fixed threshold (1 MiB), which returns each
# freed block to the OS at once (and maps every new one afresh). The variants run every method
# at stride 16 on TensorFlow, so that each is compared like with like.
ALLOCATORS = {
    "default": {},
    "arena_max_2": {"MALLOC_ARENA_MAX": "2"},
    "mmap_threshold_1MiB": {"MALLOC_MMAP_THRESHOLD_": str(1 << 20)},
}
QUICK = {"scale": 20, "epochs": 2}


def child(
    method: str, stride: int, steps: int, epochs: int, options: tuple[int, bool, int]
) -> dict[str, Any]:
    """One case in this (fresh) process."""
    C.quiet_tensorflow()
    import keras
    import numpy as np

    from seqshape.windows import WindowDataset, make_supervised

    workers, multiprocessing, queue = options

    def make_data(x: np.ndarray, y: np.ndarray) -> tuple[Any, dict[str, Any]]:
        """The input pipeline of this case over (x, y), and the extra arguments of fit."""
        if method in ("WindowDataset", "as_tf_dataset"):
            kw: dict[str, Any] = {}
            if method == "WindowDataset":
                kw = {"workers": workers, "use_multiprocessing": multiprocessing,
                      "max_queue_size": queue}  # fmt: skip
            ds = WindowDataset(
                x, y, length=LENGTH, stride=stride, horizon=HORIZON, batch_size=BATCH, **kw
            )
            return (ds.as_tf_dataset() if method == "as_tf_dataset" else ds), {}
        if method == "timeseries_dataset_from_array":
            # targets[i] belongs to the window starting at i: shift by length - 1 + horizon.
            ds = keras.utils.timeseries_dataset_from_array(
                x[: len(x) - HORIZON],
                y[LENGTH - 1 + HORIZON :],
                sequence_length=LENGTH,
                sequence_stride=stride,
                batch_size=BATCH,
            )
            return ds, {}
        xw, yw = make_supervised(x, y, length=LENGTH, horizon=HORIZON, stride=stride)
        return np.ascontiguousarray(xw), {"y": np.ascontiguousarray(yw), "batch_size": BATCH}

    baseline = C.rss_mib()
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input(shape=(LENGTH, FEATURES)), keras.layers.LSTM(UNITS), keras.layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(0)
    # Warm-up: the same pipeline on a few batches' worth of steps, so that tracing the model
    # and the backend's runtime are in the reference memory, not charged to the data.
    warm_x = rng.standard_normal((2 * BATCH * stride + LENGTH, FEATURES), dtype=np.float32)
    warm_data, warm_kwargs = make_data(warm_x, warm_x[:, 0])
    model.fit(warm_data, epochs=1, verbose=0, shuffle=False, **warm_kwargs)
    del warm_x, warm_data, warm_kwargs
    warm = C.rss_mib()

    # The series: smooth random walks, and a target that depends on the window's last steps.
    # Filled in chunks and accumulated in place: no temporary copy of the whole series.
    x = np.empty((steps, FEATURES), dtype=np.float32)
    for lo in range(0, steps, 10_000):
        x[lo : lo + 10_000] = rng.standard_normal(
            (min(10_000, steps - lo), FEATURES), dtype=np.float32
        )
    np.cumsum(x, axis=0, out=x)
    x *= np.float32(0.01)
    y = x[:, :4].mean(axis=1)
    data_mib = x.nbytes / C.MIB
    n_windows = (steps - LENGTH - HORIZON) // stride + 1
    data, fit_kwargs = make_data(x, y)

    epoch_times: list[float] = []

    class Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
            self.t0 = time.perf_counter()

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            epoch_times.append(time.perf_counter() - self.t0)

    history = model.fit(
        data, epochs=epochs, verbose=0, shuffle=False, callbacks=[Timer()], **fit_kwargs
    )
    # Profile: one more pass over the input alone (warm, after fit), no model, producing a
    # NumPy (x, y) pair per batch for every method.
    def paired(xb: np.ndarray, yb: np.ndarray) -> int:
        if len(xb) != len(yb):
            raise RuntimeError(f"{method}: a batch of {len(xb)} windows came with {len(yb)} targets")
        return len(xb)

    t0 = time.perf_counter()
    seen = 0
    if method == "WindowDataset":
        for b in range(len(data)):
            xb, yb = data[b]
            seen += paired(xb, yb)
    elif method == "materialized":
        for lo in range(0, len(data), BATCH):
            xb = np.ascontiguousarray(data[lo : lo + BATCH])
            yb = np.ascontiguousarray(fit_kwargs["y"][lo : lo + BATCH])
            seen += paired(xb, yb)
    else:
        for xt, yt in data:
            xb, yb = np.asarray(xt), np.asarray(yt)
            seen += paired(xb, yb)
    feed_seconds = time.perf_counter() - t0
    if seen != n_windows:
        raise RuntimeError(f"{method}: the feed-only pass gave {seen} windows, not {n_windows}")

    peak = C.peak_rss_mib()
    stats = C.summarize(epoch_times[1:])  # the first epoch traces the model: not counted
    return {
        "method": method,
        "backend": keras.backend.backend(),
        "stride": stride,
        "workers": workers if method == "WindowDataset" else None,
        "use_multiprocessing": multiprocessing if method == "WindowDataset" else None,
        "max_queue_size": queue if method == "WindowDataset" else None,
        "steps": steps,
        "features": FEATURES,
        "n_windows": n_windows,
        "data_mib": data_mib,
        **stats,
        "first_epoch_seconds": epoch_times[0],
        "feed_only_seconds": feed_seconds,
        "feed_only_windows_per_s": n_windows / feed_seconds,
        "windows_per_s": n_windows / stats["seconds_median"],
        "windows_per_s_min": n_windows / stats["seconds_max"],
        "windows_per_s_max": n_windows / stats["seconds_min"],
        "baseline_mib": baseline,
        "warm_mib": warm,
        "peak_over_warm_mib": peak - warm,
        "peak_over_data": (peak - warm) / data_mib,
        "final_loss_finite": bool(np.isfinite(history.history["loss"][-1])),
    }


def run_case(
    method: str, backend: str, stride: int, steps: int, epochs: int, options: tuple[int, bool, int],
    retries: int, allocator: str = "default",
) -> dict[str, Any]:  # fmt: skip
    args = ["--method", method, "--stride", str(stride), "--steps", str(steps),
            "--epochs", str(epochs), "--workers", str(options[0]),
            "--multiprocessing", str(int(options[1])), "--queue", str(options[2])]  # fmt: skip
    label = f"{method} {options if method == 'WindowDataset' else ''} {backend} stride {stride} {allocator}"

    def once() -> dict[str, Any]:
        try:
            row = C.run_child(__file__, args, env={"KERAS_BACKEND": backend, **ALLOCATORS[allocator]})
        except (RuntimeError, TimeoutError) as exc:  # record it and go on with the others
            row = {"method": method, "backend": backend, "stride": stride, "error": str(exc)[-500:]}
        return {**row, "allocator": allocator}

    row = C.measure_under_load(once, retries=retries, label=label)
    print(f"  done: {label}", file=sys.stderr, flush=True)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: 1/20 of the steps, 2 epochs")
    parser.add_argument("--backends", nargs="+", default=BACKENDS, choices=BACKENDS)
    parser.add_argument("--retries", type=int, default=1, help="re-runs of a case measured under load")
    parser.add_argument("--allocators", nargs="+", default=list(ALLOCATORS), choices=list(ALLOCATORS),
                        help="allocator settings to run (the others' rows are kept from the last results)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--method", choices=METHODS, help=argparse.SUPPRESS)
    parser.add_argument("--stride", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--steps", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--epochs", type=int, default=EPOCHS, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--multiprocessing", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--queue", type=int, default=10, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        options = (args.workers, bool(args.multiprocessing), args.queue)
        row = child(args.method, args.stride, args.steps, args.epochs, options)
        print(C.child_output(row))
        return 0

    start = time.perf_counter()
    scale, epochs = (QUICK["scale"], QUICK["epochs"]) if args.quick else (1, args.epochs)
    rows: list[dict[str, Any]] = []
    kept_from = None
    if set(args.allocators) != set(ALLOCATORS):  # keep the other settings' rows from the last run
        previous = C.RESULTS / ("feeding_quick.json" if args.quick else "feeding.json")
        if previous.is_file():
            old = json.loads(previous.read_text())
            rows = [r for r in old["rows"] if r.get("allocator", "default") not in args.allocators]
            kept_from = {"date": old["meta"].get("date"), "allocators": sorted(
                {r.get("allocator", "default") for r in rows})}  # fmt: skip
    for backend in args.backends:
        best_options = PYDATASET_OPTIONS[0]
        done = [r for r in rows if r["backend"] == backend and r["method"] == "WindowDataset"
                and r["stride"] == 16 and r.get("allocator") == "default" and "error" not in r]  # fmt: skip
        if done:
            best = max(done, key=lambda r: r["windows_per_s"])
            best_options = (best["workers"], best["use_multiprocessing"], best["max_queue_size"])
        for stride, steps in SETTINGS.items():
            if "default" not in args.allocators:
                break
            steps //= scale
            for method in METHODS:
                if method == "timeseries_dataset_from_array" and backend != "tensorflow":
                    continue
                tried = PYDATASET_OPTIONS if (method == "WindowDataset" and stride == 16) else [
                    best_options if method == "WindowDataset" else PYDATASET_OPTIONS[0]
                ]  # fmt: skip
                here = [run_case(method, backend, stride, steps, epochs, o, args.retries) for o in tried]
                rows += here
                if method == "WindowDataset" and stride == 16:
                    ok = [r for r in here if "error" not in r]
                    if ok:
                        best = max(ok, key=lambda r: r["windows_per_s"])
                        best_options = (best["workers"], best["use_multiprocessing"], best["max_queue_size"])
        if backend == "tensorflow":  # the allocator variants, like with like: every method, stride 16
            steps = SETTINGS[16] // scale
            for allocator in [a for a in ALLOCATORS if a != "default" and a in args.allocators]:
                for method in METHODS:
                    o = best_options if method == "WindowDataset" else PYDATASET_OPTIONS[0]
                    rows.append(run_case(method, backend, 16, steps, epochs, o, args.retries,
                                         allocator=allocator))  # fmt: skip
    for r in rows:
        ref = next((m for m in rows if m["method"] == "materialized" and m["backend"] == r["backend"]
                    and m["stride"] == r["stride"] and m["allocator"] == r["allocator"]
                    and "error" not in m), None)  # fmt: skip
        if ref is not None and "error" not in r:
            r["fit_vs_materialized"] = r["windows_per_s"] / ref["windows_per_s"]

    print(
        f"\nmodel.fit of LSTM({UNITS}) on (T, {FEATURES}) float32: window {LENGTH}, batch {BATCH}, "
        f"in order; median of epochs 2..{epochs} (n, min-max); each case in its own process\n"
    )
    C.print_table(
        rows,
        [
            ("method", "method", ""),
            ("backend", "backend", ""),
            ("stride", "stride", "d"),
            ("allocator", "allocator", ""),
            ("workers", "workers", ""),
            ("use_multiprocessing", "mp", ""),
            ("n_windows", "windows", "d"),
            ("windows_per_s", "windows/s", ".0f"),
            ("windows_per_s_min", "min", ".0f"),
            ("windows_per_s_max", "max", ".0f"),
            ("runs", "n", "d"),
            ("fit_vs_materialized", "vs mat.", ".2f"),
            ("feed_only_windows_per_s", "feed only/s", ".0f"),
            ("data_mib", "data MiB", ".0f"),
            ("peak_over_data", "peak/data", ".2f"),
            ("load_before", "load<", ".1f"),
            ("load_after", "load>", ".1f"),
        ],
    )
    errors = [r for r in rows if "error" in r]
    for r in errors:
        print(f"FAILED: {r['method']} {r['backend']} stride {r['stride']}: {r['error']}")
    print(
        "\npeak/data: peak resident memory minus the process's memory after imports and a warm-up "
        "fit, over the series' size; load: 1-minute load average before and after the case."
    )
    settings = {"steps_by_stride": SETTINGS, "features": FEATURES, "length": LENGTH,
                "horizon": HORIZON, "batch_size": BATCH, "units": UNITS, "epochs": epochs,
                "scale": scale, "pydataset_options": PYDATASET_OPTIONS, "shuffle": False,
                "allocators": ALLOCATORS,
                "retries": args.retries}  # fmt: skip
    meta = C.meta(settings, seconds=time.perf_counter() - start)
    if kept_from is not None:
        meta["kept_rows_from"] = kept_from  # rows of these allocator settings come from that run
    C.write_results("feeding", rows, meta, quick=args.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Feeding model.fit: WindowDataset vs timeseries_dataset_from_array vs materialized windows.

A small LSTM (``LSTM(16) -> Dense(1)``) trains on windows cut from one long multichannel series
``x`` of shape ``(T, F)`` float32, with the target ``HORIZON`` steps after each window's last
step. Cases, each in its own fresh Python process:

``WindowDataset``
    ``seqshape.windows.WindowDataset(x, y, ...)``: batches gathered lazily from a view, with
    the default ``workers=1`` (gathering a batch takes about 1 ms, a training step tens of ms:
    background workers would have little to hide, and compete for the 2 cores);
``timeseries_dataset_from_array``
    ``keras.utils.timeseries_dataset_from_array`` with the targets shifted by hand, as its
    documentation shows: a ``tf.data`` pipeline;
``materialized``
    every window copied into one array first (``np.ascontiguousarray(make_supervised(...))``),
    then ``model.fit(X, Y)``: the fastest feed when it fits in memory, and the ceiling for the
    other two (the model's own compute).

After ``fit``, each process also times one pass over its input alone, without the model
(``feed_only_windows_per_s``): the profile that tells a slow feed from a slow model.

Each process fits ``EPOCHS`` epochs; the first one also traces the model and is not counted:
the figures are the median and spread of the per-epoch times of the others. Memory: the
process's peak resident set (as the OS counts it) minus its memory after the imports and a
warm-up fit of the same model on a few random windows (``warm_mib``, so that TensorFlow's own
runtime is not charged to the data pipeline), divided by the size of ``x``: 1.0 means nothing
but the data.

Usage: ``python benchmarks/bench_feeding.py`` (about 1 minute on 2 cores); ``--quick`` for a
smoke run. Results: ``benchmarks/results/feeding.csv``/``.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import _common as C

CASES = ["WindowDataset", "timeseries_dataset_from_array", "materialized"]
STEPS = 400_000
FEATURES = 256
LENGTH = 16
STRIDE = 16
HORIZON = 1
BATCH = 256
UNITS = 16
EPOCHS = 4
QUICK = {"steps": 40_000, "epochs": 2}


def child(case: str, steps: int, epochs: int) -> dict[str, Any]:
    """One case in this (fresh) process."""
    C.quiet_tensorflow()
    import keras
    import numpy as np

    from seqshape.windows import WindowDataset, make_supervised

    def make_data(x: np.ndarray, y: np.ndarray) -> tuple[Any, dict[str, Any]]:
        """The input pipeline of this case over (x, y), and the extra arguments of fit."""
        if case == "WindowDataset":
            ds = WindowDataset(
                x, y, length=LENGTH, stride=STRIDE, horizon=HORIZON, batch_size=BATCH
            )
            return ds, {}
        if case == "timeseries_dataset_from_array":
            # targets[i] belongs to the window starting at i: shift by length - 1 + horizon.
            ds = keras.utils.timeseries_dataset_from_array(
                x[: len(x) - HORIZON],
                y[LENGTH - 1 + HORIZON :],
                sequence_length=LENGTH,
                sequence_stride=STRIDE,
                batch_size=BATCH,
            )
            return ds, {}
        xw, yw = make_supervised(x, y, length=LENGTH, horizon=HORIZON, stride=STRIDE)
        return np.ascontiguousarray(xw), {
            "y": np.ascontiguousarray(yw),
            "batch_size": BATCH,
            "shuffle": False,
        }

    baseline = C.rss_mib()
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input(shape=(LENGTH, FEATURES)), keras.layers.LSTM(UNITS), keras.layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(0)
    # Warm-up: the same pipeline on a few batches' worth of steps, so that tracing the model
    # and TensorFlow's runtime are in the reference memory, not charged to the data.
    warm_x = rng.standard_normal((2 * BATCH * STRIDE + LENGTH, FEATURES), dtype=np.float32)
    warm_data, warm_kwargs = make_data(warm_x, warm_x[:, 0])
    model.fit(warm_data, epochs=1, verbose=0, **warm_kwargs)
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
    n_windows = (steps - LENGTH - HORIZON) // STRIDE + 1
    data, fit_kwargs = make_data(x, y)

    epoch_times: list[float] = []

    class Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
            self.t0 = time.perf_counter()

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            epoch_times.append(time.perf_counter() - self.t0)

    history = model.fit(data, epochs=epochs, verbose=0, callbacks=[Timer()], **fit_kwargs)
    # Profile: one more pass over the input alone (warm, after fit), no model, to tell a slow
    # feed from a slow model.
    t0 = time.perf_counter()
    if case == "WindowDataset":
        for b in range(len(data)):
            data[b]
    elif case == "timeseries_dataset_from_array":
        for _ in data:
            pass
    else:
        for lo in range(0, len(data), BATCH):
            data[lo : lo + BATCH], fit_kwargs["y"][lo : lo + BATCH]
    feed_seconds = time.perf_counter() - t0

    peak = C.peak_rss_mib()
    timed = epoch_times[1:] or epoch_times
    stats = C.summarize(timed)
    return {
        "case": case,
        "steps": steps,
        "features": FEATURES,
        "n_windows": n_windows,
        "data_mib": data_mib,
        **stats,
        "first_epoch_seconds": epoch_times[0],
        "feed_only_seconds": feed_seconds,
        "feed_only_windows_per_s": n_windows / feed_seconds,
        "windows_per_s": n_windows / stats["seconds_median"],
        "baseline_mib": baseline,
        "warm_mib": warm,
        "peak_over_warm_mib": peak - warm,
        "peak_over_data": (peak - warm) / data_mib,
        "final_loss_finite": bool(np.isfinite(history.history["loss"][-1])),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: 10^4 steps, 2 epochs")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--steps", type=int, default=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--epochs", type=int, default=EPOCHS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.case, args.steps, args.epochs)))
        return 0

    start = time.perf_counter()
    steps, epochs = (QUICK["steps"], QUICK["epochs"]) if args.quick else (args.steps, args.epochs)
    rows = []
    for case in CASES:
        rows.append(
            C.run_child(__file__, ["--case", case, "--steps", str(steps), "--epochs", str(epochs)])
        )
        print(f"  done: {case}", file=sys.stderr, flush=True)
    ref = next(r for r in rows if r["case"] == "timeseries_dataset_from_array")
    for r in rows:
        r["speedup_vs_keras"] = r["windows_per_s"] / ref["windows_per_s"]

    print(
        f"\nOne epoch of model.fit, LSTM({UNITS}) on ({steps}, {FEATURES}) float32: window {LENGTH}, "
        f"stride {STRIDE}, batch {BATCH}; median of epochs 2..{epochs}; each case in its own process\n"
    )
    C.print_table(
        rows,
        [
            ("case", "case", ""),
            ("n_windows", "windows", "d"),
            ("seconds_median", "s/epoch", ".3g"),
            ("spread", "spread", ".0%"),
            ("windows_per_s", "windows/s", ".0f"),
            ("speedup_vs_keras", "vs keras", ".2f"),
            ("feed_only_windows_per_s", "feed only/s", ".0f"),
            ("data_mib", "data MiB", ".0f"),
            ("peak_over_warm_mib", "peak MiB", ".0f"),
            ("peak_over_data", "/data", ".2f"),
            ("warm_mib", "warm MiB", ".0f"),
        ],
    )
    print(
        "\npeak MiB: peak resident memory minus the process's memory after imports and a warm-up fit."
    )
    settings = {"steps": steps, "features": FEATURES, "length": LENGTH, "stride": STRIDE, "horizon": HORIZON,
                "batch_size": BATCH, "units": UNITS, "epochs": epochs}  # fmt: skip
    C.write_results(
        "feeding", rows, C.meta(settings, seconds=time.perf_counter() - start), quick=args.quick
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

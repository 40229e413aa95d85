"""Windowing a long image sequence: time and peak memory of four ways to do it.

The chapter ``book/04_image_sequences.ipynb`` argues for views and lazy batches; this script
measures the claim on a realistic size: a ``(50000, 64, 64)`` float32 array (819 MB = 781 MiB), windows of
10 frames, stride 5 (9999 windows), batches of 256.

Cases (each runs in its own fresh Python process, so one cannot inherit another's memory):

``loop_stack``
    the common Python loop that slices every window and ``np.stack``s them (one big copy);
``sliding_windows``
    ``seqshape.windows.sliding_windows``: a read-only view, no copy;
``sliding_windows_batches``
    one pass over batches sliced out of that view (``np.ascontiguousarray`` per batch);
``WindowDataset``
    one pass over all batches of ``seqshape.windows.WindowDataset`` (with targets);
``timeseries_dataset_from_array``
    one pass over all batches of ``keras.utils.timeseries_dataset_from_array`` (with targets);
``fit_*`` (skipped with ``--no-fit``)
    one epoch of a tiny Keras model (Flatten + Dense) fed by either dataset.

Memory: each process records its resident set size after its imports (the *baseline*, reported
beside), and its peak resident set size at the end, as the operating system counts it
(``VmHWM`` in ``/proc/self/status``; ``resource.getrusage`` where there is no ``/proc``). The
table shows the peak above the baseline, which includes the 781 MiB input array, and that figure
divided by the array's size: 1.0 means "nothing but the array".

Run with ``python benchmarks/bench_windows.py`` (about 2-3 minutes, 4 GB of free memory);
``--small`` for a quick run on ``(2000, 32, 32)``; ``--no-fit`` to skip the model.fit cases. Results
go to ``benchmarks/results/windows.csv`` and ``windows.json`` (``windows_small.*`` with ``--small``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import _common

RESULTS = Path(__file__).resolve().parent / "results"
FEED_CASES = ["sliding_windows_batches", "WindowDataset", "timeseries_dataset_from_array"]
CASES = ["loop_stack", "sliding_windows", *FEED_CASES]
FIT_CASES = ["fit_WindowDataset", "fit_timeseries_dataset_from_array"]


# --------------------------------------------------------------------------------------------
# measurement helpers (run inside the child process)
# --------------------------------------------------------------------------------------------
# Memory readings shared with the other benchmarks (peak and current RSS from /proc, in MiB).
rss_mb = _common.rss_mib
peak_rss_mb = _common.peak_rss_mib


def run_case(case: str, shape: tuple[int, ...], length: int, stride: int, batch: int, repeat: int) -> dict[str, Any]:
    """Run one case in this process and return its measurements."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    import numpy as np

    needs_keras = case in ("WindowDataset", "timeseries_dataset_from_array", *FIT_CASES)
    if needs_keras:
        import keras

        from seqshape.windows import WindowDataset
    from seqshape.windows import sliding_windows

    baseline = rss_mb()
    x = np.full(shape, 0.5, dtype=np.float32)  # np.full touches every page: really resident
    y = np.arange(shape[0], dtype=np.float32)
    array_mb = x.nbytes / 2**20
    horizon = 1
    n_windows_nohorizon = (shape[0] - length) // stride + 1
    n_windows_targets = (shape[0] - length - horizon) // stride + 1

    def tsdfa() -> Any:
        return keras.utils.timeseries_dataset_from_array(
            x,
            targets=y[length - 1 + horizon :],
            sequence_length=length,
            sequence_stride=stride,
            batch_size=batch,
            shuffle=False,
        )

    times = []
    n_windows = n_windows_nohorizon
    checksum = 0.0
    for _ in range(repeat):
        t0 = time.perf_counter()
        if case == "loop_stack":
            windows = np.stack([x[s : s + length] for s in range(0, shape[0] - length + 1, stride)])
            n_windows = len(windows)
            checksum = float(windows[-1, -1].sum())
            del windows
        elif case == "sliding_windows":
            windows = sliding_windows(x, length, stride=stride)
            n_windows = len(windows)
            checksum = float(windows[-1, -1].sum())
        elif case == "sliding_windows_batches":
            view = sliding_windows(x, length, stride=stride)
            n_windows = len(view)
            for lo in range(0, n_windows, batch):
                xb = np.ascontiguousarray(view[lo : lo + batch])
            checksum = float(xb[-1, -1].sum())
        elif case == "WindowDataset":
            ds = WindowDataset(x, y, length=length, stride=stride, horizon=horizon, batch_size=batch)
            n_windows = ds.n_windows
            for b in range(len(ds)):
                xb, _ = ds[b]
            checksum = float(xb[-1, -1].sum())
        elif case == "timeseries_dataset_from_array":
            ds = tsdfa()
            n_windows = n_windows_targets
            for batch_x, _ in ds:
                xb = batch_x
            checksum = float(np.asarray(xb[-1, -1]).sum())
        elif case in FIT_CASES:
            keras.utils.set_random_seed(0)
            model = keras.Sequential(
                [keras.Input(shape=(length, *shape[1:])), keras.layers.Flatten(), keras.layers.Dense(1)]
            )
            model.compile(optimizer="sgd", loss="mse")
            if case == "fit_WindowDataset":
                ds = WindowDataset(
                    x, y, length=length, stride=stride, horizon=horizon, batch_size=batch,
                    workers=2, max_queue_size=2,
                )
            else:
                ds = tsdfa()
            n_windows = n_windows_targets
            model.fit(ds, epochs=1, verbose=0)
        else:  # pragma: no cover - guarded by argparse
            raise ValueError(case)
        times.append(time.perf_counter() - t0)

    peak = peak_rss_mb()
    return {
        "case": case,
        "shape": list(shape),
        "length": length,
        "stride": stride,
        "batch_size": batch,
        "n_windows": n_windows,
        "seconds_first": times[0],
        "seconds_best": min(times),
        "windows_per_s": n_windows / min(times),
        "array_mb": array_mb,
        "baseline_mb": baseline,
        "peak_mb": peak,
        "peak_over_baseline_mb": peak - baseline,
        "peak_over_array": (peak - baseline) / array_mb,
        "checksum": checksum,
    }


# --------------------------------------------------------------------------------------------
# driver (parent process)
# --------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="quick run on (2000, 32, 32)")
    parser.add_argument("--no-fit", dest="fit", action="store_false", help="skip timing one epoch of model.fit")
    parser.add_argument("--repeat", type=int, default=2, help="passes per case; the best is reported")
    parser.add_argument("--case", choices=[*CASES, *FIT_CASES], help=argparse.SUPPRESS)
    parser.add_argument("--shape", type=int, nargs="+", default=None, help="array shape (steps, ...)")
    parser.add_argument("--length", type=int, default=10)
    parser.add_argument("--stride", type=int, default=5)
    parser.add_argument("--batch", type=int, default=256)
    args = parser.parse_args(argv)
    shape = tuple(args.shape) if args.shape else ((2000, 32, 32) if args.small else (50000, 64, 64))

    if args.case:  # child: one case, result as JSON on the last line of stdout
        result = run_case(args.case, shape, args.length, args.stride, args.batch, args.repeat)
        print(json.dumps(result))
        return 0

    cases = CASES + (FIT_CASES if args.fit else [])
    rows = []
    for case in cases:
        cmd = [
            sys.executable, __file__, "--case", case, "--shape", *map(str, shape),
            "--length", str(args.length), "--stride", str(args.stride),
            "--batch", str(args.batch), "--repeat", str(args.repeat),
        ]  # fmt: skip
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            print(f"case {case} failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
            return 1
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(f"  done: {case}", file=sys.stderr)

    ref = {r["case"]: r for r in rows}.get("timeseries_dataset_from_array")
    fit_ref = {r["case"]: r for r in rows}.get("fit_timeseries_dataset_from_array")
    for r in rows:
        base = fit_ref if r["case"].startswith("fit_") else ref
        r["speedup_vs_keras"] = r["windows_per_s"] / base["windows_per_s"] if base and r["case"] in (*FEED_CASES, *FIT_CASES) else None

    array_mb = rows[0]["array_mb"]
    print(
        f"\nWindowing a {shape} float32 array ({array_mb:.0f} MiB): window {args.length}, "
        f"stride {args.stride}, batch {args.batch}; best of {args.repeat} passes; "
        f"python {platform.python_version()}, {os.cpu_count()} CPUs\n"
    )
    header = f"{'case':<34}{'windows':>8}{'seconds':>9}{'windows/s':>11}{'vs keras':>9}{'peak-base MiB':>14}{'/array':>8}{'baseline MiB':>13}"
    print(header)
    print("-" * len(header))
    for r in rows:
        speed = f"{r['speedup_vs_keras']:.1f}x" if r["speedup_vs_keras"] else ""
        print(
            f"{r['case']:<34}{r['n_windows']:>8}{r['seconds_best']:>9.3f}{r['windows_per_s']:>11.0f}"
            f"{speed:>9}{r['peak_over_baseline_mb']:>14.0f}{r['peak_over_array']:>8.2f}{r['baseline_mb']:>13.0f}"
        )
    print(
        "\npeak-base: peak resident memory minus the process's memory after its imports "
        "(baseline); it includes the input array itself, so /array = 1.00 means no extra copy."
    )

    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = "windows_small" if args.small else "windows"  # a quick run never overwrites the full one
    with open(RESULTS / f"{stem}.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0].keys()))
        writer.writeheader()
        for r in rows:
            writer.writerow({k: (json.dumps(v) if isinstance(v, list) else v) for k, v in r.items()})
    meta = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}
    (RESULTS / f"{stem}.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")
    print(f"written: {RESULTS / (stem + '.csv')}, {RESULTS / (stem + '.json')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

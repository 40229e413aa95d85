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
    one epoch of a tiny Keras model (Flatten + Dense) fed by ``WindowDataset`` (``workers=2,
    max_queue_size=2``), by its ``as_tf_dataset()`` or by ``timeseries_dataset_from_array``;
    the model is built and traced by the warm-up epoch, then each timed call fits one epoch.

Timing: one warm-up call, not counted, then the median (with n and min-max) of ``--repeat``
timed calls. The load average is recorded before and after each case, and a loaded case is
re-run once (the less loaded run is kept; see ``_common.py``).

Memory: each process records its resident set size after its imports (the *baseline*, reported
beside), and its peak resident set size at the end, as the operating system counts it
(``VmHWM`` in ``/proc/self/status``; ``resource.getrusage`` where there is no ``/proc``). The
table shows the peak above the baseline, which includes the 781 MiB input array, and that figure
divided by the array's size: 1.0 means "nothing but the array".

Run with ``nice -n 5 python benchmarks/bench_windows.py`` (about 3-5 minutes, 4 GB of free memory);
``--small`` for a quick run on ``(2000, 32, 32)``; ``--no-fit`` to skip the model.fit cases. Results
go to ``benchmarks/results/windows.csv`` and ``windows.json`` (``windows_small.*`` with ``--small``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

import _common as C

FEED_CASES = ["sliding_windows_batches", "WindowDataset", "timeseries_dataset_from_array"]
CASES = ["loop_stack", "sliding_windows", *FEED_CASES]
FIT_CASES = ["fit_WindowDataset", "fit_as_tf_dataset", "fit_timeseries_dataset_from_array"]
FIT_WORKERS = {"workers": 2, "max_queue_size": 2}  # the PyDataset options of fit_WindowDataset
VIEW_CALLS = 200  # calls per timed run for the microsecond-scale view


def run_case(
    case: str, shape: tuple[int, ...], length: int, stride: int, batch: int, repeat: int
) -> dict[str, Any]:
    """Run one case in this process and return its measurements."""
    C.quiet_tensorflow()
    import numpy as np

    needs_keras = case in ("WindowDataset", "timeseries_dataset_from_array", *FIT_CASES)
    if needs_keras:
        import keras

        from seqshape.windows import WindowDataset
    from seqshape.windows import sliding_windows

    baseline = C.rss_mib()
    x = np.full(shape, 0.5, dtype=np.float32)  # np.full touches every page: really resident
    y = np.arange(shape[0], dtype=np.float32)
    array_mb = x.nbytes / 2**20
    horizon = 1
    n_windows = (shape[0] - length) // stride + 1
    n_windows_targets = (shape[0] - length - horizon) // stride + 1
    out: dict[str, float] = {}

    def tsdfa() -> Any:
        return keras.utils.timeseries_dataset_from_array(
            x,
            targets=y[length - 1 + horizon :],
            sequence_length=length,
            sequence_stride=stride,
            batch_size=batch,
            shuffle=False,
        )

    def loop_stack() -> None:
        windows = np.stack([x[s : s + length] for s in range(0, shape[0] - length + 1, stride)])
        out["checksum"] = float(windows[-1, -1].sum())

    def view() -> None:
        for _ in range(VIEW_CALLS):
            windows = sliding_windows(x, length, stride=stride)
        out["checksum"] = float(windows[-1, -1].sum())

    def view_batches() -> None:
        windows = sliding_windows(x, length, stride=stride)
        for lo in range(0, n_windows, batch):
            xb = np.ascontiguousarray(windows[lo : lo + batch])
        out["checksum"] = float(xb[-1, -1].sum())

    def window_dataset() -> None:
        ds = WindowDataset(x, y, length=length, stride=stride, horizon=horizon, batch_size=batch)
        for b in range(len(ds)):
            xb, _ = ds[b]
        out["checksum"] = float(xb[-1, -1].sum())

    def keras_dataset() -> None:
        for batch_x, _ in tsdfa():
            xb = batch_x
        out["checksum"] = float(np.asarray(xb[-1, -1]).sum())

    fns = {"loop_stack": loop_stack, "sliding_windows": view,
           "sliding_windows_batches": view_batches, "WindowDataset": window_dataset,
           "timeseries_dataset_from_array": keras_dataset}  # fmt: skip
    if case in FIT_CASES:
        keras.utils.set_random_seed(0)
        model = keras.Sequential(
            [keras.Input(shape=(length, *shape[1:])), keras.layers.Flatten(), keras.layers.Dense(1)]
        )
        model.compile(optimizer="sgd", loss="mse")
        windows = WindowDataset(
            x, y, length=length, stride=stride, horizon=horizon, batch_size=batch,
            **(FIT_WORKERS if case == "fit_WindowDataset" else {}),
        )  # fmt: skip
        data = {"fit_WindowDataset": windows, "fit_as_tf_dataset": windows.as_tf_dataset(),
                "fit_timeseries_dataset_from_array": tsdfa()}[case]  # fmt: skip

        def fit() -> None:
            history = model.fit(data, epochs=1, verbose=0, shuffle=False)
            out["checksum"] = float(np.isfinite(history.history["loss"][-1]))

        fn = fit
    else:
        fn = fns[case]
    times = C.time_repeats(fn, repeat=repeat, min_repeat=repeat)
    if case == "sliding_windows":
        times = [t / VIEW_CALLS for t in times]
    stats = C.summarize(times)
    counted = n_windows if case in ("loop_stack", "sliding_windows", "sliding_windows_batches") else n_windows_targets
    peak = C.peak_rss_mib()
    return {
        "case": case,
        "shape": list(shape),
        "length": length,
        "stride": stride,
        "batch_size": batch,
        "workers": FIT_WORKERS["workers"] if case == "fit_WindowDataset" else None,
        "n_windows": counted,
        **stats,
        "windows_per_s": counted / stats["seconds_median"],
        "array_mb": array_mb,
        "baseline_mb": baseline,
        "peak_mb": peak,
        "peak_over_baseline_mb": peak - baseline,
        "peak_over_array": (peak - baseline) / array_mb,
        "checksum": out["checksum"],
    }


# --------------------------------------------------------------------------------------------
# driver (parent process)
# --------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="quick run on (2000, 32, 32)")
    parser.add_argument("--no-fit", dest="fit", action="store_false", help="skip timing one epoch of model.fit")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per case after a warm-up; the median is reported")
    parser.add_argument("--retries", type=int, default=1, help="re-runs of a case measured under load")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--case", choices=[*CASES, *FIT_CASES], help=argparse.SUPPRESS)
    parser.add_argument("--shape", type=int, nargs="+", default=None, help="array shape (steps, ...)")
    parser.add_argument("--length", type=int, default=10)
    parser.add_argument("--stride", type=int, default=5)
    parser.add_argument("--batch", type=int, default=256)
    args = parser.parse_args(argv)
    shape = tuple(args.shape) if args.shape else ((2000, 32, 32) if args.small else (50000, 64, 64))

    if args.child:  # one case, result as JSON on the last line of stdout
        result = run_case(args.case, shape, args.length, args.stride, args.batch, args.repeat)
        print(C.child_output(result))
        return 0

    start = time.perf_counter()
    cases = CASES + (FIT_CASES if args.fit else [])
    rows = []
    for case in cases:
        child_args = ["--case", case, "--shape", *map(str, shape), "--length", str(args.length),
                      "--stride", str(args.stride), "--batch", str(args.batch),
                      "--repeat", str(args.repeat)]  # fmt: skip
        rows.append(
            C.measure_under_load(
                lambda a=child_args: C.run_child(__file__, a), retries=args.retries, label=case
            )
        )
        print(f"  done: {case}", file=sys.stderr, flush=True)

    by_case = {r["case"]: r for r in rows}
    ref = by_case.get("timeseries_dataset_from_array")
    fit_ref = by_case.get("fit_timeseries_dataset_from_array")
    for r in rows:
        base = fit_ref if r["case"].startswith("fit_") else ref
        keep = base and r["case"] in (*FEED_CASES, *FIT_CASES)
        r["speedup_vs_keras"] = r["windows_per_s"] / base["windows_per_s"] if keep else None

    array_mb = rows[0]["array_mb"]
    print(
        f"\nWindowing a {shape} float32 array ({array_mb:.0f} MiB): window {args.length}, "
        f"stride {args.stride}, batch {args.batch}; median of {args.repeat} passes after a "
        f"warm-up; {os.cpu_count()} CPUs\n"
    )
    C.print_table(
        rows,
        [
            ("case", "case", ""),
            ("n_windows", "windows", "d"),
            ("seconds_median", "seconds", ".3g"),
            ("seconds_min", "min", ".3g"),
            ("seconds_max", "max", ".3g"),
            ("runs", "n", "d"),
            ("windows_per_s", "windows/s", ".0f"),
            ("speedup_vs_keras", "vs keras", ".1f"),
            ("peak_over_baseline_mb", "peak-base MiB", ".0f"),
            ("peak_over_array", "/array", ".2f"),
            ("load_before", "load<", ".1f"),
            ("load_after", "load>", ".1f"),
        ],
    )
    print(
        "\npeak-base: peak resident memory minus the process's memory after its imports "
        "(baseline); it includes the input array itself, so /array = 1.00 means no extra copy."
    )
    settings = {"shape": list(shape), "length": args.length, "stride": args.stride,
                "batch_size": args.batch, "repeat": args.repeat, "fit_workers": FIT_WORKERS,
                "retries": args.retries}  # fmt: skip
    stem_quick = args.small  # windows_small.* for --small: a quick run never overwrites the full one
    name = "windows_small" if stem_quick else "windows"
    C.write_results(name, rows, C.meta(settings, seconds=time.perf_counter() - start), quick=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

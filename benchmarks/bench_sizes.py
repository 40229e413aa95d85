"""Windowing cost versus size: five ways to cut (T, 64, 64) float32 frames into windows.

Window 10 frames, stride 5 (the setting of ``bench_windows.py``), for T from 10^3 to 5 x 10^4
frames (16 MiB to 781 MiB). Cases, each size of each case in its own fresh Python process:

``loop_stack``
    a Python loop that slices every window and ``np.stack``s them (one big copy);
``numpy_view``
    ``np.lib.stride_tricks.sliding_window_view`` along axis 0, every 5th window, window axis
    moved to position 1 (the raw NumPy view, the reference for ``sliding_windows``);
``sliding_windows``
    ``seqshape.windows.sliding_windows(x, 10, stride=5)``: the same read-only view, validated;
``tf_signal_frame``
    ``tf.signal.frame(x, 10, 5, axis=0)``: a new tensor holding every window;
``timeseries_dataset_from_array``
    ``keras.utils.timeseries_dataset_from_array`` (batch 256): building the dataset and one
    pass over all its batches, since the dataset is lazy and only iterating it does the work.

Times are the median of several runs in the same process, after a warm-up run that is never
counted (the views, which take microseconds, are timed as the mean of many calls per run); the
spread is ``(max - min) / median``. The load is recorded before and after each case, and a loaded
case is re-run once (``_common.py``). Memory is
the peak resident set size as the OS counts it, minus the process's memory after its imports
(``baseline_mib``, reported beside); ``extra_mib`` also subtracts the input array, so 0 means
"no memory beyond the data".

Usage: ``python benchmarks/bench_sizes.py`` (about 2 minutes on 2 cores, 3 GiB of free memory);
``--quick`` for a smoke run on small sizes. Results: ``benchmarks/results/sizes.csv``/``.json``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

import _common as C

CASES = [
    "loop_stack",
    "numpy_view",
    "sliding_windows",
    "tf_signal_frame",
    "timeseries_dataset_from_array",
]
SIZES = [1_000, 3_000, 10_000, 50_000]
QUICK_SIZES = [1_000, 3_000]
FRAME = (64, 64)
LENGTH = 10
STRIDE = 5
BATCH = 256
VIEW_CALLS = 200  # calls per timed run for the microsecond-scale views


def child(case: str, frames: int, repeat: int) -> dict[str, Any]:
    """Measure one case on one size in this (fresh) process."""
    C.quiet_tensorflow()
    import numpy as np

    from seqshape.windows import sliding_windows

    if case == "tf_signal_frame":
        import tensorflow as tf
    if case == "timeseries_dataset_from_array":
        import keras

    baseline = C.rss_mib()
    x = np.full((frames, *FRAME), 0.5, dtype=np.float32)  # np.full touches every page
    array_mib = x.nbytes / C.MIB
    n_windows = (frames - LENGTH) // STRIDE + 1
    out: dict[str, Any] = {}

    def loop_stack() -> None:
        w = np.stack([x[s : s + LENGTH] for s in range(0, frames - LENGTH + 1, STRIDE)])
        out["shape"] = w.shape

    def numpy_view() -> None:
        for _ in range(VIEW_CALLS):
            w = np.moveaxis(
                np.lib.stride_tricks.sliding_window_view(x, LENGTH, axis=0)[::STRIDE], -1, 1
            )
        out["shape"] = w.shape

    def seqshape_view() -> None:
        for _ in range(VIEW_CALLS):
            w = sliding_windows(x, LENGTH, stride=STRIDE)
        out["shape"] = w.shape

    def tf_frame() -> None:
        w = tf.signal.frame(x, LENGTH, STRIDE, axis=0)
        out["shape"] = tuple(w.shape)

    def tsdfa() -> None:
        ds = keras.utils.timeseries_dataset_from_array(
            x, None, sequence_length=LENGTH, sequence_stride=STRIDE, batch_size=BATCH, shuffle=False
        )
        n = 0
        for batch in ds:
            n += int(batch.shape[0])
        out["shape"] = (n, *batch.shape[1:])

    fn = {
        "loop_stack": loop_stack,
        "numpy_view": numpy_view,
        "sliding_windows": seqshape_view,
        "tf_signal_frame": tf_frame,
        "timeseries_dataset_from_array": tsdfa,
    }[case]
    times = C.time_repeats(fn, repeat=repeat, min_repeat=3, budget_s=4.0)
    if case in ("numpy_view", "sliding_windows"):
        times = [t / VIEW_CALLS for t in times]
    peak = C.peak_rss_mib()
    stats = C.summarize(times)
    shape = [int(s) for s in out["shape"]]
    if shape != [n_windows, LENGTH, *FRAME]:
        raise RuntimeError(
            f"{case}: expected windows of shape {(n_windows, LENGTH, *FRAME)}, got {shape}"
        )
    return {
        "case": case,
        "frames": frames,
        "n_windows": n_windows,
        "array_mib": array_mib,
        **stats,
        "baseline_mib": baseline,
        "peak_over_baseline_mib": peak - baseline,
        "extra_mib": peak - baseline - array_mib,
        "extra_over_array": (peak - baseline - array_mib) / array_mib,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: small sizes, 2 runs each")
    parser.add_argument("--sizes", type=int, nargs="+", help="frame counts to measure")
    parser.add_argument(
        "--repeat", type=int, default=5, help="most runs per case and size (default 5)"
    )
    parser.add_argument("--retries", type=int, default=1, help="re-runs of a case measured under load")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--frames", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        print(C.child_output(child(args.case, args.frames, args.repeat)))
        return 0

    start = time.perf_counter()
    sizes = args.sizes or (QUICK_SIZES if args.quick else SIZES)
    repeat = 3 if args.quick else args.repeat
    rows = []
    for frames in sizes:
        for case in CASES:
            child_args = ["--case", case, "--frames", str(frames), "--repeat", str(repeat)]
            rows.append(
                C.measure_under_load(
                    lambda a=child_args: C.run_child(__file__, a),
                    retries=args.retries,
                    label=f"{case} on {frames} frames",
                )
            )
            print(f"  done: {case} on {frames} frames", file=sys.stderr, flush=True)
    ref = {(r["frames"]): r["seconds_median"] for r in rows if r["case"] == "numpy_view"}
    for r in rows:
        r["time_over_numpy_view"] = r["seconds_median"] / ref[r["frames"]]

    print(
        f"\nWindowing (T, {FRAME[0]}, {FRAME[1]}) float32 frames: window {LENGTH}, stride {STRIDE}; "
        f"median of up to {repeat} runs after a warm-up; each case in its own process; {os.cpu_count()} CPUs\n"
    )
    C.print_table(
        rows,
        [
            ("case", "case", ""),
            ("frames", "frames", "d"),
            ("array_mib", "array MiB", ".0f"),
            ("seconds_median", "seconds", ".3g"),
            ("spread", "spread", ".0%"),
            ("runs", "runs", "d"),
            ("time_over_numpy_view", "x view", ".3g"),
            ("extra_mib", "extra MiB", ".1f"),
            ("baseline_mib", "baseline MiB", ".0f"),
            ("load_before", "load<", ".1f"),
            ("load_after", "load>", ".1f"),
        ],
    )
    print(
        "\nextra MiB: peak resident memory minus the baseline (after imports) minus the input array."
    )
    settings = {"frame": list(FRAME), "length": LENGTH, "stride": STRIDE, "batch_size": BATCH, "sizes": sizes,
                "max_runs": repeat, "view_calls_per_run": VIEW_CALLS}  # fmt: skip
    C.write_results(
        "sizes", rows, C.meta(settings, seconds=time.perf_counter() - start), quick=args.quick
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

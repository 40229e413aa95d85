"""Scaling: stream windows from a memory-mapped .npy file with WindowDataset, memory vs file size.

The script writes ``.npy`` files of several sizes (up to a few GiB; shape ``(T, 1024)`` float32,
4 KiB per time step) into a temporary directory, and deletes them at the end, even on error.
For each file, each case runs in its own fresh process, after the file's pages have been dropped
from the operating system's cache (``posix_fadvise(DONTNEED)``), so that every case reads from
disk:

``load_in_ram``
    ``np.load(path)`` (the whole array in memory), then one pass over all batches of
    ``WindowDataset``: what you do when the data fits;
``memmap``
    ``np.load(path, mmap_mode="r")``, then the same pass: pages are read from disk on demand;
``memmap_release``
    the same, and every ``RELEASE_MIB`` of consumed steps the process tells the OS it no longer
    needs those pages (``madvise(MADV_DONTNEED)`` on the mapping), so they stop counting in its
    resident set.

Memory, as the OS counts it: ``peak_rss_mib`` is the peak resident set minus the process's
memory after its imports; it includes pages of the file that are mapped into the process
(clean page cache, which the OS can drop at any time and re-read). ``peak_anon_mib`` is the
highest *anonymous* resident memory (arrays and heap, which cannot be dropped) sampled after
every batch, minus the same baseline: this is what must fit in RAM.

Each case is timed as the median (with n and min-max) of ``--repeat`` cold passes, each in a
fresh process; memory is the highest of those passes. The load is recorded before and after
each case, and a loaded case is re-run once (``_common.py``).

Usage: ``nice -n 5 python benchmarks/bench_memmap.py`` (a few minutes and 3 GiB of free disk);
``--quick`` for a smoke run on small files. Results: ``benchmarks/results/memmap.csv``/``.json``.
"""

from __future__ import annotations

import argparse
import mmap
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _common as C
import numpy as np

CASES = ["load_in_ram", "memmap", "memmap_release"]
SIZES_GIB = [0.25, 1.0, 3.0]
QUICK_SIZES_GIB = [0.05, 0.1]
FEATURES = 1024
LENGTH = 32
STRIDE = 32
BATCH = 64
RELEASE_MIB = 64
CHUNK_STEPS = 16_384  # 64 MiB per write


def write_npy(path: Path, steps: int) -> None:
    """Write a (steps, FEATURES) float32 .npy chunk by chunk (never the whole array in memory)."""
    with open(path, "wb") as fh:
        header = {
            "descr": np.lib.format.dtype_to_descr(np.dtype(np.float32)),
            "fortran_order": False,
        }
        np.lib.format.write_array_header_1_0(fh, {**header, "shape": (steps, FEATURES)})
        for lo in range(0, steps, CHUNK_STEPS):
            n = min(CHUNK_STEPS, steps - lo)
            chunk = np.arange(lo, lo + n, dtype=np.float32)[:, None] + np.zeros(
                FEATURES, dtype=np.float32
            )
            fh.write(chunk.tobytes())
        fh.flush()
        os.fsync(fh.fileno())


def drop_cache(path: Path) -> None:
    """Ask the OS to drop this file's pages from its cache (Linux; a no-op elsewhere)."""
    if hasattr(os, "posix_fadvise"):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def child(case: str, path: str) -> dict[str, Any]:
    """Stream every window of the file once, in this (fresh) process."""
    C.quiet_tensorflow()
    from seqshape.windows import WindowDataset

    baseline = C.rss_mib()
    anon0 = C.rss_anon_mib()
    t0 = time.perf_counter()
    x = np.load(path) if case == "load_in_ram" else np.load(path, mmap_mode="r")
    load_s = time.perf_counter() - t0
    ds = WindowDataset(x, length=LENGTH, stride=STRIDE, batch_size=BATCH)
    step_bytes = FEATURES * x.itemsize
    release_every = max(1, (RELEASE_MIB * C.MIB) // (BATCH * STRIDE * step_bytes))
    mm = getattr(x, "_mmap", None)  # the mmap.mmap object behind an np.memmap
    offset = x.offset if hasattr(x, "offset") else 0
    peak_anon = 0.0
    checksum = 0.0
    for b in range(len(ds)):
        xb = ds[b]
        checksum += float(xb[:, -1, 0].sum(dtype=np.float64))  # every window's last step
        if case == "memmap_release" and mm is not None and (b + 1) % release_every == 0:
            done = (
                offset + (b + 1) * BATCH * STRIDE * step_bytes
            )  # bytes of the file consumed so far
            done -= done % mmap.PAGESIZE
            mm.madvise(mmap.MADV_DONTNEED, 0, done)
        anon = C.rss_anon_mib()
        if anon is not None:
            peak_anon = max(peak_anon, anon)
    seconds = time.perf_counter() - t0
    peak = C.peak_rss_mib()
    file_mib = os.path.getsize(path) / C.MIB
    expected = float(sum(range(LENGTH - 1, len(x), STRIDE))) if len(x) % STRIDE == 0 else None
    if expected is not None and checksum != expected:
        raise RuntimeError(f"{case}: checksum {checksum} != {expected}: the windows are wrong")
    return {
        "case": case,
        "file_mib": file_mib,
        "steps": len(x),
        "n_windows": ds.n_windows,
        "seconds": seconds,
        "load_seconds": load_s,
        "mib_per_s": file_mib / seconds,
        "baseline_mib": baseline,
        "peak_rss_mib": peak - baseline,
        "peak_anon_mib": peak_anon - anon0 if anon0 is not None else None,
        "peak_rss_over_file": (peak - baseline) / file_mib,
        "peak_anon_over_file": (peak_anon - anon0) / file_mib if anon0 is not None else None,
    }


def summarize_passes(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One row for repeated cold passes: the median time (n, min-max) and the highest memory."""
    row = dict(runs[0])
    stats = C.summarize([r["seconds"] for r in runs])
    row.update(stats)
    row["seconds"] = stats["seconds_median"]
    row["load_seconds"] = statistics.median(r["load_seconds"] for r in runs)
    row["mib_per_s"] = row["file_mib"] / stats["seconds_median"]
    for key in ("peak_rss_mib", "peak_anon_mib", "peak_rss_over_file", "peak_anon_over_file"):
        values = [r[key] for r in runs if r[key] is not None]
        row[key] = max(values) if values else None
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run on 50 and 100 MiB files")
    parser.add_argument("--sizes", type=float, nargs="+", help="file sizes in GiB")
    parser.add_argument("--repeat", type=int, default=3, help="cold passes per case (default 3)")
    parser.add_argument("--retries", type=int, default=1, help="re-runs of a case measured under load")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(C.child_output(child(args.case, args.path)))
        return 0

    start = time.perf_counter()
    sizes = args.sizes or (QUICK_SIZES_GIB if args.quick else SIZES_GIB)
    rows = []
    with tempfile.TemporaryDirectory(prefix="seqshape-memmap-") as tmp:
        for gib in sizes:
            steps = int(gib * 2**30) // (FEATURES * 4) // STRIDE * STRIDE
            path = Path(tmp) / f"series_{gib:g}GiB.npy"
            t0 = time.perf_counter()
            write_npy(path, steps)
            write_s = time.perf_counter() - t0
            for case in CASES:

                def passes(case: str = case, path: Path = path) -> dict[str, Any]:
                    runs = []
                    for _ in range(args.repeat):  # every pass cold, in its own process
                        drop_cache(path)
                        runs.append(C.run_child(__file__, ["--case", case, "--path", str(path)]))
                    return summarize_passes(runs)

                row = C.measure_under_load(passes, retries=args.retries, label=f"{case} {gib:g} GiB")
                row["write_seconds"] = write_s
                rows.append(row)
                print(f"  done: {case} on {gib:g} GiB", file=sys.stderr, flush=True)
            path.unlink()
    print(
        f"\nStreaming windows ({LENGTH} steps, stride {STRIDE}, batch {BATCH}) from (T, {FEATURES}) float32 "
        f".npy files; median of {args.repeat} cold passes, each in its own process\n"
    )
    C.print_table(
        rows,
        [
            ("case", "case", ""),
            ("file_mib", "file MiB", ".0f"),
            ("seconds", "seconds", ".2f"),
            ("seconds_min", "min", ".2f"),
            ("seconds_max", "max", ".2f"),
            ("runs", "n", "d"),
            ("mib_per_s", "MiB/s", ".0f"),
            ("peak_rss_mib", "peak RSS MiB", ".0f"),
            ("peak_rss_over_file", "/file", ".2f"),
            ("peak_anon_mib", "peak anon MiB", ".0f"),
            ("peak_anon_over_file", "/file", ".3f"),
            ("load_before", "load<", ".1f"),
            ("load_after", "load>", ".1f"),
        ],
    )
    print(
        "\npeak RSS counts mapped file pages (cache the OS can drop); peak anon is memory that must fit in RAM."
    )
    settings = {"features": FEATURES, "length": LENGTH, "stride": STRIDE, "batch_size": BATCH,
                "release_mib": RELEASE_MIB, "sizes_gib": sizes, "repeat": args.repeat,
                "retries": args.retries}  # fmt: skip
    C.write_results(
        "memmap", rows, C.meta(settings, seconds=time.perf_counter() - start), quick=args.quick
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The book's own cost: each notebook's execution time under strict nbval, and the site build time.

Every notebook listed in ``_toc.yml`` runs under nbval exactly as ``make test`` runs it (strict:
every stored output is compared), one notebook at a time, each in its own ``pytest`` process, so
that its time is its own and not shared with another notebook. The time reported is the wall
clock of that process (kernel start-up included). Then the site is built from the stored
outputs, as ``make book`` does (``jupyter-book build . -W -n``), into a temporary directory so
that ``_build/`` is left alone.

Targets: each notebook <= 90 s, all notebooks together <= 5 min, the site build <= 60 s,
on 2 CPU cores. ``meets_target`` judges the time only; whether nbval passed (``nbval_ok``) and
the build succeeded (``build_ok``, ``warnings``) is recorded beside it and printed as a warning,
without stopping ``make bench``: ``make test`` is the check that fails on them. The load
average is recorded before and after each notebook and the build, and one timed under load is
re-run once (``--retries``), keeping the less loaded run (``_common.py``).

Usage: ``python benchmarks/bench_book.py`` (as long as the notebooks take, a few minutes);
``--quick`` checks only the first notebook; ``--all`` also measures notebooks in ``book/`` that
the table of contents does not list yet; ``--no-build`` skips the site build.
Results: ``benchmarks/results/book.csv``/``.json``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _common as C

sys.path.insert(0, str(C.ROOT))  # the repository root, for the test suite's own helpers
from tests.run_suite import junit_counts, toc_notebooks

BIN = Path(sys.executable).parent
NOTEBOOK_TARGET_S = 90
TOTAL_TARGET_S = 300
BUILD_TARGET_S = 60


def env() -> dict[str, str]:
    return {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0",
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}  # fmt: skip


def run_notebook(path: Path, tmp: Path) -> dict[str, Any]:
    """Strict nbval on one notebook, in its own pytest process; wall time and test counts."""
    xml = tmp / f"{path.stem}.xml"
    cmd = [
        str(BIN / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider",
        "-o", "addopts=", "-o", "testpaths=",
        "--nbval", "--nbval-current-env", "--nbval-cell-timeout=300",
        "--nbval-sanitize-with", "tests/sanitize.cfg", f"--junitxml={xml}", str(path.relative_to(C.ROOT)),
    ]  # fmt: skip
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=C.ROOT, env=env(), capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    passed, failed, _ = junit_counts(xml)
    ok = proc.returncode == 0 and passed > 0
    if not ok:
        print(f"  nbval failed on {path.name}:\n{proc.stdout[-1500:]}", file=sys.stderr)
    return {
        "kind": "notebook",
        "name": str(path.relative_to(C.ROOT)),
        "seconds": seconds,
        "cells_passed": passed,
        "cells_failed": failed,
        "nbval_ok": ok,
        "target_s": NOTEBOOK_TARGET_S,
        "meets_target": seconds <= NOTEBOOK_TARGET_S,
    }


def build_site(tmp: Path) -> dict[str, Any]:
    """Build the site from stored outputs, warnings as errors, into a temporary directory."""
    cmd = [
        str(BIN / "jupyter-book"),
        "build",
        ".",
        "-W",
        "-n",
        "--keep-going",
        "--path-output",
        str(tmp / "site"),
    ]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=C.ROOT, env=env(), capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    pages = len(list((tmp / "site" / "_build" / "html").rglob("*.html")))
    if proc.returncode != 0:
        print(f"  site build failed:\n{(proc.stdout + proc.stderr)[-1500:]}", file=sys.stderr)
    return {
        "kind": "site_build",
        "name": f"jupyter-book build -W -n ({pages} HTML files)",
        "seconds": seconds,
        "nbval_ok": None,
        "build_ok": proc.returncode == 0,
        "target_s": BUILD_TARGET_S,
        "meets_target": seconds <= BUILD_TARGET_S,
        "warnings": proc.stdout.count("WARNING:") + proc.stderr.count("WARNING:"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="only the first notebook, then the build"
    )
    parser.add_argument(
        "--all", action="store_true", help="also the notebooks in book/ not yet in _toc.yml"
    )
    parser.add_argument("--no-build", action="store_true", help="skip the site build")
    parser.add_argument("--retries", type=int, default=1, help="re-runs of a notebook timed under load")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    notebooks = toc_notebooks()
    if args.all:
        notebooks += sorted(p for p in (C.ROOT / "book").glob("*.ipynb") if p not in notebooks)
    if args.quick:
        notebooks = notebooks[:1]
    rows = []
    with tempfile.TemporaryDirectory(prefix="seqshape-bench-book-") as tmp:
        for nb in notebooks:
            rows.append(
                C.measure_under_load(
                    lambda nb=nb: run_notebook(nb, Path(tmp)), retries=args.retries, label=nb.name
                )
            )
            print(f"  done: {nb.name} ({rows[-1]['seconds']:.0f} s)", file=sys.stderr, flush=True)
        nb_rows = list(rows)
        total = sum(r["seconds"] for r in nb_rows)
        rows.append({
            "kind": "nbval_total", "name": f"all {len(nb_rows)} notebooks, one after another", "seconds": total,
            "nbval_ok": all(r["nbval_ok"] for r in nb_rows), "target_s": TOTAL_TARGET_S,
            "meets_target": total <= TOTAL_TARGET_S,
        })  # fmt: skip
        if not args.no_build:
            rows.append(
                C.measure_under_load(
                    lambda: build_site(Path(tmp)), retries=args.retries, label="site build"
                )
            )
            print(f"  done: site build ({rows[-1]['seconds']:.0f} s)", file=sys.stderr, flush=True)
    print(
        f"\nThe book's execution cost on {os.cpu_count()} CPUs (strict nbval, one notebook at a time)\n"
    )
    C.print_table(
        rows,
        [("name", "notebook / step", ""), ("seconds", "seconds", ".1f"), ("target_s", "target s", "d"),
         ("meets_target", "met", ""), ("load_before", "load<", ".1f"), ("load_after", "load>", ".1f")],
    )  # fmt: skip
    settings = {"notebooks": [r["name"] for r in nb_rows], "quick": args.quick}
    C.write_results(
        "book", rows, C.meta(settings, seconds=time.perf_counter() - start), quick=args.quick
    )
    failed = [r["name"] for r in rows if r.get("nbval_ok") is False or r.get("build_ok") is False]
    if failed:  # measured all the same; `make test` is where failures stop the line
        print(f"WARNING: nbval or the build failed for: {failed}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

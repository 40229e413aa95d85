"""Helpers shared by the benchmark scripts: memory as the OS counts it, child processes, statistics,
and the results files.

Every benchmark that reports memory runs each case in a fresh Python process (``run_child``), so
that no case inherits another's allocations, and reads that process's memory from the operating
system (``/proc/self/status`` on Linux, ``resource.getrusage`` elsewhere). Memory figures are
reported *above a baseline*: the process's resident set after its imports (TensorFlow alone takes
about 0.6 GiB), which is reported beside them.

Timing: a warm-up call first, never counted; then the median of the timed calls, with their
number and min-max. Load: the 1-minute load average before and after each case; a case measured
above one runnable process per CPU is re-run, and the least loaded run is kept (both loads are
recorded).

Results go to ``benchmarks/results/<name>.csv`` (one row per case, for spreadsheets) and
``<name>.json`` (the same rows plus ``meta``: date, CPU count, Python and library versions,
and the exact settings). A ``--quick`` run writes ``<name>_quick.*`` so it never overwrites the
full results that the book's Performance page reads.
"""

from __future__ import annotations

import csv
import datetime as _dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parent.parent
MIB = 2**20


def quiet_tensorflow() -> None:
    """Silence TensorFlow's C++ start-up log; call before the first ``import keras``."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")


# --------------------------------------------------------------------------------------------
# memory
# --------------------------------------------------------------------------------------------
def _status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def peak_rss_mib() -> float:
    """Peak resident set size of this process in MiB (``VmHWM``; ``ru_maxrss`` without /proc)."""
    kb = _status_kb("VmHWM")
    if kb is not None:
        return kb / 1024
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / MIB if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB elsewhere


def rss_mib() -> float:
    """Current resident set size in MiB (the peak where /proc is missing)."""
    kb = _status_kb("VmRSS")
    return kb / 1024 if kb is not None else peak_rss_mib()


def rss_anon_mib() -> float | None:
    """Resident *anonymous* memory in MiB (heap, arrays), without pages mapped from files.

    ``None`` where the OS does not report it (only Linux does).
    """
    kb = _status_kb("RssAnon")
    return kb / 1024 if kb is not None else None


# --------------------------------------------------------------------------------------------
# timing and statistics
# --------------------------------------------------------------------------------------------
def time_repeats(
    fn: Callable[[], Any],
    *,
    repeat: int,
    min_repeat: int = 3,
    budget_s: float = 5.0,
) -> list[float]:
    """Call ``fn`` once to warm up, then up to ``repeat`` timed times.

    Returns the wall-clock seconds of each timed call (``time.perf_counter``), never the
    warm-up's (page faults, caches, tracing): every statistic is taken over these only. At
    least ``min_repeat`` timed calls are made; more only while the timed calls stay under
    ``budget_s`` seconds in all.
    """
    fn()  # warm-up, not counted
    times: list[float] = []
    start = time.perf_counter()
    for i in range(repeat):
        if i >= min_repeat and time.perf_counter() - start > budget_s:
            break
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def summarize(times: Sequence[float]) -> dict[str, float | int]:
    """The one statistic every benchmark reports: the median, with n, min, max and spread.

    ``spread`` is ``(max - min) / median``.
    """
    med = statistics.median(times)
    return {
        "runs": len(times),
        "seconds_median": med,
        "seconds_min": min(times),
        "seconds_max": max(times),
        "spread": (max(times) - min(times)) / med if med > 0 else 0.0,
    }


# --------------------------------------------------------------------------------------------
# load of the machine
# --------------------------------------------------------------------------------------------
def load_1min() -> float | None:
    """The 1-minute load average (runnable processes), ``None`` where the OS has none."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def busy_load() -> float:
    """The load above which a measurement counts as taken under load: one per CPU."""
    return float(os.cpu_count() or 1)


def measure_under_load(
    fn: Callable[[], dict[str, Any]], *, retries: int = 1, label: str = ""
) -> dict[str, Any]:
    """Run ``fn`` (one case), recording the load before and after; re-run it if it was loaded.

    A run whose load before or after exceeds :func:`busy_load` is repeated, up to ``retries``
    more times; the row kept is the run with the lowest load (the mean of before and after).
    The row gets ``load_before``, ``load_after``, ``under_load`` and ``attempts`` (the loads
    of every run, so a reader sees what was re-run and why).
    """
    runs: list[dict[str, Any]] = []
    for attempt in range(retries + 1):
        before = load_1min()
        row = fn()
        after = load_1min()
        loads = [v for v in (before, after) if v is not None]
        row.update(
            load_before=before,
            load_after=after,
            under_load=bool(loads) and max(loads) > busy_load(),
        )
        runs.append(row)
        if not row["under_load"]:
            break
        if attempt < retries:
            print(
                f"  {label}: load {before} -> {after} on {os.cpu_count()} CPUs; re-running",
                file=sys.stderr,
                flush=True,
            )

    def mean_load(r: dict[str, Any]) -> float:
        loads = [v for v in (r["load_before"], r["load_after"]) if v is not None]
        return sum(loads) / len(loads) if loads else 0.0

    best = min(runs, key=mean_load)
    best["attempts"] = [[r["load_before"], r["load_after"]] for r in runs]
    return best


# --------------------------------------------------------------------------------------------
# child processes
# --------------------------------------------------------------------------------------------
_CHILD_VERSIONS: dict[str, str] = {}


def child_versions() -> dict[str, str]:
    """Versions of the libraries this process imported, and the Keras backend it ran on.

    Called in the child, which is the process that imports them (the parent imports none).
    """
    out = {}
    for name in ("numpy", "scipy", "keras", "tensorflow", "jax", "jaxlib", "seqshape"):
        mod = sys.modules.get(name)
        if mod is not None:
            out[name] = str(getattr(mod, "__version__", "?"))
    keras = sys.modules.get("keras")
    if keras is not None:
        out["keras_backend"] = keras.backend.backend()
    return out


def child_output(row: dict[str, Any]) -> str:
    """The line a child prints last: its result row plus the versions it ran with."""
    return json.dumps({**row, "_versions": child_versions()})


def run_child(
    script: str, args: Iterable[str], *, timeout: float = 600, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run ``python script --child ARGS`` in a fresh process; return the JSON on its last line.

    ``env`` adds variables (e.g. ``KERAS_BACKEND``). The versions the child reports (see
    :func:`child_output`) are collected for :func:`meta` and taken out of the row.
    """
    cmd = [sys.executable, script, "--child", *args]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0", **(env or {})}
    proc = subprocess.run(
        cmd, capture_output=True, text=True, check=False, timeout=timeout, env=env
    )
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise RuntimeError(
            f"child {' '.join(cmd[1:])} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
        )
    row = json.loads(lines[-1])
    for key, value in row.pop("_versions", {}).items():
        if key == "keras_backend":
            backends = set(_CHILD_VERSIONS.get(key, "").split(",")) - {""}
            value = ",".join(sorted(backends | {value}))
        _CHILD_VERSIONS[key] = value
    return row


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------
def meta(settings: dict[str, Any], *, seconds: float) -> dict[str, Any]:
    """What a results file says about the run: when, where, with what, and how long it took.

    ``versions`` are those the child processes reported (they import the libraries; the
    parent does not); where no child reported, those this process imported; failing both,
    the installed versions of the same libraries.
    """
    versions = dict(_CHILD_VERSIONS) or child_versions()  # the children's, or this process's
    if not versions:
        from importlib import metadata

        for name in ("numpy", "scipy", "keras", "tensorflow", "tensorflow-cpu", "jax", "nbval"):
            try:
                versions[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                continue
    return {
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
        "load_1min_at_end": load_1min(),
        "busy_load": busy_load(),
        "total_seconds": round(seconds, 1),
        "settings": settings,
    }


def write_results(
    name: str, rows: list[dict[str, Any]], meta_: dict[str, Any], *, quick: bool
) -> Path:
    """Write ``rows`` to ``results/<name>.csv`` and ``{meta, rows}`` to ``<name>.json``."""
    stem = f"{name}_quick" if quick else name
    RESULTS.mkdir(parents=True, exist_ok=True)
    fields: list[str] = []
    for row in rows:
        fields += [k for k in row if k not in fields]
    with open(RESULTS / f"{stem}.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {k: (json.dumps(v) if isinstance(v, (list, dict)) else v) for k, v in row.items()}
            )
    (RESULTS / f"{stem}.json").write_text(
        json.dumps({"meta": meta_, "rows": rows}, indent=2) + "\n"
    )
    print(f"written: {RESULTS / (stem + '.csv')} and .json")
    return RESULTS / f"{stem}.json"


def print_table(rows: list[dict[str, Any]], columns: list[tuple[str, str, str]]) -> None:
    """Print ``rows`` as a fixed-width table; ``columns`` are ``(key, header, format)``."""
    cells = [[("" if r.get(k) is None else format(r[k], f)) for k, _, f in columns] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, (_, h, _) in enumerate(columns)]
    line = "  ".join(
        h.rjust(w) if i else h.ljust(w)
        for i, ((_, h, _), w) in enumerate(zip(columns, widths, strict=True))
    )
    print(line)
    print("-" * len(line))
    for c in cells:
        print(
            "  ".join(
                v.rjust(w) if i else v.ljust(w)
                for i, (v, w) in enumerate(zip(c, widths, strict=True))
            )
        )

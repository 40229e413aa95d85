"""Scaling out: one process against two worker processes on 127.0.0.1, and the cost of the all-reduce.

Every case trains the same small model (``LSTM(8)`` then ``Dense(1)``) for one epoch on the same
windows (24 steps, stride 1) of one memory-mapped ``.npy`` file, from the same initial weights,
with SGD (momentum 0.9) and a global batch of 64 windows. Each case is a run of
``seqshape.distribute.launch`` (fresh processes, bounded in time):

``tf_fit_1proc``
    one process, plain ``model.fit``: the reference weights;
``tf_step_1proc_b64`` / ``tf_step_1proc_b32``
    one process, the custom training step, batch 64 (the same global batch) and batch 32 (the
    same work per replica as one of two workers);
``tf_step_2workers``
    two workers under ``MultiWorkerMirroredStrategy``, each feeding its shard with 32 windows per
    step; after training each times ``ALLREDUCE_REPEATS`` all-reduces of gradient-sized tensors;
``tf_fit_2workers``
    two workers, plain ``model.fit`` under the same strategy: expected to fail in Keras 3.15
    (keras-team/keras#20585); the error is recorded;
``jax_dataparallel_1proc``
    one process, ``keras.distribution.DataParallel`` over two JAX CPU devices
    (``XLA_FLAGS=--xla_force_host_platform_device_count=2``), ``model.fit``;
``jax_dataparallel_2proc``
    two processes joined by ``keras.distribution.initialize``, one CPU device each.

Per case: the median seconds per training step after ``SKIP_STEPS`` warm-up steps (tracing),
windows/s = global batch / that median, the wall time of the whole launch (start-up included),
and the largest weight difference from ``tf_fit_1proc``.

Caveat: on a 2-core machine, two workers share the cores the single process had, so the
two-worker figures measure the cost of coordination, not a speed-up.

Usage: ``python benchmarks/bench_distribute.py`` (about 5 minutes on 2 cores); ``--quick`` for a
smoke run. Results: ``benchmarks/results/distribute.csv``/``.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _common as C
import numpy as np

C.quiet_tensorflow()
sys.path.insert(0, str(C.ROOT / "companion"))

from seqshape import distribute as dist  # noqa: E402

LENGTH, FEATURES, LR = 24, 2, 0.05
STEPS, QUICK_STEPS = 2_000, 600  # the book's series: 1976 windows (31 global batches of 64)
PER_REPLICA = 32
ALLREDUCE_REPEATS = 200
SKIP_STEPS = 3
TIMEOUT_S = 400
WORKER = [sys.executable, "-m", "seqshape.distribute", "train"]

# name, route, processes, per-process batch, extra environment
CASES: list[tuple[str, str, int, int, dict[str, str]]] = [
    ("tf_fit_1proc", "tf-fit", 1, 64, {}),
    ("tf_step_1proc_b64", "tf-custom-step", 1, 64, {}),
    ("tf_step_1proc_b32", "tf-custom-step", 1, 32, {}),
    ("tf_step_2workers", "tf-custom-step", 2, 32, {}),
    ("tf_fit_2workers", "tf-fit", 2, 32, {}),
    ("jax_dataparallel_1proc", "jax-dataparallel", 1, 32,
     {"KERAS_BACKEND": "jax", "XLA_FLAGS": "--xla_force_host_platform_device_count=2"}),
    ("jax_dataparallel_2proc", "jax-dataparallel", 2, 32, {"KERAS_BACKEND": "jax"}),
]


def write_inputs(tmp: Path, steps: int) -> tuple[Path, Path]:
    """The series file (what every worker memory-maps) and the shared initial weights."""
    np.save(tmp / "series.npy", dist.example_series(steps))
    import keras

    keras.utils.set_random_seed(0)
    dist.save_weights_npz(dist.build_model(LENGTH, FEATURES), tmp / "init.npz")
    return tmp / "series.npy", tmp / "init.npz"


def error_summary(stderr: str) -> str:
    """The exception's first line and its last line, without the tensor dump in between."""
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    first = next((ln for ln in lines if re.match(r"^[A-Za-z_.]*(Error|Exception):", ln)), "")
    return f"{first} ... {lines[-1]}" if first and first != lines[-1] else (first or lines[-1])


def run_case(name: str, route: str, procs: int, batch: int, env: dict[str, str],
             data: Path, init: Path, tmp: Path) -> dict[str, Any]:
    out = tmp / name
    out.mkdir()
    cmd = [*WORKER, "--route", route, "--data", data, "--init", init, "--out", out,
           "--length", str(LENGTH), "--batch-size", str(batch), "--lr", str(LR)]
    if route == "tf-custom-step" and procs > 1:
        cmd += ["--time-allreduce", str(ALLREDUCE_REPEATS)]
    full_env = {"PYTHONPATH": str(C.ROOT / "companion"), "KERAS_BACKEND": "tensorflow", **env}
    row: dict[str, Any] = {"case": name, "route": route, "processes": procs,
                           "backend": full_env["KERAS_BACKEND"]}
    t0 = time.perf_counter()
    try:
        dist.launch(cmd, num_workers=procs, timeout=TIMEOUT_S, env=full_env)
    except dist.WorkerFailed as exc:
        row.update(ok=False, wall_seconds=time.perf_counter() - t0,
                   error=error_summary(next(r.stderr for r in exc.results if r.returncode not in (0, -15, -9))))
        return row
    row["wall_seconds"] = time.perf_counter() - t0
    reports = [json.loads((out / f"worker{i}.json").read_text()) for i in range(procs)]
    rep = reports[0]
    steps = rep["step_seconds"][SKIP_STEPS:]
    median = statistics.median(steps)
    # Checked where several processes split the windows and each recorded its own.
    seen = [r["seen"] for r in reports]
    check = dist.check_exactly_once(seen, rep["n_windows"]) if procs > 1 and all(seen) else None
    row.update(
        ok=True,
        replicas=rep["replicas"],
        per_replica_batch=rep["global_batch"] // rep["replicas"],
        global_batch=rep["global_batch"],
        steps=rep["steps_per_epoch"],
        n_windows=rep["n_windows"],
        step_ms_median=1000 * median,
        step_ms_p90=1000 * float(np.quantile(steps, 0.9)),
        windows_per_s=rep["global_batch"] / median,
        exactly_once=None if check is None else check["ok"],
        allreduce_ms_median=(1000 * statistics.median(rep["allreduce_seconds"])
                             if rep.get("allreduce_seconds") else None),
        n_parameters=rep.get("n_parameters"),
        epoch_loss=rep["losses"][-1],  # mean loss per window over the epoch, during training
    )
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run on a short series")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    load_before = os.getloadavg()[0]
    steps = QUICK_STEPS if args.quick else STEPS
    rows = []
    with tempfile.TemporaryDirectory(prefix="seqshape-distribute-") as tmp_name:
        tmp = Path(tmp_name)
        data, init = write_inputs(tmp, steps)
        for name, route, procs, batch, env in CASES:
            rows.append(run_case(name, route, procs, batch, env, data, init, tmp))
            print(f"  done: {name} ({'ok' if rows[-1]['ok'] else 'failed'})", file=sys.stderr, flush=True)
        ref = dist.load_weights_npz(tmp / "tf_fit_1proc" / "weights.npz")
        for row in rows:
            path = tmp / row["case"] / "weights.npz"
            if row["ok"] and path.exists():
                w = dist.load_weights_npz(path)
                row["max_abs_dw_vs_fit"] = max(float(np.abs(a - b).max()) for a, b in zip(w, ref, strict=True))
        init_w = dist.load_weights_npz(init)
        moved = max(float(np.abs(a - b).max()) for a, b in zip(ref, init_w, strict=True))
    one = {r["case"]: r for r in rows}
    two, b32 = one["tf_step_2workers"], one["tf_step_1proc_b32"]
    derived = {
        "step_ms_2workers_minus_1proc_b32": two["step_ms_median"] - b32["step_ms_median"],
        "reference_weights_moved_max_abs": moved,
    }
    print(f"\nOne epoch of LSTM(8) on {rows[0].get('n_windows')} windows (24 steps, 2 features), "
          f"global batch 64; median over steps after the first {SKIP_STEPS}\n")
    C.print_table(rows, [
        ("case", "case", ""), ("processes", "procs", "d"), ("replicas", "replicas", "d"),
        ("step_ms_median", "ms/step", ".2f"), ("windows_per_s", "windows/s", ".0f"),
        ("allreduce_ms_median", "all-reduce ms", ".2f"), ("wall_seconds", "wall s", ".1f"),
        ("max_abs_dw_vs_fit", "max |dw|", ".1e"), ("ok", "ok", ""),
    ])
    for r in rows:
        if not r["ok"]:
            print(f"\n{r['case']} failed: {r['error']}")
    print(f"\nstep time, two workers minus one process at the same per-replica batch: "
          f"{derived['step_ms_2workers_minus_1proc_b32']:.2f} ms")
    print("Two workers on two cores measure coordination cost, not a speed-up.")
    from importlib.metadata import version

    settings = {"length": LENGTH, "features": FEATURES, "series_steps": steps, "lr": LR, "jax": version("jax"),
                "per_replica_batch": PER_REPLICA, "allreduce_repeats": ALLREDUCE_REPEATS,
                "skip_steps": SKIP_STEPS, "load_1min_at_start": load_before, "derived": derived}
    C.write_results("distribute", rows, C.meta(settings, seconds=time.perf_counter() - start),
                    quick=args.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

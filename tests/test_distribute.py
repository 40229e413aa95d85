"""Tests for seqshape.distribute: two real worker processes on 127.0.0.1 under
MultiWorkerMirroredStrategy, the exactly-once split of the windows, agreement with a one-process
``model.fit``, and the launcher's clean-up when a worker dies or time runs out.

Two tests start real TensorFlow workers (each run takes 20-50 s on 2 cores, mostly the
TensorFlow imports); the launcher's clean-up is also checked with light `sh`/`python -c` workers.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from seqshape import distribute as dist

LENGTH, BATCH, LR = 24, 32, 0.05  # per-worker batch 32: global batch 64 with two workers
N_STEPS = 400                      # 376 windows: 5 full global batches and one of 56
TOLERANCE = 1e-5                   # max |weight difference| allowed against the one-process run
WORKER = [sys.executable, "-m", "seqshape.distribute", "train"]
# The workers import this very copy of seqshape, and TensorFlow as the Keras backend.
_COMPANION = str(Path(dist.__file__).resolve().parent.parent)
ENV = {
    "PYTHONPATH": os.pathsep.join(p for p in (_COMPANION, os.environ.get("PYTHONPATH")) if p),
    "KERAS_BACKEND": "tensorflow",
}


def _series(path: Path) -> Path:
    np.save(path, dist.example_series(N_STEPS))
    return path


def _assert_gone(results: list[dist.WorkerResult]) -> None:
    """No process left in any worker's process group, and no listener on any worker's port."""
    for r in results:
        with pytest.raises(ProcessLookupError):
            os.killpg(r.pid, 0)
        port = int(r.address.rsplit(":", 1)[1])
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # ignore TIME_WAIT, not listeners
        try:
            s.bind((dist.LOOPBACK, port))
            s.listen()
        finally:
            s.close()


def test_two_workers_see_every_window_once_and_match_one_process_fit(tmp_path: Path) -> None:
    """One epoch with two workers, from initial weights that the test process wrote.

    One test rather than two, so that the two-worker run happens once even when pytest-xdist
    spreads the tests of this file over several processes.
    """
    import keras

    from seqshape.windows import WindowDataset

    data = _series(tmp_path / "series.npy")
    keras.utils.set_random_seed(0)
    dist.save_weights_npz(dist.build_model(LENGTH, 2), tmp_path / "init.npz")
    dist.launch(
        [*WORKER, "--data", data, "--out", tmp_path, "--init", tmp_path / "init.npz",
         "--length", str(LENGTH), "--batch-size", str(BATCH), "--lr", str(LR)],
        num_workers=2, timeout=150, env=ENV,
    )
    reports = [json.loads((tmp_path / f"worker{i}.json").read_text()) for i in range(2)]

    # 1. Every window index is seen exactly once across the workers of the epoch.
    n = reports[0]["n_windows"]
    check = dist.check_exactly_once([r["seen"] for r in reports], n)
    print("exactly-once check:", {k: check[k] for k in ("per_worker", "total", "n_windows", "ok")},
          "duplicates:", len(check["duplicates"]), "missing:", len(check["missing"]))
    assert n == N_STEPS - LENGTH  # horizon 1, stride 1
    assert check["ok"], check
    assert check["per_worker"] == [n // 2, n // 2]
    # Worker k holds windows k, k + 2, k + 4, ...: the shard is a stride over the windows.
    for k, r in enumerate(reports):
        assert r["seen"] == list(range(k, n, 2))
        assert r["global_batch"] == 2 * BATCH and r["replicas"] == 2

    # 2. The replicas end identical, and the chief (worker 0) alone wrote the checkpoint.
    w0 = dist.load_weights_npz(tmp_path / "weights_worker0.npz")
    w1 = dist.load_weights_npz(tmp_path / "weights_worker1.npz")
    assert all(np.array_equal(a, b) for a, b in zip(w0, w1, strict=True))
    chief = dist.load_weights_npz(tmp_path / "weights.npz")
    assert all(np.array_equal(a, b) for a, b in zip(chief, w0, strict=True))

    # 3. The weights match a one-process model.fit on the same global batches.
    x = np.load(data, mmap_mode="r")
    model = dist.build_model(LENGTH, 2)
    init = dist.load_weights_npz(tmp_path / "init.npz")
    model.set_weights(init)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=LR, momentum=0.9), loss="mse")
    ds = WindowDataset(x, x[:, 0], length=LENGTH, batch_size=2 * BATCH)  # the same global batches
    model.fit(ds, epochs=1, verbose=0, shuffle=False)
    ref = model.get_weights()
    diff = max(float(np.abs(a - b).max()) for a, b in zip(ref, w0, strict=True))
    moved = max(float(np.abs(a - b).max()) for a, b in zip(ref, init, strict=True))
    print(f"two workers vs one-process fit: max |dw| = {diff:.2e}; training moved weights by up to {moved:.3f}")
    assert moved > 1000 * TOLERANCE  # training changed the weights: agreement is not trivial
    assert diff < TOLERANCE


def test_dying_worker_stops_the_run_and_cleans_up(tmp_path: Path) -> None:
    data = _series(tmp_path / "series.npy")
    with pytest.raises(dist.WorkerFailed) as info:
        dist.launch(
            [*WORKER, "--data", data, "--out", tmp_path, "--length", str(LENGTH),
             "--batch-size", str(BATCH), "--crash-at-step", "2"],
            num_workers=2, timeout=150, env=ENV,
        )
    message = str(info.value)
    print(message)
    assert "worker 1 of 2 exited with code 3" in message
    assert "stopping at step 2 on purpose" in message  # the culprit's own stderr is quoted
    codes = {r.index: r.returncode for r in info.value.results}
    assert codes[1] == 3
    assert codes[0] != 0  # the survivor, blocked in the all-reduce, was stopped by the launcher
    assert not (tmp_path / "weights.npz").exists()
    _assert_gone(info.value.results)


def test_timeout_stops_every_process_group() -> None:
    # Each worker starts a grandchild: the process group, not only the worker, must go.
    sleeper = ["sh", "-c", "sleep 60 & sleep 60"]
    with pytest.raises(dist.WorkerFailed, match=r"still running after timeout=1 s") as info:
        dist.launch(sleeper, num_workers=2, timeout=1, grace=1)
    assert all(r.returncode == -15 for r in info.value.results)  # SIGTERM from the launcher
    _assert_gone(info.value.results)


def test_sigterm_to_the_launcher_stops_the_workers(tmp_path: Path) -> None:
    script = (
        "import sys; from seqshape import distribute as d; "
        f"d.launch(['sh', '-c', 'echo $$ > {tmp_path}/pid$SEQSHAPE_WORKER_INDEX; sleep 60'], "
        "num_workers=2, timeout=60, grace=1)"
    )
    launcher = subprocess.Popen([sys.executable, "-c", script], env={**os.environ, **ENV})
    try:
        pid_files = [tmp_path / f"pid{i}" for i in range(2)]
        deadline = time.monotonic() + 90  # python start-up on a loaded machine
        while not all(p.exists() and p.read_text().strip() for p in pid_files):
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.05)
        pids = [int(p.read_text()) for p in pid_files]
        launcher.terminate()
        assert launcher.wait(timeout=20) == 128 + 15  # SystemExit(143) from the SIGTERM handler
    finally:
        launcher.kill()
        launcher.wait()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.killpg(pid, 0)


def test_cli_exits_non_zero_with_a_clear_message() -> None:
    code = "import os, sys; sys.exit(5 * int(os.environ['SEQSHAPE_WORKER_INDEX']))"
    proc = subprocess.run(
        [sys.executable, "-m", "seqshape.distribute", "launch", "--workers", "2", "--timeout", "30",
         "--", sys.executable, "-c", code],
        capture_output=True, text=True, timeout=60, env={**os.environ, **ENV}, check=False,
    )
    assert proc.returncode == 1
    assert "launch failed: worker 1 of 2 exited with code 5" in proc.stderr


def test_workers_get_their_own_addresses() -> None:
    code = "import json, os; print(os.environ['TF_CONFIG'])"
    results = dist.launch([sys.executable, "-c", code], num_workers=2, timeout=30)
    configs = [json.loads(r.stdout) for r in results]
    assert [c["task"]["index"] for c in configs] == [0, 1]
    cluster = configs[0]["cluster"]["worker"]
    assert cluster == configs[1]["cluster"]["worker"] == [r.address for r in results]
    assert all(a.startswith("127.0.0.1:") for a in cluster) and len(set(cluster)) == 2


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"command": []}, "command must name a program"),
        ({"command": ["true"], "num_workers": 0}, "num_workers must be an int >= 1, got 0"),
        ({"command": ["true"], "timeout": 0}, "timeout must be a positive number, got 0; timeout is in seconds"),
    ],
)
def test_launch_errors(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        dist.launch(**kwargs)


def test_tf_config_errors() -> None:
    with pytest.raises(ValueError, match="host:port"):
        dist.tf_config(["localhost"], 0)
    with pytest.raises(ValueError, match=r"index must be an int in \[0, 1\], got 2; index picks one of the 2"):
        dist.tf_config(["127.0.0.1:1", "127.0.0.1:2"], 2)
    with pytest.raises(TypeError, match=r"index must be an int in \[0, 1\], got bool True"):
        dist.tf_config(["127.0.0.1:1", "127.0.0.1:2"], True)
    with pytest.raises(TypeError, match=r"n must be an int >= 1, got float 2.0"):
        dist.free_ports(2.0)
    with pytest.raises(TypeError, match=r"num_workers must be an int >= 1, got str"):
        dist.launch(["true"], num_workers="2")


def test_exactly_once_reports_duplicates_and_missing() -> None:
    check = dist.check_exactly_once([[0, 1, 2], [2, 4]], 5)
    assert not check["ok"]
    assert check["duplicates"] == [2] and check["missing"] == [3] and check["overlap"] == [2]


def test_import_does_not_load_tensorflow() -> None:
    code = "import sys, seqshape.distribute; print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, **ENV}, timeout=60)
    assert out.stdout.split() == ["False", "False"]

"""Execute notebooks top to bottom under another Keras backend (JAX by default) and report.

The stored outputs are TensorFlow's; under another backend only *execution* is checked: every cell
must run, except cells tagged ``raises-exception``, which must raise (any exception). Their error
text may be the backend's own, so for each of those cells the report says whether the exception
type and message match the stored ones. Nothing is written back into the notebooks.

Usage::

    KERAS_BACKEND=jax python tests/backend_pass.py book/errors.ipynb ...
    python tests/backend_pass.py --backend torch --jobs 2 book/*.ipynb

``--report FILE`` writes the findings as JSON (``tests/run_suite.py`` writes
``_build/test-reports/jax.json``). The exit status is non-zero when a notebook fails to execute.
GPUs are hidden (``CUDA_VISIBLE_DEVICES=""``), as in the TensorFlow pass.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_NAME_NUMBER = re.compile(r"(['\"][a-z0-9_]+?)_\d+(['\"])")  # 'lstm_5' -> 'lstm'


def _first_line(text: str) -> str:
    lines = [line for line in _ANSI.sub("", text).splitlines() if line.strip()]
    return lines[0] if lines else ""


def _errors(cell: dict) -> list[tuple[str, str]]:
    return [(o["ename"], _ANSI.sub("", o["evalue"])) for o in cell.get("outputs", []) if o["output_type"] == "error"]


def execute_one(path: Path, backend: str, timeout: int = 600) -> dict:
    """Execute ``path`` in a fresh kernel under ``backend``; compare its error cells with the stored ones."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    stored = nbformat.read(path, as_version=4)
    run = nbformat.read(path, as_version=4)
    env_backup = {k: os.environ.get(k) for k in ("KERAS_BACKEND", "CUDA_VISIBLE_DEVICES")}
    start = time.perf_counter()
    result = {"notebook": str(path.relative_to(ROOT)), "backend": backend, "ok": True, "error": "", "differ": [], "same": 0}
    try:
        os.environ["KERAS_BACKEND"] = backend
        os.environ["CUDA_VISIBLE_DEVICES"] = ""
        # The kernel inherits this process's environment; cells tagged raises-exception may raise.
        client = NotebookClient(run, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
        client.execute()
    except CellExecutionError as exc:
        result["ok"] = False
        lines = [line.strip() for line in _ANSI.sub("", str(exc)).splitlines() if line.strip()]
        raised = [line for line in lines if re.match(r"^[A-Za-z_.]*(Error|Exception|Warning)\b", line)]
        result["error"] = (raised[-1] if raised else lines[-1] if lines else str(exc))[:300]
        # which cell: the first code cell that stores an error without the tag
        for index, cell in enumerate(run.cells):
            tags = cell.get("metadata", {}).get("tags", [])
            if cell.cell_type == "code" and _errors(cell) and "raises-exception" not in tags:
                result["cell"] = index
                result["source"] = cell.source.splitlines()[:3]
                break
    except Exception as exc:  # a kernel that dies or times out is a failure too
        result["ok"], result["error"] = False, f"{type(exc).__name__}: {exc}"[:300]
    finally:
        for key, value in env_backup.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    result["seconds"] = round(time.perf_counter() - start, 1)
    if not result["ok"]:
        return result
    for index, (old, new) in enumerate(zip(stored.cells, run.cells, strict=True)):
        if "raises-exception" not in old.get("metadata", {}).get("tags", []):
            continue
        before, after = _errors(old), _errors(new)
        if not after:
            result["ok"] = False
            result["error"] = f"cell {index} is tagged raises-exception but raised nothing under {backend}"
            return result
        same = [(n, _NAME_NUMBER.sub(r"\1\2", v)) for n, v in before] == [(n, _NAME_NUMBER.sub(r"\1\2", v)) for n, v in after]
        if same:
            result["same"] += 1
        else:
            result["differ"].append({
                "cell": index,
                "source": old.source.splitlines()[0][:100],
                "tensorflow": [f"{n}: {_first_line(v)}"[:300] for n, v in before],
                backend: [f"{n}: {_first_line(v)}"[:300] for n, v in after],
            })  # fmt: skip
    return result


def run_pass(paths: list[Path], backend: str, jobs: int = 1) -> list[dict]:
    """Each notebook in its own process (a fresh Keras import per backend), ``jobs`` at a time."""

    def one(path: Path) -> dict:
        proc = subprocess.run(
            [sys.executable, __file__, "--backend", backend, "--single", str(path)],
            cwd=ROOT, capture_output=True, text=True, env={**os.environ, "KERAS_BACKEND": backend, "CUDA_VISIBLE_DEVICES": ""},
        )  # fmt: skip
        try:
            return json.loads(proc.stdout.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            return {"notebook": str(path), "backend": backend, "ok": False, "error": (proc.stderr or proc.stdout)[-500:], "differ": [], "same": 0}

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, paths))


def summarize(results: list[dict]) -> str:
    lines = []
    for r in results:
        status = "ok  " if r["ok"] else "FAIL"
        extra = f"{r.get('same', 0)} error cells same text, {len(r['differ'])} differ" if r["ok"] else r["error"]
        where = f" (cell {r['cell']}: {r.get('source', [''])[0]!r})" if "cell" in r else ""
        lines.append(f"{status} {r['notebook']} [{r['backend']}] {r.get('seconds', 0):.0f} s: {extra}{where}")
        for d in r.get("differ", []):
            lines.append(f"       cell {d['cell']} {d['source']!r}")
            lines.append(f"         tensorflow: {d['tensorflow']}")
            lines.append(f"         {r['backend']}: {d[r['backend']]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--backend", default=os.environ.get("KERAS_BACKEND_PASS", "jax"), choices=["jax", "torch", "tensorflow", "numpy"])
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--report", type=Path, help="write the findings as JSON here")
    parser.add_argument("--single", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks]
    if args.single:
        print(json.dumps(execute_one(paths[0], args.backend)))
        return 0
    results = run_pass(paths, args.backend, args.jobs)
    print(summarize(results))
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

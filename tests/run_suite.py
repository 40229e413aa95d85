"""Run the whole test suite in three parts and print each part's result.

0. lint: ruff over the package, tests, benchmarks and notebooks;
1. unit: the companion's unit, property (hypothesis) and doctests (plain pytest, see pyproject.toml),
   without the environment checks;
1a. numpy-floor: the tests of the modules that need only NumPy (windows, anomaly, align, features,
   grids, the dtype/layout matrix) and their doctests again, with the lowest NumPy that
   ``pyproject.toml`` declares (``numpy>=X``) installed over the locked one
   (``_build/numpy-X``, fetched once with ``pip install --no-deps --target``);
1b. environment: what depends on the installed environment rather than on the code: the setup
   check (``seqshape.check``), the project layout (``tests/test_project.py``) and the data loaders
   that need optional packages (``tests/environment/``, ``seqshape.datasets`` doctests);
2. notebooks: strict nbval over every notebook listed in ``_toc.yml``, in parallel by file;
3. jax: the unit tests again, and every notebook in ``_toc.yml`` executed top to bottom, under
   ``KERAS_BACKEND=jax`` (``tests/backend_pass.py``: execution only; cells tagged
   ``raises-exception`` must still raise, and the report ``_build/test-reports/jax.json`` lists
   those whose text differs from TensorFlow's);
4. site: a clean Jupyter Book build with warnings as errors;
5. browser: every built page opened in headless Chromium (``tests/browser_check.py``); skipped,
   with a message, where Chromium is not installed.

GPUs are hidden from every part (``CUDA_VISIBLE_DEVICES=""``): the stored outputs were made on a
CPU, and cuDNN kernels and device lists would change what nbval compares.

Every part runs even when an earlier one fails, so one run shows everything that is broken. The exit
status is non-zero when any part fails. Usage: ``python tests/run_suite.py [--jobs N] [--only PART]``
(``make test`` calls it).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "_build" / "test-reports"
BIN = Path(sys.executable).parent


@dataclass
class Result:
    name: str
    ok: bool
    seconds: float
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    detail: str = ""


def toc_files(toc: Path = ROOT / "_toc.yml") -> list[Path]:
    """All page files named in ``_toc.yml``, resolved to existing paths, in book order."""

    def walk(node: object) -> list[str]:
        if isinstance(node, dict):
            found = [node["file"]] if "file" in node else []
            if "root" in node:
                found.insert(0, node["root"])
            for value in node.values():
                if isinstance(value, (list, dict)):
                    found += walk(value)
            return found
        if isinstance(node, list):
            return [f for item in node for f in walk(item)]
        return []

    paths = []
    for name in walk(yaml.safe_load(toc.read_text(encoding="utf-8"))):
        candidates = [ROOT / f"{name}{ext}" for ext in (".ipynb", ".md", "")]
        match = next((p for p in candidates if p.is_file()), None)
        if match is None:
            raise FileNotFoundError(f"_toc.yml lists {name!r}, but no {name}.ipynb or {name}.md exists")
        paths.append(match)
    return paths


def toc_notebooks() -> list[Path]:
    return [p for p in toc_files() if p.suffix == ".ipynb"]


def junit_counts(xml_path: Path) -> tuple[int, int, int]:
    """(passed, failed, skipped) from a pytest JUnit XML report."""
    if not xml_path.is_file():
        return 0, 0, 0
    root = ET.parse(xml_path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    tests = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    return tests - failed - skipped, failed, skipped


def run(cmd: list[str]) -> tuple[int, float]:
    print("$", " ".join(cmd), flush=True)
    start = time.perf_counter()
    code = subprocess.call(cmd, cwd=ROOT)
    return code, time.perf_counter() - start


def part_lint() -> Result:
    code, secs = run([str(BIN / "ruff"), "check", "companion", "tests", "benchmarks", "book", "conftest.py"])
    return Result("lint (ruff)", code == 0, secs, detail="clean" if code == 0 else "see the ruff output above")


#: Tests of the environment (installed packages, data, project files), not of the code: they
#: run as their own part, so a missing optional package never reads as a broken function.
ENVIRONMENT = ["tests/environment", "tests/test_project.py", "companion/seqshape/datasets.py", "companion/seqshape/check.py"]


def part_unit(jobs: int) -> Result:
    xml = REPORTS / "unit.xml"
    cmd = [str(BIN / "python"), "-m", "pytest", "-q", f"--junitxml={xml}", *(f"--ignore={p}" for p in ENVIRONMENT)]
    if jobs > 1:
        cmd += ["-n", str(jobs)]
    code, secs = run(cmd)
    passed, failed, skipped = junit_counts(xml)
    return Result("unit, property and doctests", code == 0 and passed > 0, secs, passed, failed, skipped)


#: What the NumPy-floor part runs: the tests and doctests of every module that needs only NumPy
#: (WindowDataset's tests in test_windows.py and the matrix also import Keras and TensorFlow).
FLOOR_TESTS = [
    "tests/test_windows.py", "tests/test_anomaly.py", "tests/test_align.py", "tests/test_features.py",
    "tests/test_grids.py", "tests/test_matrix.py", "companion/seqshape/_validation.py",
    "companion/seqshape/windows.py", "companion/seqshape/_dataset.py", "companion/seqshape/anomaly.py",
    "companion/seqshape/align.py", "companion/seqshape/features.py", "companion/seqshape/grids.py",
]  # fmt: skip


def numpy_floor(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The ``X`` of the ``numpy>=X`` runtime dependency that ``pyproject.toml`` declares."""
    deps = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    found = [m.group(1) for d in deps if (m := re.fullmatch(r"numpy\s*>=\s*([\w.]+)\s*(,.*)?", d.strip()))]
    if len(found) != 1:
        raise ValueError(f"pyproject.toml must declare numpy as 'numpy>=X' once, got {deps!r}")
    return found[0]


def part_numpy_floor() -> Result:
    """FLOOR_TESTS with the declared lowest NumPy put in front of the locked one on sys.path."""
    version = numpy_floor()
    name = f"NumPy floor (numpy=={version})"
    target = ROOT / "_build" / f"numpy-{version}"
    start = time.perf_counter()
    if not (target / "numpy" / "__init__.py").is_file():
        cmd = [str(BIN / "python"), "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), f"numpy=={version}"]
        code, _ = run(cmd)
        if code != 0:
            return Result(name, False, time.perf_counter() - start, detail=f"pip could not install numpy=={version}")
    path = [str(target), str(ROOT / "companion"), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in path if p)}
    probe = [str(BIN / "python"), "-c", "import numpy; print(numpy.__version__)"]
    seen = subprocess.run(probe, cwd=ROOT, env=env, capture_output=True, text=True).stdout.strip()
    if seen != version:
        return Result(name, False, time.perf_counter() - start, detail=f"the tests would import numpy {seen or '(none)'}")
    xml = REPORTS / "numpy-floor.xml"
    cmd = [str(BIN / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={xml}", *FLOOR_TESTS]
    print(f"$ PYTHONPATH={target}:companion", " ".join(cmd), flush=True)
    code = subprocess.call(cmd, cwd=ROOT, env=env)
    passed, failed, skipped = junit_counts(xml)
    return Result(name, code == 0 and passed > 0, time.perf_counter() - start, passed, failed, skipped)


def part_environment() -> Result:
    xml = REPORTS / "environment.xml"
    code, secs = run([str(BIN / "python"), "-m", "pytest", "-q", f"--junitxml={xml}", *ENVIRONMENT])
    passed, failed, skipped = junit_counts(xml)
    return Result("environment checks", code == 0 and passed > 0, secs, passed, failed, skipped)


def part_notebooks(jobs: int) -> Result:
    notebooks = toc_notebooks()
    xml = REPORTS / "notebooks.xml"
    cmd = [
        str(BIN / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider",
        "-o", "addopts=", "-o", "testpaths=",
        "--nbval", "--nbval-current-env", "--nbval-cell-timeout=300",
        "--nbval-sanitize-with", "tests/sanitize.cfg", f"--junitxml={xml}",
    ]  # fmt: skip
    if jobs > 1 and len(notebooks) > 1:
        cmd += ["-n", str(min(jobs, len(notebooks))), "--dist", "loadfile"]
    code, secs = run(cmd + [str(p.relative_to(ROOT)) for p in notebooks])
    passed, failed, skipped = junit_counts(xml)
    detail = f"{len(notebooks)} notebooks checked"
    return Result("notebooks (strict nbval)", code == 0 and passed > 0, secs, passed, failed, skipped, detail)


def part_jax(jobs: int) -> Result:
    """Unit tests and every toc notebook under KERAS_BACKEND=jax (execution only)."""
    env = {**os.environ, "KERAS_BACKEND": "jax"}
    xml = REPORTS / "unit-jax.xml"
    cmd = [str(BIN / "python"), "-m", "pytest", "-q", f"--junitxml={xml}"] + (["-n", str(jobs)] if jobs > 1 else [])
    print("$ KERAS_BACKEND=jax", " ".join(cmd), flush=True)
    start = time.perf_counter()
    unit_code = subprocess.call(cmd, cwd=ROOT, env=env)
    passed, failed, skipped = junit_counts(xml)
    notebooks = toc_notebooks()
    report = REPORTS / "jax.json"
    cmd = [str(BIN / "python"), "tests/backend_pass.py", "--backend", "jax", "--jobs", str(jobs), "--report", str(report)]
    print("$", " ".join(cmd), "<toc notebooks>", flush=True)
    nb_code = subprocess.call(cmd + [str(p.relative_to(ROOT)) for p in notebooks], cwd=ROOT, env=env)
    secs = time.perf_counter() - start
    findings = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else []
    ok_nb = sum(r["ok"] for r in findings)
    differ = sum(len(r["differ"]) for r in findings)
    detail = f"{ok_nb} of {len(notebooks)} notebooks execute; {differ} error cells show another text (see {report.relative_to(ROOT)})"
    ok = unit_code == 0 and passed > 0 and nb_code == 0 and ok_nb == len(notebooks)
    return Result("JAX backend (unit + notebooks)", ok, secs, passed + ok_nb, failed + len(notebooks) - ok_nb, skipped, detail)


def part_site() -> Result:
    for stale in (ROOT / "_build" / "html", ROOT / "_build" / ".doctrees"):
        shutil.rmtree(stale, ignore_errors=True)  # no page left over from an earlier build
    code, secs = run([str(BIN / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"])
    pages = len(list((ROOT / "_build" / "html").rglob("*.html"))) if code == 0 else 0
    return Result("site build (-W -n)", code == 0, secs, detail=f"{pages} HTML files in _build/html")


def part_browser() -> Result:
    print("$ python tests/browser_check.py", flush=True)
    start = time.perf_counter()
    proc = subprocess.run([str(BIN / "python"), "tests/browser_check.py"], cwd=ROOT, capture_output=True, text=True)
    print(proc.stdout + proc.stderr, end="", flush=True)
    secs = time.perf_counter() - start
    last = (proc.stdout.strip().splitlines() or [""])[-1]
    if "SKIPPED" in last:
        return Result("browser check", proc.returncode == 0, secs, skipped=1, detail=last)
    ok = proc.returncode == 0
    return Result("browser check", ok, secs, passed=int(ok), failed=int(not ok), detail=last.removeprefix("browser check: "))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="parallel pytest workers (default 2)")
    parser.add_argument("--only", choices=["lint", "unit", "numpy-floor", "environment", "notebooks", "jax", "site", "browser"], help="run one part only")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    os.environ["CUDA_VISIBLE_DEVICES"] = ""  # outputs are compared as a CPU made them
    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    REPORTS.mkdir(parents=True, exist_ok=True)

    parts = {
        "lint": part_lint,
        "unit": lambda: part_unit(args.jobs),
        "numpy-floor": part_numpy_floor,
        "environment": part_environment,
        "notebooks": lambda: part_notebooks(args.jobs),
        "jax": lambda: part_jax(args.jobs),
        "site": part_site,
        "browser": part_browser,
    }
    results = []
    for name, part in parts.items():
        if args.only not in (None, name):
            continue
        if name == "browser" and results and not results[-1].ok:
            results.append(Result("browser check", False, 0.0, failed=1, detail="not run: the site build failed"))
            continue
        results.append(part())

    print("\n== make test summary ==")
    for r in results:
        counts = f"{r.passed} passed, {r.failed} failed, {r.skipped} skipped" if r.passed or r.failed or r.skipped else ""
        extra = "; ".join(x for x in (counts, r.detail) if x)
        print(f"{'PASS' if r.ok else 'FAIL'}  {r.name}: {extra} ({r.seconds:.0f} s)")
    notebooks = next((r.detail for r in results if r.name.startswith("notebooks")), "no notebooks run")
    total_passed = sum(r.passed for r in results)
    total_failed = sum(r.failed for r in results) + sum(1 for r in results if not r.ok and not r.failed)
    total_skipped = sum(r.skipped for r in results)
    print(f"{notebooks}; {sum(r.ok for r in results)} of {len(results)} parts passed")
    print(f"total: {total_passed} passed, {total_failed} failed, {total_skipped} skipped")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Colab and Binder, as far as this machine can check them.

Colab: the install block of the first code cell runs in a fresh interpreter where a fake
``google.colab`` module is importable, installs the companion from a wheel built from this
checkout into a temporary target, and the package imports from there. Off Colab the same block
prints nothing and installs nothing. Binder: the repository's own environment file is what
repo2docker reads; it must parse, pin the lock's versions and install the companion.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from tests.colab_cell import (
    BEGIN,
    COLAB_LACKS,
    END,
    apply,
    colab_url,
    install_spec,
    project,
    snippet,
    with_snippet,
)
from tests.lockfile import ENV, ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel of the companion, built from a copy of the sources (the checkout stays clean)."""
    src = tmp_path_factory.mktemp("src")
    shutil.copy(ROOT / "pyproject.toml", src)
    shutil.copy(ROOT / "README.md", src)
    shutil.copytree(ROOT / "companion", src / "companion", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    out = tmp_path_factory.mktemp("wheels")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w", str(out), str(src)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    (found,) = out.glob("seqshape-*.whl")
    return found


def _run_block(tmp_path: Path, *, on_colab: bool, spec: str) -> subprocess.CompletedProcess:
    """Execute the block in a fresh interpreter; pip installs into tmp_path/target, offline."""
    fake = tmp_path / "fake"
    if on_colab:  # a namespace package `google` (no __init__), so protobuf's google.* still imports
        (fake / "google" / "colab").mkdir(parents=True)
        (fake / "google" / "colab" / "__init__.py").write_text('"""Stands in for Colab\'s module."""\n')
    code = snippet().replace(f'SEQSHAPE = "{install_spec()}"', f"SEQSHAPE = {spec!r}")
    assert code != snippet() or spec == install_spec(), "the block no longer names SEQSHAPE on one line"
    env = {
        **os.environ,
        "PYTHONPATH": str(fake),
        "PIP_TARGET": str(tmp_path / "target"),
        "PIP_NO_INDEX": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=tmp_path)


def test_block_installs_the_companion_on_a_simulated_colab(tmp_path, wheel):
    proc = _run_block(tmp_path, on_colab=True, spec=str(wheel))
    assert proc.returncode == 0, proc.stderr
    target = tmp_path / "target"
    assert (target / "seqshape" / "__init__.py").is_file(), sorted(p.name for p in target.iterdir())
    check = subprocess.run(
        [sys.executable, "-c", "import seqshape, seqshape.windows; print(seqshape.__file__)"],
        env={**os.environ, "PYTHONPATH": str(target)}, capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert Path(check.stdout.strip()).is_relative_to(target), f"imported from {check.stdout.strip()}, not the target"


def test_block_does_nothing_and_prints_nothing_off_colab(tmp_path, wheel):
    proc = _run_block(tmp_path, on_colab=False, spec=str(wheel))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert not (tmp_path / "target").exists(), "pip ran although google.colab is not importable"


def test_install_spec_is_a_valid_requirement_read_from_the_config():
    url, branch = project()
    req = Requirement(install_spec())
    assert req.name == "seqshape" and req.url == f"git+{url}@{branch}"
    assert colab_url("book/intro.ipynb").startswith("https://colab.research.google.com/github/")
    assert colab_url("book/intro.ipynb").endswith(f"/blob/{branch}/book/intro.ipynb")


def test_colab_lacks_the_data_extra_with_the_same_bounds():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    data = {Requirement(r).name: str(Requirement(r)) for r in extras["data"]}
    for name, req in COLAB_LACKS.items():
        assert data.get(name) == req, f"pyproject's data extra has {data.get(name)!r} for {name}"


def test_inserting_the_block_is_idempotent_and_keeps_outputs(tmp_path):
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Title"]},
            {
                "cell_type": "code", "execution_count": 1, "metadata": {}, "id": "a",
                "outputs": [{"name": "stdout", "output_type": "stream", "text": ["hello\n"]}],
                "source": ['import os\n', 'os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")\n', "\n", "import keras\n", 'print("hello")'],
            },
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert apply(path) is True
    once = path.read_text(encoding="utf-8")
    assert apply(path) is False and path.read_text(encoding="utf-8") == once
    cell = json.loads(once)["cells"][1]
    source = "".join(cell["source"])
    assert source.startswith('import os\nos.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")\n\n' + BEGIN)
    assert source.index(END) < source.index("import keras")
    assert cell["outputs"] == nb["cells"][1]["outputs"] and cell["execution_count"] == 1
    # an older block is replaced, not duplicated
    old = with_snippet("import os\n\nx = 1").replace("@main", "@old-branch")
    assert with_snippet(old).count(BEGIN) == 1 and "@old-branch" not in with_snippet(old)


def _env_file() -> dict:
    return yaml.safe_load(ENV.read_text(encoding="utf-8"))


def test_binder_reads_a_valid_environment_file():
    # repo2docker uses binder/ if it exists, else the root; environment.yml wins over requirements files.
    assert not (ROOT / "binder").exists() or (ROOT / "binder" / "environment.yml").is_file()
    env = _env_file()
    deps = env["dependencies"]
    python = [d for d in deps if isinstance(d, str) and d.startswith("python")]
    assert python == ["python=3.11"], python
    assert "pip" in deps
    pip = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert "-e ." in pip, "Binder must install the companion from the clone"
    names = set()
    for line in pip:
        if line.startswith("-"):
            continue
        req = Requirement(line)  # raises on anything pip could not read
        assert str(req.specifier).startswith("=="), f"pin {line!r} exactly, as in requirements.lock"
        names.add(req.name)
    assert {"jupyterlab", "keras", "jax"} <= names, "Binder needs a notebook server, Keras and the JAX backend"


def test_binder_needs_no_network_step_beyond_pip():
    # Nothing else for repo2docker to run: no postBuild or apt.txt that this repository would have to test.
    for extra in ("postBuild", "apt.txt", "start"):
        assert not (ROOT / extra).exists() and not (ROOT / "binder" / extra).exists()
    assert re.search(r"binderhub_url:\s*https://mybinder.org", (ROOT / "_config.yml").read_text(encoding="utf-8"))

"""Check that this environment can run the book: ``python -m seqshape.check``.

Workshop attendees run it before the session. It prints one line per check and a verdict, and
exits with status 1 when something needs fixing, so it also works in scripts::

    $ python -m seqshape.check
    ok    Python 3.11.7
    ok    numpy 2.3.5 (needs >=2.0.0)
    ...
    ok    a tiny LSTM trains one step on the CPU
    All ... checks passed: this environment runs the book.

The version floors come from seqshape's own package metadata, so they cannot disagree with
``pyproject.toml``.
"""

from __future__ import annotations

import importlib
import importlib.metadata as md
import os
import platform
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Check", "check_package", "main", "required_version", "run_checks", "version_ok"]

# (distribution, import name) for everything the chapters import.
_PACKAGES = [
    ("numpy", "numpy"),
    ("scipy", "scipy"),
    ("pandas", "pandas"),
    ("matplotlib", "matplotlib"),
    ("keras", "keras"),
    ("scikit-learn", "sklearn"),
    ("statsmodels", "statsmodels"),
    ("aeon", "aeon"),
    ("pmdarima", "pmdarima"),
    ("myst-nb", "myst_nb"),
]


@dataclass(frozen=True)
class Check:
    """The outcome of one check: ``ok``, a short ``name`` and a ``detail`` that says what to do."""

    ok: bool
    name: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'}  {self.name}" + (f": {self.detail}" if self.detail else "")


def required_version(dist: str) -> str:
    """The version specifier seqshape's metadata asks for ``dist`` (``''`` when none)."""
    try:
        requires = md.requires("seqshape") or []
    except md.PackageNotFoundError:  # running from a source tree that is not installed
        return ""
    for req in requires:
        name = re.split(r"[\s;<>=!~\[]", req, maxsplit=1)[0]
        if name.lower().replace("_", "-") == dist:
            return req.split(";", 1)[0][len(name) :].strip()
    return ""


def version_ok(installed: str, spec: str) -> bool:
    """True when ``installed`` satisfies a ``>=X.Y`` floor (the only form seqshape uses)."""
    m = re.fullmatch(r">=\s*([\d.]+)", spec)
    if not m:
        return True

    def parts(v: str) -> tuple[int, ...]:
        return tuple(int(p) for p in re.findall(r"\d+", v)[:3])

    return parts(installed) >= parts(m.group(1))


def check_package(dist: str, module: str) -> Check:
    """Whether distribution ``dist`` is installed at seqshape's floor and ``module`` imports."""
    try:
        version = md.version(dist)
    except md.PackageNotFoundError:
        return Check(False, dist, f"not installed; run: pip install {dist}  (or make setup)")
    spec = required_version(dist)
    if not version_ok(version, spec):
        return Check(False, f"{dist} {version}", f"too old, needs {spec}; run: pip install -U '{dist}{spec}'")
    try:
        importlib.import_module(module)
    except Exception as exc:  # an installed package that fails to import is a broken install
        return Check(False, f"{dist} {version}", f"installed but 'import {module}' fails: {exc}")
    return Check(True, f"{dist} {version}" + (f" (needs {spec})" if spec else ""))


def _tensorflow() -> Check:
    for dist in ("tensorflow-cpu", "tensorflow", "tensorflow-macos"):
        try:
            version = md.version(dist)
            break
        except md.PackageNotFoundError:
            continue
    else:
        return Check(False, "tensorflow", "not installed; run: pip install tensorflow-cpu (Linux/Windows x86-64) or tensorflow")
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    where = f"{len(gpus)} GPU(s) visible" if gpus else "CPU only (enough for the book)"
    return Check(True, f"{dist} {version}", where)


def _keras_backend() -> Check:
    import keras

    backend = keras.config.backend()
    if backend == "tensorflow":
        return Check(True, "Keras backend 'tensorflow'")
    if backend in ("jax", "torch"):
        # The chapters execute on JAX in the test suite too; stored outputs (numbers, error texts)
        # were made on TensorFlow, so a reader sees different figures on another backend.
        return Check(True, f"Keras backend {backend!r}", "runs; the book's printed figures come from TensorFlow")
    return Check(False, f"Keras backend {backend!r}", "the book runs on tensorflow, jax or torch: set KERAS_BACKEND=tensorflow")


def _tiny_lstm() -> Check:
    import keras
    import numpy as np

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(5, 2)), keras.layers.LSTM(3), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    x = np.zeros((4, 5, 2), dtype="float32")
    loss = model.train_on_batch(x, np.zeros((4, 1), dtype="float32"))
    if not np.isfinite(float(np.asarray(loss).ravel()[0])):
        return Check(False, "a tiny LSTM", f"training gave a non-finite loss {loss!r}")
    return Check(True, "a tiny LSTM trains one step")


def _data() -> Check:
    from seqshape.datasets import load_taylor

    n = load_taylor().shape[0]
    return Check(n == 4032, "the data ships offline", f"load_taylor() gave {n} values" if n != 4032 else "")


def run_checks() -> list[Check]:
    """Run every check and return the results in order (never raises for a failed check)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    py_ok = sys.version_info >= (3, 11)
    results = [
        Check(py_ok, f"Python {platform.python_version()}", "" if py_ok else "the book needs Python 3.11 or newer")
    ]
    results += [check_package(dist, module) for dist, module in _PACKAGES]
    steps: list[Callable[[], Check]] = [_tensorflow, _keras_backend, _tiny_lstm, _data]
    for step in steps:
        try:
            results.append(step())
        except Exception as exc:  # report every failure, keep checking the rest
            results.append(Check(False, step.__name__.strip("_").replace("_", " "), f"{type(exc).__name__}: {exc}"))
    return results


def main() -> int:
    """Print each check and a verdict; return 0 when all pass, else 1."""
    results = run_checks()
    for result in results:
        print(result)
    failed = [r for r in results if not r.ok]
    if failed:
        print(f"{len(failed)} of {len(results)} checks failed: fix the lines marked FAIL, then run this again.")
        return 1
    print(f"All {len(results)} checks passed: this environment runs the book.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

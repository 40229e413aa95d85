"""Read and write requirements.lock, and compare it with environment.yml.

``python tests/lockfile.py`` (``make lock``) rewrites requirements.lock from the running environment:
``pip freeze`` of everything but pip and seqshape itself, with the TensorFlow line split into the
platform-marked ``tensorflow-cpu`` / ``tensorflow`` pair.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
ENV = ROOT / "environment.yml"

CPU_MARKER = (
    "(sys_platform == 'linux' or sys_platform == 'win32') and "
    "(platform_machine == 'x86_64' or platform_machine == 'AMD64')"
)
OTHER_MARKER = (
    "(sys_platform != 'linux' and sys_platform != 'win32') or "
    "(platform_machine != 'x86_64' and platform_machine != 'AMD64')"
)
HEADER = """\
# Exact versions that `make setup` installs (Python 3.11; checked on Linux x86-64).
# Regenerate with `make lock` after changing a dependency in pyproject.toml, then update
# environment.yml: tests/test_project.py checks that the two agree.
# tensorflow-cpu exists for Linux and Windows on x86-64 only; other platforms get tensorflow.
"""

_PIN = re.compile(r"^\s*-?\s*([A-Za-z0-9_.\-]+)==([^\s;]+)\s*(?:;\s*(.+))?$")


def normalize(name: str) -> str:
    """PEP 503 normalized project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(lines: list[str]) -> dict[tuple[str, str], str]:
    """Map ``(normalized name, marker)`` to the pinned version for every ``name==version`` line."""
    pins = {}
    for line in lines:
        m = _PIN.match(line.split("#", 1)[0].rstrip()) if "==" in line else None
        if m:
            pins[(normalize(m.group(1)), (m.group(3) or "").strip())] = m.group(2)
    return pins


def lock_pins() -> dict[tuple[str, str], str]:
    return read_pins(LOCK.read_text(encoding="utf-8").splitlines())


def env_pins() -> dict[tuple[str, str], str]:
    return read_pins(ENV.read_text(encoding="utf-8").splitlines())


def write_lock() -> None:
    frozen = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--all", "--exclude-editable"],
        check=True, capture_output=True, text=True,
    ).stdout.splitlines()  # fmt: skip
    out = []
    for line in frozen:
        name, _, version = line.partition("==")
        if not version or normalize(name) in ("pip", "seqshape"):
            continue
        if normalize(name) in ("tensorflow-cpu", "tensorflow"):
            out += [f"tensorflow-cpu=={version} ; {CPU_MARKER}", f"tensorflow=={version} ; {OTHER_MARKER}"]
        else:
            out.append(line)
    LOCK.write_text(HEADER + "\n".join(sorted(out, key=str.lower)) + "\n", encoding="utf-8")
    print(f"wrote {LOCK.name}: {len(out)} pins")


if __name__ == "__main__":
    write_lock()

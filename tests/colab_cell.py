"""The Colab install block of the notebooks' first code cell, written from ``_config.yml``.

The repository address and branch live in one place, ``repository.url`` and ``repository.branch``
in ``_config.yml``; the site's launch buttons read them there, and so do this script (the install
line) and the Workshop page (its Colab links).

``python tests/colab_cell.py NOTEBOOK ...`` inserts the block into each notebook's first code cell,
after the lines that silence TensorFlow, or replaces an older version of it. It edits the cell's
source only: no cell is executed and no output changes (the block prints nothing off Colab, so the
stored outputs stay valid). Running it twice changes nothing. ``--check`` only reports the
notebooks whose block is missing or out of date (exit status 1).

On Colab the block installs the companion without its dependencies (Colab ships TensorFlow, Keras,
NumPy, pandas, SciPy, Matplotlib, scikit-learn and statsmodels; letting pip resolve
``tensorflow-cpu`` there would install a second TensorFlow), then the data packages Colab lacks.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "_config.yml"
BEGIN = "# --- On Colab only: install the companion package (elsewhere this does nothing) ---"
END = "# --- end of the Colab block ---"
# Import name -> requirement, for the data packages that Colab does not preinstall
# (the same lower bounds as the `data` extra in pyproject.toml; a test checks it).
COLAB_LACKS = {"aeon": "aeon>=1.0", "pmdarima": "pmdarima>=2.0"}


def project() -> tuple[str, str]:
    """(repository URL, branch) from ``_config.yml``."""
    repo = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["repository"]
    return repo["url"].rstrip("/"), repo.get("branch", "main")


def install_spec() -> str:
    """The pip requirement that installs the companion from the repository's branch."""
    url, branch = project()
    return f"seqshape @ git+{url}@{branch}"


def colab_url(path: str) -> str:
    """The Colab address of a notebook in the repository, e.g. ``colab_url("book/intro.ipynb")``."""
    url, branch = project()
    return url.replace("https://github.com/", "https://colab.research.google.com/github/") + f"/blob/{branch}/{path}"


def snippet() -> str:
    """The block, as it appears in the first code cell."""
    data = ", ".join(f'"{name}": "{req}"' for name, req in COLAB_LACKS.items())
    return f"""{BEGIN}
try:
    import google.colab  # noqa: F401  (importable on Colab only)
except ImportError:
    pass
else:
    import importlib.util
    import subprocess
    import sys

    SEQSHAPE = "{install_spec()}"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", SEQSHAPE], check=True)
    missing = [req for name, req in {{{data}}}.items() if importlib.util.find_spec(name) is None]
    if missing:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *missing], check=True)
{END}"""


def with_snippet(source: str) -> str:
    """``source`` of a first code cell with the current block in place (added or replaced)."""
    lines = source.split("\n")
    if BEGIN in lines:
        start = lines.index(BEGIN)
        stop = lines.index(END, start) + 1
        del lines[start:stop]
        if start < len(lines) and lines[start] == "":
            del lines[start]  # the blank line written after the block
    else:
        start = 0
        # after `import os` and the os.environ lines that silence TensorFlow before any import
        while start < len(lines) and (lines[start] == "import os" or lines[start].startswith("os.environ")):
            start += 1
        if start and start < len(lines) and lines[start] == "":
            start += 1
    block = [*snippet().split("\n"), ""]
    if start and lines[start - 1] != "":
        block.insert(0, "")
    lines[start:start] = block
    return "\n".join(lines).rstrip("\n")


def first_code_cell(nb: dict) -> dict:
    return next(c for c in nb["cells"] if c["cell_type"] == "code")


def source_of(cell: dict) -> str:
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


def has_current_snippet(path: Path) -> bool:
    return snippet() in source_of(first_code_cell(json.loads(path.read_text(encoding="utf-8"))))


def apply(path: Path) -> bool:
    """Put the block into ``path``'s first code cell; True when the file changed."""
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    cell = first_code_cell(nb)
    new = with_snippet(source_of(cell))
    if new == source_of(cell):
        return False
    cell["source"] = new.splitlines(keepends=True)
    # the layout nbformat and Jupyter write: one-space indent, non-ASCII kept, final newline
    path.write_text(json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="report notebooks without the current block")
    args = parser.parse_args(argv)
    stale = []
    for path in args.notebooks:
        if args.check:
            if not has_current_snippet(path):
                stale.append(path)
        else:
            print(f"{path}: {'updated' if apply(path) else 'already current'}")
    for path in stale:
        print(f"{path}: no current Colab block; run python tests/colab_cell.py {path}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())

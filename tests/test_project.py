"""Checks of the project's own conventions: environment pins, book configuration, notebooks."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.lockfile import ENV, ROOT, env_pins, lock_pins, normalize
from tests.run_suite import toc_files, toc_notebooks

NOTEBOOKS = toc_notebooks()


def _requirement_name(req: str) -> str:
    return normalize(re.split(r"[\s;<>=!~\[]", req, maxsplit=1)[0])


def test_environment_yml_pins_the_same_versions_as_the_lock():
    lock, env = lock_pins(), env_pins()
    assert env, "environment.yml pins nothing"
    mismatched = {key: (ver, lock.get(key)) for key, ver in env.items() if lock.get(key) != ver}
    assert not mismatched, f"environment.yml vs requirements.lock (env, lock): {mismatched}"


def test_environment_yml_lists_every_direct_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    direct = {_requirement_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        direct |= {_requirement_name(r) for r in extra}
    in_env = {name for name, _ in env_pins()}
    assert direct - in_env == set(), f"add these to environment.yml: {sorted(direct - in_env)}"
    assert "-e ." in ENV.read_text(encoding="utf-8"), "environment.yml must install seqshape itself"


def test_lock_pins_tensorflow_cpu_on_x86_and_tensorflow_elsewhere():
    lock = lock_pins()
    cpu = [marker for (name, marker) in lock if name == "tensorflow-cpu"]
    full = [marker for (name, marker) in lock if name == "tensorflow"]
    assert len(cpu) == 1 and "x86_64" in cpu[0] and "==" in cpu[0]
    assert len(full) == 1 and "!=" in full[0]
    assert lock[("tensorflow-cpu", cpu[0])] == lock[("tensorflow", full[0])]


def test_book_config_builds_only_toc_pages_from_stored_outputs():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["only_build_toc_files"] is True
    assert config["execute"]["execute_notebooks"] == "off"
    assert config["sphinx"]["config"]["nb_output_stderr"] == "remove"
    for folder in ("companion", "tests", "benchmarks", ".venv", "_build"):
        assert folder in config["exclude_patterns"]


def test_toc_lists_existing_pages_once():
    files = toc_files()
    assert files, "_toc.yml lists no pages"
    assert len(files) == len(set(files)), "a page is listed twice in _toc.yml"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in ci and "make test" in readme


def _load(nb: Path) -> dict:
    return json.loads(nb.read_text(encoding="utf-8"))


def _code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_first_code_cell_silences_tensorflow_and_seeds(path):
    first = "".join(_code_cells(_load(path))[0]["source"])
    assert first.startswith("import os\n"), "the first code cell must start by importing os"
    for needle in ('"TF_CPP_MIN_LOG_LEVEL", "2"', '"TF_ENABLE_ONEDNN_OPTS", "0"'):
        assert needle in first, f"first code cell must set {needle} before importing TensorFlow"
    if "keras" in first:
        assert "set_random_seed(" in first, "seed Keras in the first cell: keras.utils.set_random_seed(0)"
        assert first.index("TF_CPP_MIN_LOG_LEVEL") < first.index("import keras")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_executed_top_to_bottom(path):
    counts = [c.get("execution_count") for c in _code_cells(_load(path))]
    assert counts == list(range(1, len(counts) + 1)), f"re-run {path.name} top to bottom: {counts}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_stores_errors_only_in_tagged_cells(path):
    for cell in _code_cells(_load(path)):
        errors = [o for o in cell.get("outputs", []) if o["output_type"] == "error"]
        tagged = "raises-exception" in cell.get("metadata", {}).get("tags", [])
        assert not errors or tagged, f"untagged cell stores {errors[0]['ename']}: {''.join(cell['source'])[:80]}"
        if tagged:
            assert errors, f"cell tagged raises-exception raises nothing: {''.join(cell['source'])[:80]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_declares_its_minutes_in_metadata_and_header(path):
    nb = _load(path)
    meta = nb["metadata"].get("seqshape", {})
    teach, exercise = meta.get("teaching_minutes"), meta.get("exercise_minutes")
    assert isinstance(teach, int) and isinstance(exercise, int), "set metadata.seqshape minutes"
    header = "".join(nb["cells"][0]["source"])
    expected = f"**Time:** {teach} min teaching, {exercise} min exercises"
    if teach == exercise == 0:  # a page that is read, not taught, such as the Workshop kit
        assert isinstance(meta.get("reading_minutes"), int), "a page with no teaching minutes declares reading_minutes"
        expected = f"**Time:** {meta['reading_minutes']} min to read"
    assert expected in header, f"the first cell must say {expected!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_first_code_cell_installs_the_companion_on_colab(path):
    from tests.colab_cell import has_current_snippet

    assert has_current_snippet(path), f"add the Colab block: python tests/colab_cell.py {path.relative_to(ROOT)}"


def test_repository_address_is_written_once():
    from tests.colab_cell import install_spec, project

    url, _ = project()
    setup = (ROOT / "book" / "setup.md").read_text(encoding="utf-8")
    assert install_spec() in setup, "book/setup.md must show the install line that tests/colab_cell.py writes"
    for page in ROOT.glob("book/*"):
        if page.suffix in (".md", ".ipynb") and page.name != "setup.md":
            assert url not in page.read_text(encoding="utf-8").replace(install_spec(), ""), (
                f"{page.name} writes the repository address by hand: read it from _config.yml"
            )


def test_nightly_workflow_runs_the_tests_and_the_link_check():
    nightly = yaml.safe_load((ROOT / ".github" / "workflows" / "nightly.yml").read_text(encoding="utf-8"))
    triggers = nightly.get("on", nightly.get(True))  # YAML 1.1 reads a bare `on` as True
    assert triggers["schedule"][0]["cron"].split()[:2] != ["*", "*"]
    runs = [step.get("run", "") for job in nightly["jobs"].values() for step in job["steps"]]
    assert any("make test" in r for r in runs)
    assert any("--builder linkcheck" in r for r in runs)


def _episodes():
    import importlib.util

    spec = importlib.util.spec_from_file_location("episodes", ROOT / "book" / "_ext" / "episodes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_taught_chapter_has_questions_objectives_and_keypoints():
    entries = _episodes().load()  # raises on a malformed entry
    taught = [p for p in NOTEBOOKS if p.name[:2].isdigit() or p.name == "intro.ipynb"]
    missing = [p.name for p in taught if f"book/{p.stem}" not in entries]
    assert taught and not missing, f"add these chapters to book/_data/episodes.yml: {missing}"
    for page, entry in entries.items():
        assert (ROOT / f"{page}.ipynb").is_file(), f"episodes.yml names {page}, which does not exist"
        for needed, cover in (entry.get("covers") or {}).items():
            assert (ROOT / f"{needed}.ipynb").is_file() and (ROOT / f"{cover}.ipynb").is_file(), (page, needed, cover)


def test_chapter_pages_get_the_boxes_under_the_header_and_before_the_summary():
    from docutils import nodes
    from docutils.core import publish_doctree

    episodes = _episodes()
    doctree = publish_doctree(
        "Title\n=====\n\nOne sentence.\n\n**Time:** 5 min teaching\n\nMore prose.\n\n"
        "Part\n----\n\nText.\n\nSummary\n-------\n\nThe end.\n",
        settings_overrides={"doctitle_xform": False},  # keep the title in its section, as Sphinx does
    )

    class Env:
        docname = "book/01_concatenating_inputs"
        def __init__(self):
            self.dependencies = []

        def note_dependency(self, path):
            self.dependencies.append(path)

    app = type("App", (), {"env": Env()})()
    episodes._add_boxes(app, doctree)
    top = next(iter(doctree.findall(nodes.section)))
    kinds = [type(child).__name__ for child in top.children]
    assert kinds[:4] == ["title", "paragraph", "paragraph", "admonition"], kinds  # after the Time line
    assert "Questions" in top.children[3].astext() and "Objectives" in top.children[3].astext()
    summary = next(s for s in top.findall(nodes.section) if s[0].astext() == "Summary")
    assert isinstance(summary[1], nodes.admonition) and summary[1][0].astext() == "Key points"
    assert app.env.dependencies, "the page must be rebuilt when episodes.yml changes"

"""The workshop's setup check: passes here, and names the fix when something is missing."""

import pytest

from seqshape import check


def test_every_check_passes_in_the_project_environment():
    results = check.run_checks()
    assert [str(r) for r in results if not r.ok] == []
    assert any(r.name.startswith("tensorflow") for r in results)


@pytest.mark.parametrize(
    ("installed", "spec", "ok"),
    [("2.3.5", ">=1.26", True), ("1.25.2", ">=1.26", False), ("3.10.0", ">=3.10", True), ("3.9", ">=3.10", False), ("1.0", "", True)],
)
def test_version_floor(installed, spec, ok):
    assert check.version_ok(installed, spec) is ok


def test_floors_come_from_the_package_metadata():
    assert check.required_version("keras") == ">=3.10"


def test_missing_package_says_how_to_install_it():
    result = check.check_package("no-such-dist-xyz", "no_such_module")
    assert not result.ok and "pip install no-such-dist-xyz" in str(result)


def test_main_prints_a_verdict_and_fails_when_a_check_fails(monkeypatch, capsys):
    monkeypatch.setattr(check, "run_checks", lambda: [check.Check(True, "a"), check.Check(False, "b", "do x")])
    assert check.main() == 1
    out = capsys.readouterr().out
    assert "FAIL  b: do x" in out and "1 of 2 checks failed" in out


@pytest.mark.parametrize(("backend", "ok"), [("tensorflow", True), ("jax", True), ("torch", True), ("numpy", False)])
def test_keras_backend_check_accepts_the_backends_the_book_runs_on(monkeypatch, backend, ok):
    import keras

    monkeypatch.setattr(keras.config, "backend", lambda: backend)
    result = check._keras_backend()
    assert result.ok is ok and backend in result.name

"""Tests for the benchmarks' shared method (benchmarks/_common.py): warm-up, statistics, load."""

from __future__ import annotations

import time

import pytest

from benchmarks import _common as C


def test_time_repeats_never_counts_the_warm_up() -> None:
    calls: list[float] = []

    def fn() -> None:
        calls.append(time.perf_counter())
        if len(calls) == 1:
            time.sleep(0.05)  # a slow warm-up (tracing, page faults) must not be a timed run

    times = C.time_repeats(fn, repeat=4, min_repeat=4)
    assert len(calls) == 5 and len(times) == 4
    assert max(times) < 0.05


def test_time_repeats_stops_at_the_budget_after_min_repeat() -> None:
    times = C.time_repeats(lambda: time.sleep(0.02), repeat=50, min_repeat=2, budget_s=0.05)
    assert 2 <= len(times) < 50


def test_summarize_is_the_median_with_n_and_range() -> None:
    stats = C.summarize([3.0, 1.0, 2.0, 10.0])
    assert stats == {"runs": 4, "seconds_median": 2.5, "seconds_min": 1.0, "seconds_max": 10.0,
                     "spread": pytest.approx(9.0 / 2.5)}  # fmt: skip


def test_measure_under_load_reruns_a_loaded_case(monkeypatch: pytest.MonkeyPatch) -> None:
    loads = iter([9.0, 9.0, 0.5, 0.7])
    monkeypatch.setattr(C, "load_1min", lambda: next(loads))
    monkeypatch.setattr(C, "busy_load", lambda: 2.0)
    runs = iter([{"value": 1}, {"value": 2}])
    row = C.measure_under_load(lambda: dict(next(runs)), retries=1)
    assert row["value"] == 2  # the quiet re-run is kept
    assert row["attempts"] == [[9.0, 9.0], [0.5, 0.7]]
    assert row["under_load"] is False


def test_measure_under_load_keeps_a_quiet_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(C, "load_1min", lambda: 0.5)
    monkeypatch.setattr(C, "busy_load", lambda: 2.0)
    n = []
    row = C.measure_under_load(lambda: n.append(1) or {"value": 1}, retries=3)
    assert len(n) == 1 and row["load_before"] == 0.5 and row["attempts"] == [[0.5, 0.5]]


def test_child_versions_reports_what_was_imported() -> None:
    import numpy as np

    assert C.child_versions()["numpy"] == np.__version__
    meta = C.meta({"a": 1}, seconds=1.0)
    assert meta["versions"], "versions must never be empty"
    assert meta["settings"] == {"a": 1} and "busy_load" in meta

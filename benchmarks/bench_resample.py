"""Resampling: seqshape.align.resample vs scipy interp1d vs every n-th sample, speed and aliasing.

The signal, sampled at 100 Hz, is a 2 Hz sine (the content we want to keep) plus a 33 Hz sine of
half its amplitude (an out-of-band component: above the Nyquist frequency of either target rate).
It has ``STEPS`` time steps and ``CHANNELS`` channels (phases differ per channel), float32.
Two target rates:

* 20 Hz (an integer factor, 5): ``resample``, ``interp1d`` (linear, at the new sample times) and
  ``every_nth`` (``x[::5]``) all apply; the 33 Hz component, if not removed, folds to 7 Hz;
* 30 Hz (a ratio of 3/10): ``resample`` and ``interp1d`` only; 33 Hz folds to 3 Hz.

``alias_error`` is the RMS difference between the output and the 2 Hz component alone at the new
sample times (5% of the steps at each end left out, where every filter must invent samples),
divided by the RMS of the 33 Hz component: 1.0 means the whole out-of-band component landed in the
output as a false low frequency, 0 means it was removed and the 2 Hz content kept.

Times: the median and spread of several runs in this process (resampling needs no memory beyond
its output, so one process is enough). Usage: ``python benchmarks/bench_resample.py`` (about
15 s); ``--quick`` for a smoke run. Results: ``benchmarks/results/resample.csv``/``.json``.
"""

from __future__ import annotations

import argparse
import time
from fractions import Fraction
from typing import Any

import _common as C
import numpy as np
from scipy.interpolate import interp1d

from seqshape.align import resample

FROM_RATE = 100
TARGETS = [20, 30]
F_KEEP = 2.0  # Hz, in band
F_OUT = 33.0  # Hz, above the new Nyquist frequency (10 Hz and 15 Hz)
A_OUT = 0.5
STEPS = 1_000_000
CHANNELS = 8
EDGE = 0.05


def signal(steps: int, channels: int) -> tuple[np.ndarray, np.ndarray]:
    """The test signal (steps, channels) float32 and each channel's phase."""
    t = np.arange(steps) / FROM_RATE
    phase = np.linspace(0, np.pi, channels, endpoint=False)
    keep = np.sin(2 * np.pi * F_KEEP * t[:, None] + phase)
    out = A_OUT * np.sin(2 * np.pi * F_OUT * t[:, None] + 2 * phase)
    return (keep + out).astype(np.float32), phase


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: 10^5 steps, 3 runs")
    parser.add_argument("--repeat", type=int, default=7, help="most runs per case (default 7)")
    parser.add_argument("--retries", type=int, default=1, help="re-runs of a case measured under load")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    steps = 100_000 if args.quick else STEPS
    repeat = 3 if args.quick else args.repeat
    x, phase = signal(steps, CHANNELS)
    t = np.arange(steps) / FROM_RATE
    rows: list[dict[str, Any]] = []
    for to_rate in TARGETS:
        ratio = Fraction(to_rate, FROM_RATE)
        n_out = -(-steps * ratio.numerator // ratio.denominator)  # ceil, as resample_poly
        t_new = np.arange(n_out) / to_rate
        t_new = t_new[t_new <= t[-1]]  # interp1d cannot extrapolate
        cases = {
            "resample": lambda to_rate=to_rate: resample(x, from_rate=FROM_RATE, to_rate=to_rate),
            "interp1d": lambda t_new=t_new: interp1d(t, x, axis=0, assume_sorted=True)(
                t_new
            ).astype(np.float32),
        }
        if ratio.numerator == 1:
            cases["every_nth"] = lambda n=ratio.denominator: x[::n]
        for name, fn in cases.items():
            out: dict[str, np.ndarray] = {}

            def run(fn: Any = fn, out: dict[str, np.ndarray] = out) -> None:
                out["y"] = fn()

            timing = C.measure_under_load(
                lambda run=run: C.summarize(
                    C.time_repeats(run, repeat=repeat, min_repeat=3, budget_s=3.0)
                ),
                retries=args.retries,
                label=f"{name} to {to_rate} Hz",
            )
            y = np.asarray(out["y"], dtype=np.float64)
            tt = np.arange(len(y)) / to_rate
            clean = np.sin(2 * np.pi * F_KEEP * tt[:, None] + phase)
            lo, hi = int(EDGE * len(y)), int((1 - EDGE) * len(y))
            err = np.sqrt(np.mean((y[lo:hi] - clean[lo:hi]) ** 2))
            rows.append(
                {
                    "case": name,
                    "from_rate": FROM_RATE,
                    "to_rate": to_rate,
                    "steps_in": steps,
                    "steps_out": len(y),
                    "channels": CHANNELS,
                    **timing,
                    "alias_error": err / (A_OUT / np.sqrt(2)),
                    "alias_frequency_hz": abs(F_OUT - round(F_OUT / to_rate) * to_rate),
                }
            )
    print(
        f"\nResampling ({steps}, {CHANNELS}) float32 from {FROM_RATE} Hz: {F_KEEP:g} Hz kept, {F_OUT:g} Hz "
        f"out of band; median of up to {repeat} runs\n"
    )
    C.print_table(
        rows,
        [
            ("case", "case", ""),
            ("to_rate", "to Hz", "d"),
            ("steps_out", "steps out", "d"),
            ("seconds_median", "seconds", ".3g"),
            ("spread", "spread", ".0%"),
            ("alias_error", "alias error", ".3f"),
            ("alias_frequency_hz", "folds to Hz", "g"),
        ],
    )
    print(
        "\nalias error: RMS(output - kept component) / RMS(out-of-band component); 0 is perfect, 1 is full aliasing."
    )
    settings = {"from_rate": FROM_RATE, "to_rates": TARGETS, "f_keep_hz": F_KEEP, "f_out_hz": F_OUT,
                "a_out": A_OUT, "steps": steps, "channels": CHANNELS, "edge_fraction": EDGE, "max_runs": repeat}  # fmt: skip
    C.write_results(
        "resample", rows, C.meta(settings, seconds=time.perf_counter() - start), quick=args.quick
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

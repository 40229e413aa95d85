"""Predictions back onto X over many seeds: the detectors and the gap filler of chapter 5.

The chapter ``book/05_predictions_onto_x.ipynb`` trains one labelled example live (seed 0);
this script runs the same protocol for every seed and writes one row per (seed, method) to
``benchmarks/results/anomaly.csv`` and ``anomaly.json``, which the chapter reads to say in how
many seeds each claim holds. The protocol here and in the chapter is the same:

* data: ``seqshape.datasets.load_kdd_tsad_135()``, 7501 steps, one labelled anomaly of 12
  steps, an anomaly-free prefix of 1200 steps;
* split of the prefix by time: steps ``[0, FIT_END)`` train, ``[FIT_END, VAL_END)`` validate
  (early stopping), ``[VAL_END, 1200)`` calibrate the threshold; the rest is the test part;
  scaling by the mean and standard deviation of the training part;
* detectors: the naive forecast (last value, no seed), an LSTM forecaster of the next change,
  and an LSTM autoencoder whose per-step errors are un-windowed two ways: with look-ahead
  (``unwindow``, the mean over every covering window) and causally (``unwindow_causal``);
* threshold: ``calibrate_threshold`` on the calibration errors for ``FALSE_ALARM_RATE``;
  threshold-free: ``separation`` and ``top1_location`` within ``TOP1_TOLERANCE`` steps;
* scores of one set of flags, on the test part: point-wise, event-wise (Hundman et al. 2018,
  ``TOLERANCE`` steps after the event), point-adjusted with a random-flag baseline at the same
  flag rate, latency counting look-ahead; flagged runs at 1, 1.25, 1.5, 1.75 and 2 times the
  calibrated threshold (the sensitivity of the thresholded results);
* gap filling on held-out normal windows after the anomaly (a gap of ``GAP_TEST`` steps in the
  middle of each window): the trained filler, a straight line, and the previous-beat template
  (the period estimated on the training part by autocorrelation, edges corrected linearly),
  with per-seed paired differences and a bootstrap interval of the filler-minus-template mean.

Results: ``benchmarks/results/anomaly.csv`` / ``.json`` (``--quick`` writes ``anomaly_quick.*``).
Run with ``python benchmarks/bench_anomaly.py`` (``--seeds 10`` by default).
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # as _common.quiet_tensorflow, before keras
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import _common as C
import keras
import numpy as np

from seqshape.anomaly import (
    apply_where,
    available_at,
    calibrate_threshold,
    event_scores,
    events,
    flag,
    forecasts_to_timeline,
    point_adjusted_scores,
    point_scores,
    random_flag_baseline,
    separation,
    top1_location,
    unwindow_causal,
)
from seqshape.datasets import load_kdd_tsad_135
from seqshape.windows import make_supervised, sliding_windows, unwindow

LENGTH = 16
FIT_END, VAL_END = 700, 900  # train | validate (early stopping) | calibrate until the prefix ends
UNITS, LATENT = 16, 8
LEARNING_RATE = 0.01
BATCH_SIZE = 32
EPOCHS, PATIENCE = 12, 3
FALSE_ALARM_RATE = 0.005  # target share of normal steps flagged
TOLERANCE = 5  # event-wise: a flag up to 5 steps after the event still detects it
TOP1_TOLERANCE = 100  # top-1 location: the KDD Cup 2021 margin around the labelled region
MARGINS = (1.0, 1.25, 1.5, 1.75, 2.0)
FILL_LENGTH, GAP_MIN, GAP_MAX, GAP_TEST = 32, 4, 16, 13
EPOCHS_FILL, BATCH_SIZE_FILL, FILL_LEARNING_RATE = 8, 64, 0.005
N_RANDOM = 200  # random flag sets per detector for the point-adjusted baseline
N_BOOT = 2000


def estimate_period(x: np.ndarray, lo: int = 50, hi: int = 400) -> int:
    """The lag in ``[lo, hi)`` with the largest autocorrelation of ``x`` (the beat length).

    The usual (biased) estimator, normalised by the whole series, so that long lags with few
    products do not win by noise.
    """
    z = x - x.mean()
    ac = np.array([np.dot(z[:-lag], z[lag:]) for lag in range(lo, hi)]) / np.dot(z, z)
    return int(lo + np.argmax(ac))


def prepare() -> dict[str, object]:
    values, labels, train_end = load_kdd_tsad_135()
    mean, std = values[:FIT_END].mean(), values[:FIT_END].std()
    x = ((values - mean) / std).astype("float32")
    return {
        "values": values, "labels": labels, "train_end": train_end, "x": x,
        "mean": float(mean), "std": float(std), "n_steps": len(values),
        "events": events(labels.astype(bool)), "period": estimate_period(x[:FIT_END]),
    }


def build_forecaster() -> keras.Model:
    return keras.Sequential(
        [keras.Input(shape=(LENGTH, 1)), keras.layers.LSTM(UNITS), keras.layers.Dense(1)],
        name="forecaster",
    )


def build_autoencoder() -> keras.Model:
    window = keras.Input(shape=(LENGTH, 1), name="window")
    h = keras.layers.LSTM(UNITS, name="encode")(window)
    code = keras.layers.Dense(LATENT, name="code")(h)
    h = keras.layers.RepeatVector(LENGTH, name="repeat")(code)
    h = keras.layers.LSTM(UNITS, return_sequences=True, name="decode")(h)
    return keras.Model(window, keras.layers.Dense(1, name="step")(h), name="autoencoder")


def build_filler() -> keras.Model:
    return keras.Sequential(
        [
            keras.Input(shape=(FILL_LENGTH, 2)),
            keras.layers.Bidirectional(keras.layers.LSTM(UNITS, return_sequences=True)),
            keras.layers.Dense(1, kernel_initializer="zeros"),
        ],
        name="gap_filler",
    )


def fit(model: keras.Model, train: tuple, val: tuple, *, epochs: int, batch_size: int, lr: float) -> int:
    model.compile(optimizer=keras.optimizers.Adam(lr), loss="mse")
    stop = keras.callbacks.EarlyStopping(patience=PATIENCE, restore_best_weights=True)
    history = model.fit(*train, validation_data=val, epochs=epochs, batch_size=batch_size,
                        callbacks=[stop], verbose=0)
    return len(history.history["loss"])


def detector_errors(d: dict[str, object], seed: int) -> dict[str, tuple[np.ndarray, np.ndarray, dict]]:
    """Per-step errors, the step at which each exists, and training facts, for every detector."""
    x, n = d["x"], d["n_steps"]
    X, y = make_supervised(x, length=LENGTH)
    err_naive = forecasts_to_timeline(np.abs(X[:, -1] - y), length=LENGTH, n_steps=n)
    causal = available_at(n, length=LENGTH, lookahead=False)
    val = slice(FIT_END, VAL_END)
    out = {"naive forecast": (err_naive, causal, {"val_mae": float(np.mean(err_naive[val])), "epochs": 0})}
    if seed < 0:
        return out
    X_fit, y_fit = make_supervised(x[:FIT_END], length=LENGTH)
    X_val, y_val = make_supervised(x[FIT_END - LENGTH : VAL_END], length=LENGTH)
    keras.utils.set_random_seed(seed)
    forecaster = build_forecaster()
    epochs = fit(forecaster, (X_fit[..., None], y_fit - X_fit[:, -1]), (X_val[..., None], y_val - X_val[:, -1]),
                 epochs=EPOCHS, batch_size=BATCH_SIZE, lr=LEARNING_RATE)
    forecast = X[:, -1] + forecaster.predict(X[..., None], batch_size=1024, verbose=0)[:, 0]
    err = forecasts_to_timeline(np.abs(forecast - y), length=LENGTH, n_steps=n)
    out["LSTM forecaster"] = (err, causal, {"val_mae": float(np.mean(err[val])), "epochs": epochs})

    W_fit = np.asarray(sliding_windows(x[:FIT_END], LENGTH))[..., None]
    W_val = np.asarray(sliding_windows(x[FIT_END:VAL_END], LENGTH))[..., None]
    keras.utils.set_random_seed(seed)
    autoencoder = build_autoencoder()
    epochs = fit(autoencoder, (W_fit, W_fit), (W_val, W_val), epochs=EPOCHS, batch_size=BATCH_SIZE,
                 lr=LEARNING_RATE)
    W_all = np.asarray(sliding_windows(x, LENGTH))[..., None]
    window_errors = np.abs(autoencoder.predict(W_all, batch_size=1024, verbose=0) - W_all)[..., 0]
    facts = {"val_mae": None, "epochs": epochs}
    out["LSTM autoencoder"] = (unwindow(window_errors, stride=1, n_steps=n), available_at(n, length=LENGTH), facts)
    out["LSTM autoencoder (causal)"] = (unwindow_causal(window_errors, stride=1, n_steps=n), causal, facts)
    return out


def score_detector(d: dict[str, object], errors: np.ndarray, available: np.ndarray, seed: int) -> dict:
    """Every score of one detector: threshold-free, and of one set of calibrated flags."""
    labels, start = d["labels"], d["train_end"]
    test = slice(start, d["n_steps"])
    threshold = calibrate_threshold(errors[VAL_END:start], false_alarm_rate=FALSE_ALARM_RATE)
    flags = flag(errors, threshold)[test]
    lab = labels[test]
    ev = event_scores(flags, lab, tolerance=TOLERANCE, available=available[test] - start)
    pts = point_scores(flags, lab)
    adj = point_adjusted_scores(flags, lab)
    rate = float(flags.mean())
    base = random_flag_baseline(lab, rate=rate, n_draws=N_RANDOM, seed=seed + 1000) if 0 < rate < 1 else None
    sep = separation(errors[test], lab, tolerance=TOP1_TOLERANCE)
    top = top1_location(errors[test], lab, tolerance=TOP1_TOLERANCE)
    zone = np.zeros(len(lab), dtype=bool)
    e0, e1 = d["events"][0] - start
    zone[max(0, e0 - TOP1_TOLERANCE) : e1 + TOP1_TOLERANCE] = True
    row = {
        "threshold": threshold,
        "separation_ratio": sep.ratio, "separation_rank": sep.rank,
        "top1_hit": top.hit, "top1_distance": top.distance,
        "event_precision": ev.precision, "event_recall": ev.recall,
        "flagged_runs": ev.n_flagged, "false_runs": ev.n_false,
        "delay": float(ev.delays[0]), "latency": float(ev.latency[0]),
        "point_precision": pts.precision, "point_recall": pts.recall, "point_f1": pts.f1,
        "adjusted_f1": adj.f1,
        "random_adjusted_f1_median": float(np.median(base.adjusted_f1)) if base else None,
        "random_point_f1_median": float(np.nanmedian(base.point_f1)) if base else None,
        "flag_rate": rate,
        "realised_false_alarm_rate": float(flags[~zone].mean()),
    }
    for m in MARGINS:
        row[f"runs_at_{m:g}x"] = len(events(flag(errors, threshold * m)[test]))
        row[f"recall_at_{m:g}x"] = event_scores(flag(errors, threshold * m)[test], lab, tolerance=TOLERANCE).recall
    return row


# --- gap filling ------------------------------------------------------------------------------


def gapped(windows: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Model input (windows, FILL_LENGTH, 2): the window interpolated across the gap, and the gap flag."""
    steps = np.arange(windows.shape[1])
    gap = (steps >= starts[:, None]) & (steps < (starts + lengths)[:, None])
    filled = np.stack([apply_where(w, g, "interpolate") for w, g in zip(windows, gap, strict=True)])
    return np.stack([filled, gap.astype("float32")], axis=-1), gap


def template_fill(x: np.ndarray, first: np.ndarray, gap_len: int, period: int) -> np.ndarray:
    """Copy the previous beat into each gap ``[first, first + gap_len)`` and correct its edges linearly."""
    rows = []
    for a in first:
        b = a + gap_len
        copy = x[a - period : b - period].astype(np.float64)
        left = x[a - 1] - x[a - 1 - period]
        right = x[b] - x[b - period]
        ramp = left + (right - left) * (np.arange(1, gap_len + 1) / (gap_len + 1))
        rows.append(copy + ramp)
    return np.stack(rows)


def held_out(d: dict[str, object]) -> dict[str, np.ndarray]:
    """Non-overlapping normal windows after the anomaly, far enough that the template sees no anomaly."""
    x, stop = d["x"], int(d["events"][-1, 1])
    first_start = stop + d["period"] + FILL_LENGTH
    starts = np.arange(first_start, d["n_steps"] - FILL_LENGTH + 1, FILL_LENGTH)
    assert not d["labels"][first_start - d["period"] - FILL_LENGTH :].any()
    windows = np.stack([x[s : s + FILL_LENGTH] for s in starts])
    offset = (FILL_LENGTH - GAP_TEST) // 2
    inputs, gap = gapped(windows, np.full(len(starts), offset), np.full(len(starts), GAP_TEST))
    template = template_fill(x, starts + offset, GAP_TEST, d["period"])
    return {"windows": windows, "inputs": inputs, "gap": gap, "template": template}


def gap_errors(d: dict[str, object], h: dict[str, np.ndarray], seed: int) -> dict[str, np.ndarray]:
    """Mean absolute error in the gap per held-out window (series units), per method."""
    std, windows, gap = d["std"], h["windows"], h["gap"]
    truth = windows[gap].reshape(len(windows), GAP_TEST)
    out = {
        "straight line": np.abs(h["inputs"][..., 0][gap].reshape(truth.shape) - truth).mean(axis=1) * std,
        "previous-beat template": np.abs(h["template"] - truth).mean(axis=1) * std,
    }
    if seed < 0:
        return out
    x = d["x"]
    rng = np.random.default_rng(seed)
    F_fit = np.asarray(sliding_windows(x[:FIT_END], FILL_LENGTH))
    F_val = np.asarray(sliding_windows(x[FIT_END:VAL_END], FILL_LENGTH))

    def random_gaps(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lengths = rng.integers(GAP_MIN, GAP_MAX + 1, size=len(w))
        return gapped(w, rng.integers(4, FILL_LENGTH - 4 - lengths + 1), lengths)

    in_fit, _ = random_gaps(F_fit)
    in_val, _ = random_gaps(F_val)
    keras.utils.set_random_seed(seed)
    filler = build_filler()
    fit(filler, (in_fit, (F_fit - in_fit[..., 0])[..., None]), (in_val, (F_val - in_val[..., 0])[..., None]),
        epochs=EPOCHS_FILL, batch_size=BATCH_SIZE_FILL, lr=FILL_LEARNING_RATE)
    correction = filler.predict(h["inputs"], verbose=0)[..., 0]
    filled = (h["inputs"][..., 0] + correction * gap)[gap].reshape(truth.shape)
    out["trained filler"] = np.abs(filled - truth).mean(axis=1) * std
    return out


def paired_interval(diff: np.ndarray, seed: int) -> tuple[float, float]:
    """95 % bootstrap interval of the mean of paired differences."""
    rng = np.random.default_rng(seed)
    means = rng.choice(diff, size=(N_BOOT, len(diff))).mean(axis=1)
    return float(np.quantile(means, 0.025)), float(np.quantile(means, 0.975))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10, help="seeds per trained model (default 10)")
    parser.add_argument("--quick", action="store_true", help="1 seed, 2 epochs: a smoke test (anomaly_quick.*)")
    args = parser.parse_args()
    global EPOCHS, EPOCHS_FILL
    if args.quick:
        EPOCHS, EPOCHS_FILL = 2, 2
    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    seeds = [0] if args.quick else list(range(args.seeds))
    d = prepare()
    h = held_out(d)
    rows: list[dict] = []
    for seed in [-1, *seeds]:
        t0 = time.perf_counter()
        for name, (errors, available, facts) in detector_errors(d, seed).items():
            if seed >= 0 and name == "naive forecast":
                continue
            rows.append({"kind": "detector", "method": name, "seed": seed, **facts,
                         **score_detector(d, errors, available, max(seed, 0))})
        gaps = gap_errors(d, h, seed)
        for name, per_window in gaps.items():
            if seed >= 0 and name != "trained filler":
                continue
            rows.append({"kind": "gap", "method": name, "seed": seed, "gap_mae": float(per_window.mean()),
                         "n_windows": len(per_window)})
        if seed >= 0:
            base = gap_errors(d, h, -1)
            for ref in ("previous-beat template", "straight line"):
                diff = gaps["trained filler"] - base[ref]
                lo, hi = paired_interval(diff, seed)
                rows.append({"kind": "gap_paired", "method": f"trained filler - {ref}", "seed": seed,
                             "mean_difference": float(diff.mean()), "ci_low": lo, "ci_high": hi,
                             "share_filler_better": float((diff < 0).mean()), "n_windows": len(diff)})
        print(f"seed {seed:2d}: {time.perf_counter() - t0:5.1f} s", flush=True)
    for r in rows:
        if r["kind"] == "detector":
            print(f"{r['method']:>26} seed {r['seed']:2d}: ratio {r['separation_ratio']:6.2f}  top1 {r['top1_hit']!s:5}"
                  f"  runs {r['flagged_runs']:3d}  false {r['false_runs']:3d}  recall {r['event_recall']:.0f}"
                  f"  latency {r['latency']}")
        elif r["kind"] == "gap_paired":
            print(f"{r['method']:>40} seed {r['seed']:2d}: {r['mean_difference']:+.3f} [{r['ci_low']:+.3f}, {r['ci_high']:+.3f}]")
        else:
            print(f"{r['method']:>26} seed {r['seed']:2d}: gap MAE {r['gap_mae']:.3f}")
    settings = {
        "length": LENGTH, "fit_end": FIT_END, "val_end": VAL_END, "train_end": d["train_end"],
        "units": UNITS, "latent": LATENT, "learning_rate": LEARNING_RATE, "batch_size": BATCH_SIZE,
        "epochs": EPOCHS, "patience": PATIENCE, "false_alarm_rate": FALSE_ALARM_RATE,
        "tolerance": TOLERANCE, "top1_tolerance": TOP1_TOLERANCE, "margins": list(MARGINS),
        "fill_length": FILL_LENGTH, "gap_min": GAP_MIN, "gap_max": GAP_MAX, "gap_test": GAP_TEST,
        "epochs_fill": EPOCHS_FILL, "period": d["period"], "n_random": N_RANDOM, "n_boot": N_BOOT,
        "seeds": seeds, "load_1min_at_start": load_start,
    }
    C.write_results("anomaly", rows, C.meta(settings, seconds=time.perf_counter() - started), quick=args.quick)


if __name__ == "__main__":
    main()

"""Which Keras layer forecasts half-hourly electricity demand? Every seed, against the free rules.

The chapter ``book/03_choosing_the_layer.ipynb`` trains one labelled example live; this script
runs the full protocol and writes one row per run to ``benchmarks/results/layers.csv`` (and
``layers.json``: the same rows plus the settings, versions, backend, load and duration of each
study). The chapter reads those files and checks that its constants equal the settings below.

The protocol, used for every number:

* data: ``seqshape.datasets.load_taylor()``, 4032 half-hourly values (12 weeks, from a Monday);
* chronological split by the *target's* time step: weeks 1-8 train, 9-10 validate, 11-12 test;
  the first ``WEEK + WINDOW`` steps only serve as history, so every model and every rule is
  scored on exactly the same targets;
* scaling: mean and standard deviation of the training targets' weeks only;
* every choice on validation only: the reference (the free rule with the lowest validation
  MAE), the ranking, early stopping (best weights restored); test is computed for every row but
  the chapter reports it once, at the end;
* Adam, MSE loss, at most ``EPOCHS`` epochs with ``EarlyStopping(patience=PATIENCE)``; a run
  that reaches the cap is flagged ``capped`` (early stopping did not decide).

Studies (``study`` column):

``main``
    Free rules (no parameters), least squares on the lag + rolling table and on the flattened
    window, and six trained families (Dense on the table, Dense on the flattened window, causal
    Conv1D, LSTM, GRU, Bidirectional LSTM) over ``--seeds`` seeds. Sequence inputs are
    ``(batch, 48, 2)`` windows: the demand and the demand one week before the next step.
``rolling``
    The same fixed models at three forecast origins (train up to week 8, 9 or 10; validate on
    the next week; test on the week after) for the rules, least squares and three families
    (``ROLLING_FAMILIES``: the budget does not allow all six); nothing is chosen from it.
``raw``
    Raw recent windows without the weekly channel, ``(batch, 48, 1)``: least squares on the
    flattened window against Dense, Conv1D, LSTM and GRU on the same input.
``leak``
    Per-step labels (each step's label is the next value): LSTM against Bidirectional LSTM over
    ``LEAK_SEEDS`` seeds, training loss, validation loss and validation MAE at every position.
``speed``
    Seconds per epoch (median of epochs 2 and later: the first epoch also traces and compiles)
    of every family, interleaved, ``SPEED_REPEATS`` times, in a fresh process per backend
    (TensorFlow and JAX), so the GRU-vs-LSTM speed claim is tested directly.

The accuracy studies run on the JAX backend by default (``KERAS_BACKEND`` overrides it): on this
CPU it trains these small recurrent models about ten times faster per epoch than TensorFlow,
which is what makes five seeds, a cap that rarely binds and several origins affordable.

Run with ``make bench-layers`` or ``python benchmarks/bench_layers.py``. The stored results took
about 45 minutes of wall time on 2 CPU cores shared with other jobs (load average 10 to 13), and
about 15 minutes of CPU time, so a quiet 2-core machine should need well under half an hour; the
duration and the load of each study are stored in ``layers.json``.
``--only leak,speed`` reruns some studies and keeps the others' rows; ``--quick`` (1 seed,
3 epochs) writes ``layers_quick.*`` and never overwrites the full results.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # as _common.quiet_tensorflow, before keras
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "jax")

import _common as C
import keras
import numpy as np

from seqshape.datasets import TAYLOR_PER_DAY, TAYLOR_PER_WEEK, load_taylor
from seqshape.features import lag_features, rolling_features
from seqshape.models import build_model
from seqshape.windows import make_supervised, sliding_windows

WINDOW = TAYLOR_PER_DAY  # one day of half hours per input window
TRAIN_END = 8 * TAYLOR_PER_WEEK  # targets before this step train
VAL_END = 10 * TAYLOR_PER_WEEK  # targets before this step validate; the rest test
FIRST_TARGET = TAYLOR_PER_WEEK + WINDOW  # every input has its full history from here on
LAGS = [1, 2, 3, TAYLOR_PER_DAY, TAYLOR_PER_WEEK - 1, TAYLOR_PER_WEEK, TAYLOR_PER_WEEK + 1]
ROLLING = [6, TAYLOR_PER_DAY, TAYLOR_PER_WEEK]
UNITS = 16
EPOCHS = 300  # the cap; early stopping should end nearly every run before it
PATIENCE = 10
BATCH_SIZE = 32
LEARNING_RATE = 1e-2
SEEDS = 5
FAMILIES = ["dense_lags", "dense_window", "conv1d", "lstm", "gru", "bilstm"]
RAW_FAMILIES = ["dense_window", "conv1d", "lstm", "gru"]
ORIGINS = [8, 9, 10]  # rolling study: train weeks 1..k, validate week k+1, test week k+2
ROLLING_FAMILIES = ["dense_lags", "conv1d", "gru"]  # the budget does not allow all six at three origins
SEQ_LEN = 24  # leak study: steps per sequence, each labelled with the next value
LEAK_UNITS = 8  # LSTM(8) against Bidirectional(LSTM(4)): 8 values per step either way
LEAK_SEEDS = 10
SPEED_EPOCHS = 6
SPEED_REPEATS = 3
STUDIES = ["main", "leak", "raw", "speed", "rolling"]

#: Forecasts with no parameters: each maps the series x and target steps t to a forecast.
RULES = {
    "last value": lambda x, t: x[t - 1],
    "same time yesterday": lambda x, t: x[t - TAYLOR_PER_DAY],
    "same time last week": lambda x, t: x[t - TAYLOR_PER_WEEK],
    "yesterday + last change": lambda x, t: x[t - TAYLOR_PER_DAY] + x[t - 1] - x[t - TAYLOR_PER_DAY - 1],
    "last week + last change": lambda x, t: x[t - TAYLOR_PER_WEEK] + x[t - 1] - x[t - TAYLOR_PER_WEEK - 1],
    "two-week mean + last change": lambda x, t: (
        (x[t - TAYLOR_PER_WEEK] + x[t - 2 * TAYLOR_PER_WEEK]) / 2
        + x[t - 1] - (x[t - TAYLOR_PER_WEEK - 1] + x[t - 2 * TAYLOR_PER_WEEK - 1]) / 2
    ),
}


def split(train_end: int, val_end: int, test_end: int) -> dict[str, object]:
    """Scaled inputs and targets of the three splits for one forecast origin.

    Inputs: ``lags`` (the table as a one-step window), ``window`` (48 steps, demand and the
    demand one week before the next step) and ``raw`` (48 steps of demand only).
    """
    x = load_taylor()
    mean, std = x[:train_end].mean(), x[:train_end].std()
    z = (x - mean) / std
    series = np.concatenate([z[:, None], lag_features(z, TAYLOR_PER_WEEK - 1)], axis=1)
    X_seq, Y_seq = make_supervised(series, z, length=WINDOW, horizon=1)
    t_seq = np.arange(len(Y_seq)) + WINDOW  # the time step of each window's target
    table = np.concatenate([lag_features(z, LAGS), rolling_features(z, ROLLING)], axis=1)
    bounds = {"train": (FIRST_TARGET, train_end), "val": (train_end, val_end), "test": (val_end, test_end)}
    data: dict[str, object] = {"x": x, "std": std}
    for name, (lo, hi) in bounds.items():
        t = np.arange(lo, hi)
        rows = (t_seq >= lo) & (t_seq < hi)
        assert np.array_equal(t_seq[rows], t)
        y = z[t].astype("float32")
        data[name] = {
            "t": t,
            "y": y,
            "lags": table[t][:, None, :].astype("float32"),
            "window": X_seq[rows].astype("float32"),
            "raw": X_seq[rows][:, :, :1].astype("float32"),
        }
    return data


def free_rules(data: dict[str, object]) -> list[dict[str, object]]:
    """Validation and test MAE (MW) of every parameter-free rule."""
    x = data["x"]
    return [
        {"model": name, "kind": "rule", "seed": -1, "params": 0,
         **{f"{s}_mae": float(np.abs(x[data[s]["t"]] - rule(x, data[s]["t"])).mean()) for s in ("val", "test")}}
        for name, rule in RULES.items()
    ]


def least_squares(data: dict[str, object], key: str, name: str) -> dict[str, object]:
    """Linear regression with an intercept on a flattened input, solved in closed form."""
    def design(s: str) -> np.ndarray:
        inputs = data[s][key]
        return np.concatenate([inputs.reshape(len(inputs), -1), np.ones((len(inputs), 1))], axis=1).astype("float64")

    coef, *_ = np.linalg.lstsq(design("train"), data["train"]["y"].astype("float64"), rcond=None)
    row: dict[str, object] = {"model": name, "kind": "linear", "seed": -1, "params": int(coef.size)}
    for s in ("val", "test"):
        row[f"{s}_mae"] = float(np.abs(design(s) @ coef - data[s]["y"]).mean() * data["std"])
    return row


class EpochTimer(keras.callbacks.Callback):
    """Wall-clock seconds of every epoch (the first one includes tracing and compilation)."""

    def on_train_begin(self, logs=None):
        self.seconds: list[float] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def train_one(family: str, key: str, seed: int, data: dict[str, object], *, epochs: int) -> dict[str, object]:
    """Train one family with one seed on input ``key``; validation and test MAE (MW) and costs."""
    X_train, X_val = data["train"][key], data["val"][key]
    keras.utils.set_random_seed(seed)
    builder = "dense" if family.startswith("dense") else family
    model = build_model(builder, X_train.shape[1], X_train.shape[2], units=UNITS)
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="mse")
    stop = keras.callbacks.EarlyStopping(patience=PATIENCE, restore_best_weights=True)
    timer = EpochTimer()
    history = model.fit(
        X_train, data["train"]["y"], validation_data=(X_val, data["val"]["y"]), epochs=epochs,
        batch_size=BATCH_SIZE, callbacks=[stop, timer], verbose=0,
    )
    row: dict[str, object] = {"model": family, "kind": "network", "seed": seed, "params": model.count_params()}
    for s in ("val", "test"):
        pred = model.predict(data[s][key], verbose=0, batch_size=256)[:, 0]
        row[f"{s}_mae"] = float(np.abs(pred - data[s]["y"]).mean() * data["std"])
    val_loss = history.history["val_loss"]
    row.update(
        epochs=len(val_loss), best_epoch=int(np.argmin(val_loss)) + 1, capped=len(val_loss) == epochs,
        first_epoch_seconds=timer.seconds[0],
        seconds_per_epoch=float(np.median(timer.seconds[1:])) if len(timer.seconds) > 1 else float("nan"),
        train_seconds=float(sum(timer.seconds)),
    )
    return row


def study_main(seeds: list[int], epochs: int) -> list[dict[str, object]]:
    data = split(TRAIN_END, VAL_END, len(load_taylor()))
    rows = [*free_rules(data), least_squares(data, "lags", "linear_lags"), least_squares(data, "window", "linear_window")]
    for family in FAMILIES:
        for seed in seeds:
            rows.append(train_one(family, "lags" if family == "dense_lags" else "window", seed, data, epochs=epochs))
            report("main", rows[-1])
    return rows


def study_rolling(seeds: list[int], epochs: int) -> list[dict[str, object]]:
    rows = []
    for week in ORIGINS:
        data = split(week * TAYLOR_PER_WEEK, (week + 1) * TAYLOR_PER_WEEK, (week + 2) * TAYLOR_PER_WEEK)
        found = [*free_rules(data), least_squares(data, "lags", "linear_lags"), least_squares(data, "window", "linear_window")]
        for family in ROLLING_FAMILIES:
            for seed in seeds:
                found.append(train_one(family, "lags" if family == "dense_lags" else "window", seed, data, epochs=epochs))
                report(f"rolling {week}", found[-1])
        rows += [{**row, "origin": week} for row in found]
    return rows


def study_raw(seeds: list[int], epochs: int) -> list[dict[str, object]]:
    data = split(TRAIN_END, VAL_END, len(load_taylor()))
    rows = [*free_rules(data), least_squares(data, "raw", "linear_window")]
    for family in RAW_FAMILIES:
        for seed in seeds:
            rows.append(train_one(family, "raw", seed, data, epochs=epochs))
            report("raw", rows[-1])
    return rows


def per_step(z: np.ndarray, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
    """Sequences of SEQ_LEN steps from z[lo:hi] (stride 4); each step's label is the next value."""
    w = sliding_windows(z[lo:hi], SEQ_LEN + 1, stride=4)
    return w[:, :-1, None].astype("float32"), w[:, 1:, None].astype("float32")


def per_step_model(bidirectional: bool) -> keras.Model:
    """LSTM(8) or Bidirectional(LSTM(4)), one output per step: (batch, SEQ_LEN, 1)."""
    core = keras.layers.LSTM(LEAK_UNITS // 2 if bidirectional else LEAK_UNITS, return_sequences=True)
    return keras.Sequential([
        keras.Input(shape=(SEQ_LEN, 1)),
        keras.layers.Bidirectional(core) if bidirectional else core,
        keras.layers.Dense(1),
    ])


def study_leak(seeds: list[int], epochs: int) -> list[dict[str, object]]:
    x = load_taylor()
    mean, std = x[:TRAIN_END].mean(), x[:TRAIN_END].std()
    z = (x - mean) / std
    sets = {"train": per_step(z, 0, TRAIN_END), "val": per_step(z, TRAIN_END, VAL_END),
            "test": per_step(z, VAL_END, len(z))}
    rows = []
    for seed in seeds:
        for name, bidirectional in [("lstm", False), ("bilstm", True)]:
            keras.utils.set_random_seed(seed)
            model = per_step_model(bidirectional)
            model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="mse")
            stop = keras.callbacks.EarlyStopping(patience=PATIENCE, restore_best_weights=True)
            history = model.fit(*sets["train"], validation_data=sets["val"], epochs=epochs,
                                batch_size=BATCH_SIZE, callbacks=[stop], verbose=0)
            best = int(np.argmin(history.history["val_loss"]))
            row: dict[str, object] = {
                "model": name, "kind": "network", "seed": seed, "params": model.count_params(),
                "epochs": len(history.history["val_loss"]), "best_epoch": best + 1,
                "capped": len(history.history["val_loss"]) == epochs,
                "train_loss": float(history.history["loss"][best]),
                "val_loss": float(history.history["val_loss"][best]),
            }
            for s in ("val", "test"):
                X, Y = sets[s]
                err = np.abs(model.predict(X, verbose=0, batch_size=256) - Y).mean(axis=(0, 2)) * std
                row[f"{s}_mae"] = float(err.mean())  # all positions, what the validation loss averages
                row[f"{s}_mae_last"] = float(err[-1])  # the last position: the real forecast
                row[f"{s}_mae_by_step"] = [float(e) for e in err]
            rows.append(row)
            report("leak", row)
    return rows


def speed_child(backend: str) -> None:
    """In a fresh process on ``backend``: seconds per epoch of every family, interleaved."""
    data = split(TRAIN_END, VAL_END, len(load_taylor()))
    rows = []
    for repeat in range(SPEED_REPEATS):
        for family in FAMILIES:
            key = "lags" if family == "dense_lags" else "window"
            keras.utils.set_random_seed(repeat)
            builder = "dense" if family.startswith("dense") else family
            model = build_model(builder, *data["train"][key].shape[1:], units=UNITS)
            model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="mse")
            timer = EpochTimer()
            model.fit(data["train"][key], data["train"]["y"], validation_data=(data["val"][key], data["val"]["y"]),
                      epochs=SPEED_EPOCHS, batch_size=BATCH_SIZE, callbacks=[timer], verbose=0)
            rows.append({"model": family, "backend": backend, "repeat": repeat, "params": model.count_params(),
                         "first_epoch_seconds": timer.seconds[0],
                         "seconds_per_epoch": float(np.median(timer.seconds[1:]))})
    print(json.dumps(rows))


def study_speed(seeds: list[int], epochs: int) -> list[dict[str, object]]:
    rows = []
    for backend in ("tensorflow", "jax"):
        os.environ["KERAS_BACKEND"] = backend  # read by the child process only
        found = C.run_child(__file__, [backend], timeout=1800)
        for row in found:
            report("speed", row)
        rows += found
    return rows


def report(study: str, row: dict[str, object]) -> None:
    """One line per run, so that a long benchmark shows its progress."""
    if "val_mae" in row:
        print(f"{study:>10} {row['model']:>14} seed {row['seed']:2d}: val {row['val_mae']:6.1f} MW, "
              f"test {row['test_mae']:6.1f} MW, {row.get('epochs', 0):3d} epochs"
              f"{' (capped)' if row.get('capped') else ''}", flush=True)
    else:
        print(f"{study:>10} {row['model']:>14} {row['backend']:>10}: {row['seconds_per_epoch']:.3f} s/epoch", flush=True)


def settings(epochs: int, seeds: list[int]) -> dict[str, object]:
    """Every constant the chapter must share with this script."""
    return {
        "window": WINDOW, "train_end": TRAIN_END, "val_end": VAL_END, "first_target": FIRST_TARGET,
        "lags": LAGS, "rolling": ROLLING, "units": UNITS, "epochs": epochs, "patience": PATIENCE,
        "batch_size": BATCH_SIZE, "learning_rate": LEARNING_RATE, "seeds": seeds, "loss": "mse",
        "optimizer": "Adam", "horizon": 1, "families": FAMILIES, "raw_families": RAW_FAMILIES,
        "origins": ORIGINS, "rolling_families": ROLLING_FAMILIES, "seq_len": SEQ_LEN, "leak_units": LEAK_UNITS, "leak_seeds": LEAK_SEEDS,
        "speed_epochs": SPEED_EPOCHS, "speed_repeats": SPEED_REPEATS, "rules": list(RULES),
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        speed_child(sys.argv[2])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=SEEDS, help=f"seeds per trained model (default {SEEDS})")
    parser.add_argument("--only", default=",".join(STUDIES), help="comma-separated studies to run; the others' rows are kept")
    parser.add_argument("--quick", action="store_true", help="1 seed, 3 epochs: a smoke test (layers_quick.*)")
    args = parser.parse_args()
    only = args.only.split(",")
    unknown = sorted(set(only) - set(STUDIES))
    if unknown:
        parser.error(f"--only got {unknown}; choose from {STUDIES}")
    seeds = [0] if args.quick else list(range(args.seeds))
    epochs = 3 if args.quick else EPOCHS
    stem = "layers_quick" if args.quick else "layers"
    previous = C.RESULTS / f"{stem}.json"
    old = json.loads(previous.read_text()) if previous.exists() else {"rows": [], "meta": {}}
    studies_meta = old["meta"].get("studies", {}) if old["meta"].get("settings", {}).get("epochs") == epochs else {}
    rows = [row for row in old["rows"] if row.get("study") in studies_meta and row["study"] not in only]
    runners = {"main": study_main, "rolling": study_rolling, "raw": study_raw, "leak": study_leak, "speed": study_speed}
    for study in [s for s in STUDIES if s in only]:
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        study_seeds = list(range(LEAK_SEEDS)) if study == "leak" and not args.quick else seeds
        found = runners[study](study_seeds, epochs)
        rows += [{"study": study, **row} for row in found]
        studies_meta[study] = {
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "seconds": round(time.perf_counter() - started, 1),
            "load_1min_before": load_before, "load_1min_after": os.getloadavg()[0],
            "backend": "tensorflow and jax" if study == "speed" else keras.backend.backend(),
        }
        print(f"== {study}: {studies_meta[study]['seconds']:.0f} s", flush=True)
        rows.sort(key=lambda row: STUDIES.index(row["study"]))
        meta = C.meta(settings(epochs, seeds), seconds=sum(s["seconds"] for s in studies_meta.values()))
        meta["studies"] = studies_meta
        meta["backend"] = keras.backend.backend()
        C.write_results("layers", rows, meta, quick=args.quick)  # after each study: a failure keeps the rest


if __name__ == "__main__":
    main()

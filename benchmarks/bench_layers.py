"""Which Keras layer forecasts half-hourly electricity demand best? The multi-seed comparison.

The chapter ``book/03_choosing_the_layer.ipynb`` trains the baselines and two models live; this
script runs the full protocol (every model family, several seeds) and writes one row per run to
``benchmarks/results/layers.csv``, which the chapter reads and displays. The protocol here and in
the chapter is the same:

* data: ``seqshape.datasets.load_taylor()`` (4032 half-hourly values, 12 weeks);
* chronological split by the target's time step: weeks 1-8 train, 9-10 validation, 11-12 test;
  the first ``WEEK + WINDOW`` steps only serve as history, so every model and baseline is scored
  on exactly the same targets;
* scaling: mean and standard deviation of the training weeks only;
* task: the next half hour (``horizon=1``);
* sequence models read ``(batch, 48, 2)`` windows from ``seqshape.windows.make_supervised``:
  the demand and, as a second channel, the demand one week before the *next* step
  (``lag_features(z, 335)``), which is known at the window's last step;
* the Dense model on engineered features reads lags and rolling means as a one-step window;
  a linear regression on the same features, solved by least squares, is reported beside the
  naive baselines (``linear_lags``, seed -1: it has no randomness);
* Adam, MSE loss, early stopping on the validation loss (best weights restored).

Results: ``benchmarks/results/layers.csv`` (one row per run; the baselines have seed -1) and
``layers.json`` (the same rows plus the settings, versions and machine); ``--quick`` writes
``layers_quick.*`` instead and never overwrites them.

Run with ``python benchmarks/bench_layers.py`` (training took 12 to 21 minutes on 2 CPU cores shared with other jobs);
``--seeds 5`` for a tighter spread, ``--quick`` for a smoke test.
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
import pandas as pd

from seqshape.datasets import TAYLOR_PER_DAY, TAYLOR_PER_WEEK, load_taylor
from seqshape.features import lag_features, rolling_features
from seqshape.models import build_model
from seqshape.windows import make_supervised

WINDOW = TAYLOR_PER_DAY  # one day of half hours per input window
TRAIN_END = 8 * TAYLOR_PER_WEEK  # targets before this step train
VAL_END = 10 * TAYLOR_PER_WEEK  # targets before this step validate; the rest test
FIRST_TARGET = TAYLOR_PER_WEEK + WINDOW  # every input has its full history from here on
LAGS = [1, 2, 3, TAYLOR_PER_DAY, TAYLOR_PER_WEEK - 1, TAYLOR_PER_WEEK, TAYLOR_PER_WEEK + 1]
ROLLING = [6, TAYLOR_PER_DAY, TAYLOR_PER_WEEK]
UNITS = 16
EPOCHS = 50
PATIENCE = 8
BATCH_SIZE = 32
LEARNING_RATE = 1e-2
FAMILIES = ["dense_lags", "dense_window", "conv1d", "lstm", "gru", "bilstm"]


def prepare() -> dict[str, object]:
    """Scaled inputs and targets for the three splits, plus the baselines' test forecasts."""
    x = load_taylor()
    mean, std = x[:TRAIN_END].mean(), x[:TRAIN_END].std()
    z = (x - mean) / std
    # Sequence input: demand, and demand one week before the next step (known at step t).
    series = np.concatenate([z[:, None], lag_features(z, TAYLOR_PER_WEEK - 1)], axis=1)
    X_seq, Y_seq = make_supervised(series, z, length=WINDOW, horizon=1)
    t_seq = np.arange(len(Y_seq)) + WINDOW  # the time step of each target
    # Engineered features for the Dense model: row t describes the past of step t.
    table = np.concatenate([lag_features(z, LAGS), rolling_features(z, ROLLING)], axis=1)
    t_all = np.arange(len(z))
    splits = {
        "train": (FIRST_TARGET, TRAIN_END),
        "val": (TRAIN_END, VAL_END),
        "test": (VAL_END, len(z)),
    }
    data: dict[str, object] = {"x": x, "mean": mean, "std": std}
    for name, (lo, hi) in splits.items():
        seq = (t_seq >= lo) & (t_seq < hi)
        tab = (t_all >= lo) & (t_all < hi)
        data[name] = {
            "window": (X_seq[seq].astype("float32"), Y_seq[seq].astype("float32")),
            "lags": (table[tab][:, None, :].astype("float32"), z[tab].astype("float32")),
            "t": t_all[tab],
        }
    return data


def baselines(data: dict[str, object]) -> dict[str, float]:
    """Test MAE (MW) of the naive forecasts and of a least-squares linear model on the features."""
    x = data["x"]
    t = data["test"]["t"]
    # Linear regression on the Dense model's features, solved in closed form (no seed, no epochs).
    (X_train, y_train), (X_test, y_test) = data["train"]["lags"], data["test"]["lags"]
    design = np.concatenate([X_train[:, 0], np.ones((len(X_train), 1))], axis=1).astype("float64")
    coef, *_ = np.linalg.lstsq(design, y_train.astype("float64"), rcond=None)
    test_design = np.concatenate([X_test[:, 0], np.ones((len(X_test), 1))], axis=1).astype("float64")
    linear = np.abs(test_design @ coef - y_test).mean() * data["std"]
    return {
        "last value": float(np.abs(x[t] - x[t - 1]).mean()),
        "seasonal naive (day)": float(np.abs(x[t] - x[t - TAYLOR_PER_DAY]).mean()),
        "seasonal naive (week)": float(np.abs(x[t] - x[t - TAYLOR_PER_WEEK]).mean()),
        "linear_lags": float(linear),
    }


def train_one(family: str, seed: int, data: dict[str, object], *, epochs: int = EPOCHS) -> dict[str, object]:
    """Train one model family with one seed; return its test MAE in MW and its costs."""
    key = "lags" if family == "dense_lags" else "window"
    X_train, y_train = data["train"][key]
    X_val, y_val = data["val"][key]
    X_test, y_test = data["test"][key]
    keras.utils.set_random_seed(seed)
    builder = "dense" if family.startswith("dense") else family
    model = build_model(builder, X_train.shape[1], X_train.shape[2], units=UNITS)
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="mse")
    stop = keras.callbacks.EarlyStopping(patience=PATIENCE, restore_best_weights=True)
    start = time.perf_counter()
    history = model.fit(
        X_train, y_train, validation_data=(X_val, y_val), epochs=epochs,
        batch_size=BATCH_SIZE, callbacks=[stop], verbose=0,
    )
    seconds = time.perf_counter() - start
    pred = model.predict(X_test, verbose=0)[:, 0]
    mae = float(np.abs(pred - y_test).mean() * data["std"])
    return {
        "model": family, "seed": seed, "test_mae": mae, "params": model.count_params(),
        "epochs": len(history.history["loss"]), "train_seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="seeds per model family (default 3)")
    parser.add_argument("--quick", action="store_true", help="2 epochs, 1 seed: a smoke test (layers_quick.*)")
    args = parser.parse_args()
    started = time.perf_counter()
    seeds = [0] if args.quick else list(range(args.seeds))
    epochs = 2 if args.quick else EPOCHS

    data = prepare()
    n_linear = data["train"]["lags"][0].shape[2] + 1  # one weight per feature and an intercept
    rows = [{"model": name, "seed": -1, "test_mae": mae, "params": n_linear if name == "linear_lags" else 0,
             "epochs": 0, "train_seconds": 0.0}
            for name, mae in baselines(data).items()]
    for family in FAMILIES:
        for seed in seeds:
            row = train_one(family, seed, data, epochs=epochs)
            print(f"{family:>13} seed {seed}: MAE {row['test_mae']:7.1f} MW, {row['epochs']:2d} epochs, "
                  f"{row['train_seconds']:5.1f} s", flush=True)
            rows.append(row)
    frame = pd.DataFrame(rows)
    reference = frame.loc[frame["model"] == "seasonal naive (week)", "test_mae"].iloc[0]
    summary = (
        frame.groupby("model", sort=False)
        .agg(test_mae=("test_mae", "mean"), spread=("test_mae", "std"), params=("params", "first"),
             train_seconds=("train_seconds", "mean"))
        .assign(relative=lambda d: d["test_mae"] / reference)
    )
    print(summary.round(3).to_string())
    settings = {
        "window": WINDOW, "train_end": TRAIN_END, "val_end": VAL_END, "first_target": FIRST_TARGET,
        "lags": LAGS, "rolling": ROLLING, "units": UNITS, "epochs": epochs, "patience": PATIENCE,
        "batch_size": BATCH_SIZE, "learning_rate": LEARNING_RATE, "seeds": seeds,
        "loss": "mse", "optimizer": "Adam", "horizon": 1,
    }
    C.write_results("layers", rows, C.meta(settings, seconds=time.perf_counter() - started), quick=args.quick)


if __name__ == "__main__":
    main()

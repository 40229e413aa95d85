"""Root conftest: silence TensorFlow's C++ logs before any test, doctest or notebook imports it,
and set hypothesis profiles."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

from hypothesis import settings

# No per-example deadline: the suite shares 2 cores with notebook kernels, and a slow example
# is not a wrong one. On CI the examples are derived from each test (derandomize), so a landing
# can't fail on a draw that no earlier run saw; locally each run explores new examples.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

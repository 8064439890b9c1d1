"""The inputs of the cases beyond the demo: one visible case of other sizes, and the hidden ones.

A case is a dict of arrays named like the function's parameters: the gradients or the
parameters under "param.<key>", numbers as 0-d arrays, index lists as 1-d arrays, a list of
names under "text.names" (the checks' ``text_array``). The alphabet of a case with n_y outputs
is END and the first n_y - 1 letters, END at index "end" (0 unless said).
"""
import numpy as np

from public_tests import text_array

GRADIENT_KEYS = ("dWax", "dWaa", "dWya", "dba", "dby")


def _parameters(randn, n_a, n_y, scale):
    shapes = {"Wax": (n_a, n_y), "Waa": (n_a, n_a), "Wya": (n_y, n_a), "ba": (n_a, 1), "by": (n_y, 1)}
    return {"param." + key: scale * randn(*shape) for key, shape in shapes.items()}


def clip_case(seed, n_a, n_y, spread, max_value):
    """Gradients drawn with standard deviation ``spread``, clipped at ``max_value``."""
    randn = np.random.RandomState(seed).randn
    shapes = {"dWax": (n_a, n_y), "dWaa": (n_a, n_a), "dWya": (n_y, n_a), "dba": (n_a, 1), "dby": (n_y, 1)}
    case = {"param." + key: spread * randn(*shapes[key]) for key in GRADIENT_KEYS}
    case["maxValue"] = np.asarray(float(max_value))
    return case


def sample_case(seed, n_a, n_y, scale, sample_seed, end=0, end_bias=0.0):
    """Random parameters; ``end_bias`` is added to END's output bias (negative: long names)."""
    randn = np.random.RandomState(seed).randn
    case = _parameters(randn, n_a, n_y, scale)
    case["param.by"][end] += end_bias
    case.update(seed=np.asarray(float(sample_seed)), end=np.asarray(float(end)))
    return case


def optimize_case(seed, n_a, n_y, scale, length, learning_rate):
    """A random name of ``length`` letters over an alphabet of n_y symbols (END is 0)."""
    state = np.random.RandomState(seed)
    case = _parameters(state.randn, n_a, n_y, scale)
    letters = [int(i) for i in state.randint(1, n_y, size=length)]
    case.update(X=np.array([0] + letters, dtype=float), Y=np.array(letters + [0], dtype=float),
                a_prev=state.randn(n_a, 1), learning_rate=np.asarray(float(learning_rate)))
    return case


def model_case(names, iterations, n_a, learning_rate, seed):
    return {"text.names": text_array(names), "num_iterations": np.asarray(float(iterations)),
            "n_a": np.asarray(float(n_a)), "learning_rate": np.asarray(float(learning_rate)),
            "seed": np.asarray(float(seed))}


VISIBLE = {
    "clip": {"sizes": clip_case(11, n_a=3, n_y=4, spread=6.0, max_value=5)},
    "sample": {"sizes": sample_case(12, n_a=6, n_y=5, scale=1.5, sample_seed=3, end_bias=-30.0)},
    "optimize": {"sizes": optimize_case(13, n_a=4, n_y=6, scale=1.0, length=7, learning_rate=0.1)},
    "model": {"sizes": model_case(["ab", "bca", "c"], iterations=7, n_a=3, learning_rate=0.1, seed=4)},
}

HIDDEN = {
    "clip": [
        ("nothing beyond the bounds", clip_case(101, n_a=2, n_y=3, spread=0.5, max_value=10)),
        ("a small bound (maxValue = 0.5)", clip_case(102, n_a=4, n_y=2, spread=3.0, max_value=0.5)),
    ],
    "sample": [
        ("a name cut at 50 characters", sample_case(103, n_a=5, n_y=6, scale=0.5, sample_seed=8, end_bias=-30.0)),
        ("END not at index 0", sample_case(104, n_a=3, n_y=4, scale=2.0, sample_seed=0, end=2)),
        ("a one-letter alphabet", sample_case(105, n_a=2, n_y=2, scale=1.0, sample_seed=5)),
    ],
    "optimize": [
        ("a one-letter name", optimize_case(106, n_a=3, n_y=4, scale=1.0, length=1, learning_rate=0.5)),
        ("large weights (gradients clipped)", optimize_case(107, n_a=5, n_y=3, scale=4.0, length=9,
                                                             learning_rate=0.01)),
    ],
    "model": [
        ("one name, one iteration", model_case(["z"], iterations=1, n_a=2, learning_rate=0.5, seed=7)),
        ("more iterations than names", model_case(["ba", "ab"], iterations=5, n_a=1, learning_rate=1.0, seed=8)),
        ("longer names", model_case(["maia", "sauro", "pod"], iterations=4, n_a=5, learning_rate=0.02, seed=9)),
    ],
}


def visible_inputs(exercise):
    """The visible cases besides the demo, by name."""
    return {name: dict(case) for name, case in VISIBLE[exercise].items()}


def hidden_inputs(exercise):
    """The hidden cases: (label, inputs) pairs."""
    return [(label, dict(case)) for label, case in HIDDEN[exercise]]

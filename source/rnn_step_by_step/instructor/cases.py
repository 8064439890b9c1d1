"""The inputs of the cases beyond the demo: one visible case of other sizes, and the hidden ones.

A case is a dict of named float64 arrays: the function's array arguments by their names, the
parameters under "param.<name>", and for a backward pass the forward inputs it needs (its
caches are rebuilt from them) followed by the upstream gradients. The demo case is not here:
the engine records it by running the notebook's demo cell.
"""
import numpy as np

LSTM_GATE_PARAMS = ("Wf", "bf", "Wi", "bi", "Wo", "bo", "Wc", "bc")


def _rnn_params(n_x, n_a, n_y):
    return {"Wax": (n_a, n_x), "Waa": (n_a, n_a), "Wya": (n_y, n_a), "ba": (n_a, 1), "by": (n_y, 1)}


def _lstm_params(n_x, n_a, n_y):
    gates = {name: (n_a, n_a + n_x) if name.startswith("W") else (n_a, 1) for name in LSTM_GATE_PARAMS}
    return {**gates, "Wy": (n_y, n_a), "by": (n_y, 1)}


# What each exercise is given: its forward inputs, its parameters, the upstream gradients of a
# backward pass (drawn last, in this order).
INPUTS = {
    "rnn_cell_forward": (("xt", "a_prev"), _rnn_params, ()),
    "rnn_forward": (("x", "a0"), _rnn_params, ()),
    "lstm_cell_forward": (("xt", "a_prev", "c_prev"), _lstm_params, ()),
    "lstm_forward": (("x", "a0"), _lstm_params, ()),
    "rnn_cell_backward": (("xt", "a_prev"), _rnn_params, ("da_next",)),
    "rnn_backward": (("x", "a0"), _rnn_params, ("da",)),
    "lstm_cell_backward": (("xt", "a_prev", "c_prev"), _lstm_params, ("da_next", "dc_next")),
    "lstm_backward": (("x", "a0"), _lstm_params, ("da",)),
}
# the sequence backward passes, whose da may be shorter than x (T_x must come from da)
SHORTER_DA = ("rnn_backward", "lstm_backward")


def shaped_case(exercise, seed, n_x, n_a, n_y, m, T_x, T_back=None):
    """Inputs for one exercise with the given sizes, drawn from its own seed.

    T_back is the number of steps back-propagated by the sequence backward passes (the length
    of ``da``); it defaults to T_x, and other exercises ignore it.
    """
    randn = np.random.RandomState(seed).randn
    T_back = T_back if exercise in SHORTER_DA and T_back is not None else T_x
    shapes = {"xt": (n_x, m), "a_prev": (n_a, m), "c_prev": (n_a, m), "x": (n_x, m, T_x), "a0": (n_a, m),
              "da_next": (n_a, m), "dc_next": (n_a, m), "da": (n_a, m, T_back)}
    inputs, param_shapes, upstream = INPUTS[exercise]
    case = {name: randn(*shapes[name]) for name in inputs}
    case.update({"param." + name: randn(*shape) for name, shape in param_shapes(n_x, n_a, n_y).items()})
    case.update({name: randn(*shapes[name]) for name in upstream})
    return case


# Sizes of the visible case beyond the demo: n_a differs from n_x, several examples.
VISIBLE_SHAPES = {"seed": 7, "n_x": 4, "n_a": 3, "n_y": 3, "m": 2, "T_x": 5, "T_back": 3}

# Sizes the learner never sees: label, then the sizes.
HIDDEN_SHAPES = (
    ("one example (m = 1)", dict(seed=101, n_x=3, n_a=5, n_y=2, m=1, T_x=4)),
    ("one time step (T_x = 1)", dict(seed=102, n_x=4, n_a=3, n_y=2, m=3, T_x=1)),
    ("n_a larger than n_x and one output (n_y = 1)", dict(seed=103, n_x=2, n_a=6, n_y=1, m=4, T_x=3)),
    ("n_a smaller than n_x, da shorter than x", dict(seed=104, n_x=6, n_a=2, n_y=3, m=2, T_x=5, T_back=2)),
)


def visible_inputs(exercise):
    """The visible cases besides the demo, by name."""
    return {"sizes": shaped_case(exercise, **VISIBLE_SHAPES)}


def hidden_inputs(exercise):
    """The hidden cases: (label, inputs) pairs."""
    return [(label, shaped_case(exercise, **shapes)) for label, shapes in HIDDEN_SHAPES]

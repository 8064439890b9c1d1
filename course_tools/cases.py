"""The fixed inputs the checks run the learner's functions on.

Each exercise has the course's demo case (drawn with np.random.seed(1) in the order the
notebook's demo cell draws) and further cases with other shapes and seeds. A case is a dict
of named float64 arrays; parameters are stored under "param.<name>".
"""
import numpy as np

RNN_PARAMS = ("Wax", "Waa", "Wya", "ba", "by")
LSTM_GATE_PARAMS = ("Wf", "bf", "Wi", "bi", "Wo", "bo", "Wc", "bc")


def _param_shapes(kind, n_x, n_a, n_y):
    if kind == "rnn":
        return {"Wax": (n_a, n_x), "Waa": (n_a, n_a), "Wya": (n_y, n_a), "ba": (n_a, 1), "by": (n_y, 1)}
    gates = {name: (n_a, n_a + n_x) if name.startswith("W") else (n_a, 1) for name in LSTM_GATE_PARAMS}
    return {**gates, "Wy": (n_y, n_a), "by": (n_y, 1)}


def _draw(randn, order, shapes):
    """Draw one array per name, in the given order, with the given shapes."""
    return {name: randn(*shapes[name]) for name in order}


def demo_case(exercise):
    """The inputs of the notebook's demo cell for one exercise (np.random.seed(1) draws)."""
    rng = np.random.RandomState(1)  # same stream as np.random.seed(1) + np.random.randn
    randn = rng.randn
    rnn = _param_shapes("rnn", 3, 5, 2)
    lstm = _param_shapes("lstm", 3, 5, 2)
    if exercise == "rnn_cell_forward":
        case = _draw(randn, ("xt", "a_prev"), {"xt": (3, 10), "a_prev": (5, 10)})
        params = _draw(randn, ("Waa", "Wax", "Wya", "ba", "by"), rnn)
    elif exercise == "rnn_forward":
        case = _draw(randn, ("x", "a0"), {"x": (3, 10, 4), "a0": (5, 10)})
        params = _draw(randn, ("Waa", "Wax", "Wya", "ba", "by"), rnn)
    elif exercise in ("lstm_cell_forward", "lstm_cell_backward"):
        case = _draw(randn, ("xt", "a_prev", "c_prev"), {"xt": (3, 10), "a_prev": (5, 10), "c_prev": (5, 10)})
        params = _draw(randn, LSTM_GATE_PARAMS + ("Wy", "by"), lstm)
    elif exercise in ("lstm_forward", "lstm_backward"):
        case = _draw(randn, ("x", "a0"), {"x": (3, 10, 7), "a0": (5, 10)})
        params = _draw(randn, LSTM_GATE_PARAMS, lstm)
        if exercise == "lstm_forward":
            params.update(_draw(randn, ("Wy", "by"), lstm))
        else:  # the backward demo uses zero output weights and draws nothing for them
            params.update(Wy=np.zeros(lstm["Wy"]), by=np.zeros(lstm["by"]))
    elif exercise == "rnn_cell_backward":
        case = _draw(randn, ("xt", "a_prev"), {"xt": (3, 10), "a_prev": (5, 10)})
        params = _draw(randn, RNN_PARAMS, rnn)  # Wax before Waa here
    elif exercise == "rnn_backward":
        case = _draw(randn, ("x", "a0"), {"x": (3, 10, 4), "a0": (5, 10)})
        params = _draw(randn, RNN_PARAMS, rnn)
    else:
        raise ValueError(f"unknown exercise {exercise!r}")
    case.update({"param." + name: value for name, value in params.items()})
    # the upstream gradients are drawn after the forward inputs
    if exercise == "rnn_cell_backward":
        case["da_next"] = randn(5, 10)
    elif exercise == "rnn_backward":
        case["da"] = randn(5, 10, 4)
    elif exercise == "lstm_cell_backward":
        case["da_next"] = randn(5, 10)
        case["dc_next"] = randn(5, 10)
    elif exercise == "lstm_backward":
        case["da"] = randn(5, 10, 4)
    return case


def shaped_case(exercise, seed, n_x, n_a, n_y, m, T_x, T_back=None):
    """Inputs for one exercise with the given sizes, drawn from its own seed.

    T_back is the number of steps back-propagated by the sequence backward passes
    (the length of ``da``); it defaults to T_x.
    """
    randn = np.random.RandomState(seed).randn
    kind = "lstm" if exercise.startswith("lstm") else "rnn"
    cell = "_cell_" in exercise
    T_back = T_x if T_back is None else T_back
    shapes = {"xt": (n_x, m), "a_prev": (n_a, m), "c_prev": (n_a, m), "x": (n_x, m, T_x), "a0": (n_a, m),
              "da_next": (n_a, m), "dc_next": (n_a, m), "da": (n_a, m, T_back)}
    if cell:
        names = ("xt", "a_prev", "c_prev") if kind == "lstm" else ("xt", "a_prev")
    else:
        names = ("x", "a0")
    case = _draw(randn, names, shapes)
    param_shapes = _param_shapes(kind, n_x, n_a, n_y)
    case.update({"param." + k: v for k, v in _draw(randn, tuple(param_shapes), param_shapes).items()})
    if exercise.endswith("backward"):
        if cell:
            grads = ("da_next", "dc_next") if kind == "lstm" else ("da_next",)
        else:
            grads = ("da",)
        case.update(_draw(randn, grads, shapes))
    return case


# Sizes of the visible cases beyond the demo: n_a differs from n_x, several examples.
VISIBLE_SHAPES = {"seed": 7, "n_x": 4, "n_a": 3, "n_y": 3, "m": 2, "T_x": 5}


def visible_cases(exercise):
    """The named cases a visible check runs: the demo and one case of other sizes."""
    shapes = dict(VISIBLE_SHAPES)
    if exercise.endswith("_backward") and "_cell_" not in exercise:
        shapes["T_back"] = 3  # T_x must come from da, not from x
    return {"demo": demo_case(exercise), "sizes": shaped_case(exercise, **shapes)}

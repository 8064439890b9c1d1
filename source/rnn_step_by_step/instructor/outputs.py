"""The reference outputs a check compares against, one function per exercise.

Each takes the reference functions (by name) and one case (a public_tests Case of its inputs)
and returns the arrays the check needs besides the inputs: the outputs, the forward values a
backward check needs to rebuild the caches, the per-step values a sequence check needs to stand
in for the cell function, and for the backward passes, gradients estimated by central
differences of the forward pass ("numeric.<name>").
"""
import numpy as np
from rnn_utils import numerical_gradient

RNN_GRADS = ("dWax", "dWaa", "dba")
LSTM_GRADS = ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")


def _stack(cell_caches, index):
    """Stack entry ``index`` of every cell cache along a new last (time) axis."""
    return np.stack([cache[index] for cache in cell_caches], axis=-1)


def _numeric(loss, inputs, params, names):
    """Central-difference gradients of ``loss`` for each named input or parameter."""
    numeric = {}
    for name in names:
        target = params[name[1:]] if name[1:] in params else inputs[name]
        numeric["numeric." + name] = numerical_gradient(loss, target)
    return numeric


def rnn_cell_forward(ref, case):
    a_next, yt_pred, _ = ref["rnn_cell_forward"](case["xt"], case["a_prev"], case.parameters())
    return {"a_next": a_next, "yt_pred": yt_pred}


def rnn_forward(ref, case):
    a, y_pred, _ = ref["rnn_forward"](case["x"], case["a0"], case.parameters())
    return {"a": a, "y_pred": y_pred}


def lstm_cell_forward(ref, case):
    a_next, c_next, yt_pred, cache = ref["lstm_cell_forward"](case["xt"], case["a_prev"], case["c_prev"],
                                                              case.parameters())
    ft, it, cct, ot = cache[4:8]
    return {"a_next": a_next, "c_next": c_next, "yt_pred": yt_pred, "ft": ft, "it": it, "cct": cct, "ot": ot}


def lstm_forward(ref, case):
    a, y, c, (cell_caches, _) = ref["lstm_forward"](case["x"], case["a0"], case.parameters())
    gates = {name: _stack(cell_caches, index) for index, name in zip(range(4, 8), ("ft", "it", "cct", "ot"))}
    return {"a": a, "y": y, "c": c, **gates}


def rnn_cell_backward(ref, case):
    params = case.parameters()
    forward = ref["rnn_cell_forward"]
    a_next, _, cache = forward(case["xt"], case["a_prev"], params)
    grads = ref["rnn_cell_backward"](case["da_next"], cache)

    def loss():
        return np.sum(case["da_next"] * forward(case["xt"], case["a_prev"], params)[0])

    numeric = _numeric(loss, {"dxt": case["xt"], "da_prev": case["a_prev"]}, params, ("dxt", "da_prev") + RNN_GRADS)
    return {"a_next": a_next, **grads, **numeric}


def rnn_backward(ref, case):
    params = case.parameters()
    forward, cell_backward = ref["rnn_forward"], ref["rnn_cell_backward"]
    a, _, caches = forward(case["x"], case["a0"], params)
    grads = ref["rnn_backward"](case["da"], caches)
    steps = _backward_steps(cell_backward, case["da"], caches[0], lambda da_t, carried, cache: (da_t + carried["da_prev"], cache))
    T = case["da"].shape[2]

    def loss():
        return np.sum(case["da"] * forward(case["x"], case["a0"], params)[0][:, :, :T])

    numeric = _numeric(loss, {"dx": case["x"], "da0": case["a0"]}, params, ("dx", "da0") + RNN_GRADS)
    numeric["numeric.dx"] = numeric["numeric.dx"][:, :, :T]
    return {"a": a, **grads, **steps, **numeric}


def lstm_cell_backward(ref, case):
    params = case.parameters()
    forward = ref["lstm_cell_forward"]
    a_next, c_next, _, cache = forward(case["xt"], case["a_prev"], case["c_prev"], params)
    grads = ref["lstm_cell_backward"](case["da_next"], case["dc_next"], cache)

    def loss():
        a, c, _, _ = forward(case["xt"], case["a_prev"], case["c_prev"], params)
        return np.sum(case["da_next"] * a) + np.sum(case["dc_next"] * c)

    inputs = {"dxt": case["xt"], "da_prev": case["a_prev"], "dc_prev": case["c_prev"]}
    numeric = _numeric(loss, inputs, params, ("dxt", "da_prev", "dc_prev") + LSTM_GRADS)
    ft, it, cct, ot = cache[4:8]
    return {"a_next": a_next, "c_next": c_next, "ft": ft, "it": it, "cct": cct, "ot": ot, **grads, **numeric}


def lstm_backward(ref, case):
    params = case.parameters()
    forward, cell_backward = ref["lstm_forward"], ref["lstm_cell_backward"]
    a, _, c, caches = forward(case["x"], case["a0"], params)
    grads = ref["lstm_backward"](case["da"], caches)
    steps = _backward_steps(cell_backward, case["da"], caches[0],
                            lambda da_t, carried, cache: (da_t + carried["da_prev"], carried["dc_prev"], cache))
    T = case["da"].shape[2]

    def loss():
        return np.sum(case["da"] * forward(case["x"], case["a0"], params)[0][:, :, :T])

    numeric = _numeric(loss, {"dx": case["x"], "da0": case["a0"]}, params, ("dx", "da0") + LSTM_GRADS)
    numeric["numeric.dx"] = numeric["numeric.dx"][:, :, :T]
    gates = {name: _stack(caches[0], index) for index, name in zip(range(4, 8), ("ft", "it", "cct", "ot"))}
    return {"a": a, "c": c, **gates, **grads, **steps, **numeric}


def _backward_steps(cell_backward, da, cell_caches, cell_args):
    """Run a reference backward loop and record what each cell call received and returned.

    Stored as "step.<name>" arrays with time as the last axis: the gradients the cell at step
    t must be given ("step.da_next", and "step.dc_next" for the LSTM) and every gradient it
    returns ("step.dxt", "step.dWax", ...).
    """
    n_a, m, T = da.shape
    carried = {"da_prev": np.zeros((n_a, m)), "dc_prev": np.zeros((n_a, m))}
    records = {}
    for t in reversed(range(T)):
        args = cell_args(da[:, :, t], carried, cell_caches[t])
        received = {"da_next": args[0]} if len(args) == 2 else {"da_next": args[0], "dc_next": args[1]}
        returned = cell_backward(*args)
        for name, value in {**received, **returned}.items():
            records.setdefault(name, [None] * T)[t] = value
        carried.update({k: returned[k] for k in ("da_prev", "dc_prev") if k in returned})
    return {"step." + name: np.stack(values, axis=-1) for name, values in records.items()}


OUTPUTS = {function.__name__: function for function in (
    rnn_cell_forward, rnn_forward, lstm_cell_forward, lstm_forward,
    rnn_cell_backward, rnn_backward, lstm_cell_backward, lstm_backward)}

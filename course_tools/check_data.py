"""Build the data file the public checks compare against: ``python -m course_tools.check_data``.

For every case of every exercise it stores the inputs, the reference outputs (run from the
source notebook's solution cells), the forward quantities a backward check needs to rebuild
the caches, the per-step values a sequence check needs to stand in for the cell function,
for the backward exercises, gradients estimated by central differences of the forward pass,
and what each known mistake returns (course_tools/fingerprints.py). The file holds numbers
only, never solution code. ``--check`` compares instead of writing.
"""
import argparse
import io
import sys
import zipfile

import numpy as np

from course_tools.cases import visible_cases
from course_tools.fingerprints import fingerprints
from course_tools.layout import CHECK_DATA, EXERCISES
from course_tools.reference import load_reference
from rnn_utils import numerical_gradient

RNN_GRADS = ("dWax", "dWaa", "dba")
LSTM_GRADS = ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")


def _params(case):
    return {key[len("param."):]: value for key, value in case.items() if key.startswith("param.")}


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
    a_next, yt_pred, _ = ref["rnn_cell_forward"](case["xt"], case["a_prev"], _params(case))
    return {"a_next": a_next, "yt_pred": yt_pred}


def rnn_forward(ref, case):
    a, y_pred, _ = ref["rnn_forward"](case["x"], case["a0"], _params(case))
    return {"a": a, "y_pred": y_pred}


def lstm_cell_forward(ref, case):
    a_next, c_next, yt_pred, cache = ref["lstm_cell_forward"](case["xt"], case["a_prev"], case["c_prev"], _params(case))
    ft, it, cct, ot = cache[4:8]
    return {"a_next": a_next, "c_next": c_next, "yt_pred": yt_pred, "ft": ft, "it": it, "cct": cct, "ot": ot}


def lstm_forward(ref, case):
    a, y, c, (cell_caches, _) = ref["lstm_forward"](case["x"], case["a0"], _params(case))
    gates = {name: _stack(cell_caches, index) for index, name in zip(range(4, 8), ("ft", "it", "cct", "ot"))}
    return {"a": a, "y": y, "c": c, **gates}


def rnn_cell_backward(ref, case):
    params = _params(case)
    forward = ref["rnn_cell_forward"]
    a_next, _, cache = forward(case["xt"], case["a_prev"], params)
    grads = ref["rnn_cell_backward"](case["da_next"], cache)

    def loss():
        return np.sum(case["da_next"] * forward(case["xt"], case["a_prev"], params)[0])

    numeric = _numeric(loss, {"dxt": case["xt"], "da_prev": case["a_prev"]}, params, ("dxt", "da_prev") + RNN_GRADS)
    return {"a_next": a_next, **grads, **numeric}


def rnn_backward(ref, case):
    params = _params(case)
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
    params = _params(case)
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
    params = _params(case)
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


BUILDERS = {name: globals()[name] for name in EXERCISES}


def case_arrays(reference, exercise, inputs):
    """Everything a check needs about one case: its inputs, the reference outputs (with the
    forward values, per-step values and central differences above), and the fingerprints of
    the known mistakes."""
    outputs = BUILDERS[exercise](reference, {k: v.copy() for k, v in inputs.items()})
    arrays = {name: np.asarray(value, dtype=np.float64) for name, value in {**inputs, **outputs}.items()}
    arrays.update(fingerprints(exercise, arrays))
    return arrays


def build(cases_of=visible_cases):
    """Return the arrays of the data file: key "<exercise>/<case>/<name>"."""
    reference = load_reference()
    arrays = {}
    for exercise in EXERCISES:
        for case_name, inputs in cases_of(exercise).items():
            for name, value in case_arrays(reference, exercise, inputs).items():
                arrays[f"{exercise}/{case_name}/{name}"] = value
    return arrays


def serialise(arrays):
    """The bytes of a compressed npz with sorted keys and fixed timestamps.

    ``np.savez`` stamps each member with the current time; writing the zip here keeps a
    rebuild byte-identical, so the committed file only changes when the numbers do.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for key, value in sorted(arrays.items()):
            member = io.BytesIO()
            np.lib.format.write_array(member, value, allow_pickle=False)
            info = zipfile.ZipInfo(key + ".npy", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.getvalue())
    return buffer.getvalue()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed file is out of date")
    args = parser.parse_args(argv)
    data = serialise(build())
    if args.check:
        current = CHECK_DATA.read_bytes() if CHECK_DATA.exists() else b""
        if current != data:
            print(f"{CHECK_DATA} is out of date: run python -m course_tools.check_data", file=sys.stderr)
            return 1
        print(f"{CHECK_DATA} is up to date")
        return 0
    CHECK_DATA.write_bytes(data)
    print(f"wrote {CHECK_DATA} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

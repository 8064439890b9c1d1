"""The reference outputs a check compares against, one function per exercise.

Each takes the reference functions (by name) and one case (a public_tests Case of its inputs)
and returns the arrays the check needs besides the inputs. The functions a stand-in answers for
(clip inside optimize, optimize inside model) are watched while the reference runs, so that the
stand-in can give the course's values for each call.
"""
import numpy as np

from public_tests import EXERCISES, standing_in

GRADIENT_KEYS = ("dWax", "dWaa", "dWya", "dba", "dby")
PARAMETER_KEYS = ("Wax", "Waa", "Wya", "ba", "by")


def clip(ref, case):
    spec = EXERCISES["clip"]
    clipped = ref["clip"](*spec.arguments(case))
    return {key: clipped[key].copy() for key in GRADIENT_KEYS}


def sample(ref, case):
    return {"indices": np.array(ref["sample"](*EXERCISES["sample"].arguments(case)), dtype=np.float64)}


def optimize(ref, case):
    """The outputs, the parameters after the update ("new.<key>") and the gradients as they were
    before clipping ("raw.<key>")."""
    args = EXERCISES["optimize"].arguments(case)
    raw = {}

    def watched_clip(gradients, max_value):
        raw.update({"raw." + key: value.copy() for key, value in gradients.items()})
        return ref["clip"](gradients, max_value)

    with standing_in(ref["optimize"], "clip", watched_clip):
        loss, gradients, a_last = ref["optimize"](*args)
    parameters = args[3]
    return {"loss": np.asarray(loss), **{key: gradients[key].copy() for key in GRADIENT_KEYS}, "a_last": a_last,
            **{"new." + key: parameters[key].copy() for key in PARAMETER_KEYS}, **raw}


def model(ref, case):
    """The returned values, and per iteration ("step.<name>", iterations on the last axis) what
    optimize gave: the loss, the gradients, the last state, and the parameters before each
    iteration and after the last (one entry more)."""
    args = EXERCISES["model"].arguments(case)
    steps = {name: [] for name in ("loss", "a_last", *GRADIENT_KEYS, *PARAMETER_KEYS)}

    def watched_optimize(X, Y, a_prev, parameters, learning_rate=0.01):
        for key in PARAMETER_KEYS:
            steps[key].append(parameters[key].copy())
        loss, gradients, a_last = ref["optimize"](X, Y, a_prev, parameters, learning_rate)
        steps["loss"].append(np.asarray(loss))
        steps["a_last"].append(a_last.copy())
        for key in GRADIENT_KEYS:
            steps[key].append(gradients[key].copy())
        return loss, gradients, a_last

    with standing_in(ref["model"], "optimize", watched_optimize):
        parameters, losses = ref["model"](*args)
    for key in PARAMETER_KEYS:
        steps[key].append(parameters[key].copy())
    return {"losses": np.asarray(losses, dtype=np.float64), **{key: parameters[key] for key in PARAMETER_KEYS},
            **{"step." + name: np.stack(values, axis=-1) for name, values in steps.items()}}


OUTPUTS = {"clip": clip, "sample": sample, "optimize": optimize, "model": model}

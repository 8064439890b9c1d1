"""The four exercises: clip, sample, optimize, model.

Arguments the exercises take as lists or dicts (character indices, the alphabet, the names)
are stored in a case as arrays and rebuilt here. The alphabet of a case with ``n_y`` outputs is
END ("\\n") and the first ``n_y - 1`` letters, END at index ``case["end"]`` (0, where sorting
puts it, unless the case says otherwise).
"""
import string

import numpy as np

from .compare import CheckFailure, expect_array, expect_arrays, expect_items, expect_number, matches
from .exercise import Exercise

GRADIENTS = ("dWax", "dWaa", "dWya", "dba", "dby")
PARAMETERS = ("Wax", "Waa", "Wya", "ba", "by")
END = "\n"
CLIP_AT = 5  # the value optimize clips its gradients at


def _alphabet(case):
    """char_to_ix for a case: END and the first n_y - 1 letters."""
    letters = list(string.ascii_lowercase[:case["param.by"].shape[0] - 1])
    letters.insert(int(case["end"]) if "end" in case else 0, END)
    return {ch: i for i, ch in enumerate(letters)}


def _vocabulary(names):
    """char_to_ix as lm_utils.vocabulary makes it: the sorted characters of the names and END."""
    return {ch: i for i, ch in enumerate(sorted(set("".join(names)) | {END}))}


def _text(indices, char_to_ix):
    """Indices as the characters they stand for (END shown as \\n)."""
    ix_to_char = {i: ch for ch, i in char_to_ix.items()}
    return "".join(ix_to_char.get(int(i), "?") for i in indices).replace(END, "\\n")


def _copies(arrays):
    """Fresh copies of a dict of arrays, for a function that changes its argument in place (the
    case keeps what it was given)."""
    return {key: value.copy() for key, value in arrays.items()}


def _as_indices(what, got):
    """``got`` as a list of ints, or a CheckFailure."""
    if isinstance(got, np.ndarray) and got.ndim == 1:
        got = got.tolist()
    if not isinstance(got, (list, tuple)) or not all(
            isinstance(i, (int, np.integer)) and not isinstance(i, bool) for i in got):
        raise CheckFailure(f"{what} should be a list of character indices (ints), but it is {type(got).__name__}"
                           + (" holding other things." if isinstance(got, (list, tuple)) else "."))
    return [int(i) for i in got]


# --- exercise 1: clip -------------------------------------------------------------------

def _clip_judge(case, args, result):
    what = f"clip on {case.describe()}"
    expected = {key: case[key] for key in GRADIENTS}
    expect_arrays(what, result, expected)
    given = args[0]
    for key in GRADIENTS:
        if not matches(given.get(key), expected[key]):
            if matches(given.get(key), case["param." + key]):
                raise CheckFailure(f"{what}: the gradients dict it was given still holds gradients[{key!r}] as it "
                                   f"was: clip every array in place, where it is (np.clip's out= argument), "
                                   f"rather than returning clipped copies.")
            expect_array(f"{what}: gradients[{key!r}] as clip left it", given.get(key), expected[key])


CLIP = Exercise(
    "clip", ("gradients", "maxValue"),
    lambda case: (_copies(case.parameters()), float(case["maxValue"])),
    _clip_judge, outputs=GRADIENTS, in_place=("gradients",))


# --- exercise 2: sample -----------------------------------------------------------------

def _sample_judge(case, args, result):
    what = f"sample on {case.describe()}"
    got = _as_indices(f"{what}: the result", result)
    expected = [int(i) for i in case["indices"]]
    if got != expected:
        char_to_ix = args[1]
        first = next((i for i, (g, e) in enumerate(zip(got, expected)) if g != e), min(len(got), len(expected)))
        raise CheckFailure(f"{what} returned {len(got)} indices, \"{_text(got, char_to_ix)}\"; the course's "
                           f"seeded sample is {len(expected)} indices, \"{_text(expected, char_to_ix)}\". "
                           f"They part at position {first}.")


SAMPLE = Exercise(
    "sample", ("parameters", "char_to_ix", "seed"),
    lambda case: (case.parameters(), _alphabet(case), int(case["seed"])),
    _sample_judge, outputs=("indices",),
    outputs_of=lambda result: {"indices": np.asarray(_as_indices("", result), dtype=np.float64)})


# --- exercise 3: optimize ---------------------------------------------------------------

def _clip_stand_in(case, args):
    """A clip that gives the course's clipped gradients for the gradients of this case, and
    leaves any others as they are (the check of optimize then shows where they differ)."""

    def clip(gradients, maxValue):
        if maxValue != CLIP_AT:
            raise CheckFailure(f"optimize clipped its gradients at {maxValue}; clip them at {CLIP_AT}: "
                               f"clip(gradients, {CLIP_AT}).")
        if matches(gradients, {key: case["raw." + key] for key in GRADIENTS}):
            for key in GRADIENTS:
                gradients[key][...] = case[key]
        return gradients

    return clip


def _judge_parameters(what, case, args):
    """The parameters optimize was given must hold the updated values when it returns."""
    before, after, rate = case.parameters(), args[3], args[4]
    for key in PARAMETERS:
        if matches(after.get(key), case["new." + key]):
            continue
        wrong_ways = [
            (before[key], "optimize left the parameters as they were: update them in place, with "
                          "update_parameters and the learning rate."),
            (before[key] + rate * case["d" + key], "the parameters moved up the gradient: a descent step "
                                                   "subtracts learning_rate * gradient."),
            (before[key] - rate * case["raw.d" + key], "the parameters were updated with the gradients before "
                                                       "they were clipped: clip first, then update."),
        ]
        for wrong, why in wrong_ways:
            if matches(after.get(key), wrong):
                raise CheckFailure(f"{what}: parameters[{key!r}] does not hold the updated values; {why}")
        expect_array(f"{what}: parameters[{key!r}] after the update", after.get(key), case["new." + key])


def _optimize_judge(case, args, result):
    what = f"optimize on {case.describe()}"
    expect_items(what, "the returned tuple", result, [("loss", None), ("gradients", None), ("a_last", case["a_last"])])
    expect_number(f"{what}: the loss", result[0], case["loss"])
    expect_arrays(what, result[1], {key: case[key] for key in GRADIENTS})
    _judge_parameters(what, case, args)


def _optimize_outputs(result):
    loss, gradients, a_last = result
    return {"loss": np.asarray(float(loss)), **{key: gradients[key] for key in GRADIENTS}, "a_last": a_last}


OPTIMIZE = Exercise(
    "optimize", ("X", "Y", "a_prev", "parameters", "learning_rate"),
    lambda case: ([int(i) for i in case["X"]], [int(i) for i in case["Y"]], case["a_prev"],
                  _copies(case.parameters()), float(case["learning_rate"])),
    _optimize_judge, outputs=("loss",) + GRADIENTS + ("a_last",), cell="clip", stand_in=_clip_stand_in,
    cell_probe=lambda case, args: (({key: case["raw." + key].copy() for key in GRADIENTS}, CLIP_AT),
                                   {key: case[key] for key in GRADIENTS}),
    in_place=("parameters",), outputs_of=_optimize_outputs)


# --- exercise 4: model ------------------------------------------------------------------

def _example(name, char_to_ix):
    """The input and target indices of one name: END then the letters, the letters then END."""
    letters = [char_to_ix[ch] for ch in name]
    return [char_to_ix[END]] + letters, letters + [char_to_ix[END]]


def _optimize_stand_in(case, args):
    """An optimize that checks what model gives it at each iteration and answers with the
    course's values: the loss, the gradients, the last state, the parameters updated in place."""
    names, iterations = args[0], args[1]
    char_to_ix = _vocabulary(names)
    trained_on = [names[i % len(names)] for i in range(iterations)]  # the list again and again
    calls = iter(range(iterations))

    def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
        j = next(calls, None)
        if j is None:
            raise CheckFailure(f"model called optimize more than num_iterations = {iterations} times.")
        name = trained_on[j]
        X_j, Y_j = _example(name, char_to_ix)
        where = f"at iteration {j} (the name {name!r})"
        if list(X) != X_j:
            hint = (" X starts with END, the symbol the model reads before the first letter."
                    if list(X) == X_j[1:] else "")
            raise CheckFailure(f"model passed optimize, {where}, X = {list(X)}; it should be {X_j} "
                               f"(\"{_text(X_j, char_to_ix)}\").{hint}")
        if list(Y) != Y_j:
            hint = (" Y is X shifted by one: the target at each step is the next character, and the last "
                    "target is END." if list(Y) in (X_j, Y_j[:-1], X_j[1:]) else "")
            raise CheckFailure(f"model passed optimize, {where}, Y = {list(Y)}; it should be {Y_j} "
                               f"(\"{_text(Y_j, char_to_ix)}\").{hint}")
        expected_state = np.zeros_like(case.step("a_last", 0)) if j == 0 else case.step("a_last", j - 1)
        if not matches(a_prev, expected_state):
            why = ("it should be zeros at the first iteration" if j == 0 else
                   "it should be the a_last that optimize returned at the iteration before")
            raise CheckFailure(f"model passed optimize, {where}, an a_prev that is not right: {why}.")
        if not isinstance(parameters, dict) or not matches(parameters, {key: case.step(key, j) for key in PARAMETERS}):
            why = ("the ones initialize_parameters(n_a, vocab_size, vocab_size, seed) returns" if j == 0 else
                   "the same dict at every iteration, as optimize updated it in place")
            raise CheckFailure(f"model passed optimize, {where}, parameters that are not right: they should be {why}.")
        if learning_rate != float(case["learning_rate"]):
            raise CheckFailure(f"model passed optimize, {where}, learning_rate = {learning_rate}; it should be "
                               f"{float(case['learning_rate'])}.")
        for key in PARAMETERS:
            parameters[key][...] = case.step(key, j + 1)
        gradients = {key: case.step(key, j) for key in GRADIENTS}
        return float(case.step("loss", j)), gradients, case.step("a_last", j)

    return optimize


def _model_judge(case, args, result):
    what = f"model on {case.describe()}"
    expect_items(what, "the returned tuple", result, [("parameters", None), ("losses", None)])
    parameters, losses = result
    final = int(case["num_iterations"])
    expect_arrays(what, parameters, {key: case.step(key, final) for key in PARAMETERS}, noun="parameters")
    if not isinstance(losses, (list, tuple, np.ndarray)) or len(losses) != final:
        count = len(losses) if isinstance(losses, (list, tuple, np.ndarray)) else type(losses).__name__
        raise CheckFailure(f"{what}: losses should hold one loss per iteration, {final} in all, but it holds {count}.")
    for j, loss in enumerate(losses):
        expect_number(f"{what}: losses[{j}]", loss, case.step("loss", j))


MODEL = Exercise(
    "model", ("names", "num_iterations", "n_a", "learning_rate", "seed"),
    lambda case: (case.texts("names"), int(case["num_iterations"]), int(case["n_a"]), float(case["learning_rate"]),
                  int(case["seed"])),
    _model_judge, outputs=("losses",) + PARAMETERS, cell="optimize", stand_in=_optimize_stand_in,
    outputs_of=lambda result: {"losses": np.asarray([float(loss) for loss in result[1]]),
                               **{key: result[0][key] for key in PARAMETERS}})

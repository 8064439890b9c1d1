"""The forward exercises: rnn_cell_forward, rnn_forward, lstm_cell_forward, lstm_forward."""
import numpy as np

from .compare import CheckFailure, expect_items, matches
from .data import state_before
from .exercise import Exercise
from .running import step_of

GATES = ("ft", "it", "cct", "ot")


def _what(name, case):
    return f"{name} on {case.describe()}"


# --- exercise 1: rnn_cell_forward -------------------------------------------------------

def _rnn_cell_judge(case, args, result):
    what = _what("rnn_cell_forward", case)
    xt, a_prev, params = args
    expect_items(what, "the returned tuple", result, [("a_next", case["a_next"]), ("yt_pred", case["yt_pred"]), ("cache", None)])
    expect_items(what, "the cache", result[2], [("a_next", case["a_next"]), ("a_prev", a_prev), ("xt", xt), ("parameters", params)])


RNN_CELL_FORWARD = Exercise(
    "rnn_cell_forward", ("xt", "a_prev", "parameters"),
    lambda case: (case["xt"], case["a_prev"], case.parameters()),
    _rnn_cell_judge, outputs=("a_next", "yt_pred"))


# --- exercise 2: rnn_forward ------------------------------------------------------------

def _step_and_state(exercise, cell_name, xt, a_prev, case):
    """The time step a stand-in cell was called for, after checking that the sequence
    function handed it the running hidden state (a0 at t = 0)."""
    x, a0, a = case["x"], case["a0"], case["a"]
    t = step_of(f"{exercise} passed {cell_name} an xt that", xt, x)
    if not matches(a_prev, state_before(a0, a, t)):
        if t > 0 and matches(a_prev, a0):
            raise CheckFailure(f"{exercise} passed a0 to {cell_name} at t = {t}: each step "
                               f"must get the hidden state that the previous step returned.")
        raise CheckFailure(f"{exercise} passed {cell_name}, at t = {t}, an a_prev that is not "
                           f"{'a0' if t == 0 else f'the hidden state it returned at t = {t - 1}'}.")
    return t


def _rnn_cell_stand_in(case, args):
    """An rnn_cell_forward that returns the course's values for the steps of this case."""

    def rnn_cell_forward(xt, a_prev, parameters):
        t = _step_and_state("rnn_forward", "rnn_cell_forward", xt, a_prev, case)
        a_next = case["a"][:, :, t].copy()
        return a_next, case["y_pred"][:, :, t].copy(), (a_next, a_prev, xt, parameters)

    return rnn_cell_forward


def _expect_sequence_caches(what, caches, x, cell_items):
    """caches must be (list of one cache per step, x); ``cell_items(t)`` lists cache t's slots."""
    expect_items(what, "caches", caches, [("list of cell caches", None), ("x", x)])
    T_x = x.shape[2]
    if not isinstance(caches[0], (list, tuple)) or len(caches[0]) != T_x:
        count = len(caches[0]) if isinstance(caches[0], (list, tuple)) else type(caches[0]).__name__
        raise CheckFailure(f"{what}: caches[0] should be a list of {T_x} cell caches, one per time step, "
                           f"but it is {count}.")
    for t in range(T_x):
        expect_items(what, f"caches[0][{t}]", caches[0][t], cell_items(t))


def _rnn_judge(case, args, result):
    what = _what("rnn_forward", case)
    x, a0, params = args
    a = case["a"]
    expect_items(what, "the returned tuple", result, [("a", a), ("y_pred", case["y_pred"]), ("caches", None)])
    _expect_sequence_caches(what, result[2], x, lambda t: [
        ("a_next", a[:, :, t]), ("a_prev", state_before(a0, a, t)), ("xt", x[:, :, t]), ("parameters", params)])


RNN_FORWARD = Exercise(
    "rnn_forward", ("x", "a0", "parameters"),
    lambda case: (case["x"], case["a0"], case.parameters()),
    _rnn_judge, outputs=("a", "y_pred"), cell="rnn_cell_forward", stand_in=_rnn_cell_stand_in,
    cell_probe=lambda case, args: ((args[0][:, :, 0], args[1], args[2]), (case["a"][:, :, 0], case["y_pred"][:, :, 0])))


# --- exercise 3: lstm_cell_forward ------------------------------------------------------

def _lstm_cell_judge(case, args, result):
    what = _what("lstm_cell_forward", case)
    xt, a_prev, c_prev, params = args
    expect_items(what, "the returned tuple", result,
                 [("a_next", case["a_next"]), ("c_next", case["c_next"]), ("yt_pred", case["yt_pred"]), ("cache", None)])
    states = [("a_next", case["a_next"]), ("c_next", case["c_next"]), ("a_prev", a_prev), ("c_prev", c_prev)]
    gates = [(name, case[name]) for name in GATES]
    expect_items(what, "the cache", result[3], states + gates + [("xt", xt), ("parameters", params)])


LSTM_CELL_FORWARD = Exercise(
    "lstm_cell_forward", ("xt", "a_prev", "c_prev", "parameters"),
    lambda case: (case["xt"], case["a_prev"], case["c_prev"], case.parameters()),
    _lstm_cell_judge, outputs=("a_next", "c_next", "yt_pred"))


# --- exercise 4: lstm_forward -----------------------------------------------------------

def _lstm_cell_stand_in(case, args):
    """An lstm_cell_forward that returns the course's values for the steps of this case."""
    a0, c = case["a0"], case["c"]
    zeros = np.zeros_like(a0)

    def lstm_cell_forward(xt, a_prev, c_prev, parameters):
        t = _step_and_state("lstm_forward", "lstm_cell_forward", xt, a_prev, case)
        if not matches(c_prev, state_before(zeros, c, t)):
            if t == 0 and matches(c_prev, a0):
                raise CheckFailure("lstm_forward started the cell state at a0: the initial cell state is zeros.")
            raise CheckFailure(f"lstm_forward passed lstm_cell_forward, at t = {t}, a c_prev that is not "
                               f"{'zeros' if t == 0 else f'the cell state it returned at t = {t - 1}'}.")
        gates = [case[name][:, :, t].copy() for name in GATES]
        a_next, c_next = case["a"][:, :, t].copy(), c[:, :, t].copy()
        cache = (a_next, c_next, a_prev, c_prev, *gates, xt, parameters)
        return a_next, c_next, case["y"][:, :, t].copy(), cache

    return lstm_cell_forward


def _lstm_judge(case, args, result):
    what = _what("lstm_forward", case)
    x, a0, params = args
    a, c = case["a"], case["c"]
    zeros = np.zeros_like(a0)
    expect_items(what, "the returned tuple", result, [("a", a), ("y", case["y"]), ("c", c), ("caches", None)])

    def cell_items(t):
        states = [("a_next", a[:, :, t]), ("c_next", c[:, :, t]),
                  ("a_prev", state_before(a0, a, t)), ("c_prev", state_before(zeros, c, t))]
        gates = [(name, case[name][:, :, t]) for name in GATES]
        return states + gates + [("xt", x[:, :, t]), ("parameters", params)]

    _expect_sequence_caches(what, result[3], x, cell_items)


LSTM_FORWARD = Exercise(
    "lstm_forward", ("x", "a0", "parameters"),
    lambda case: (case["x"], case["a0"], case.parameters()),
    _lstm_judge, outputs=("a", "y", "c"), cell="lstm_cell_forward", stand_in=_lstm_cell_stand_in,
    cell_probe=lambda case, args: ((args[0][:, :, 0], args[1], np.zeros_like(args[1]), args[2]),
                                   (case["a"][:, :, 0], case["c"][:, :, 0], case["y"][:, :, 0])))

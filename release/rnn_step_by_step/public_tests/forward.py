"""Checks for the forward exercises: rnn_cell_forward, rnn_forward, lstm_cell_forward, lstm_forward."""
import numpy as np

from public_tests.compare import CheckFailure, expect_items, matches
from public_tests.data import load_cases, state_before
from public_tests.running import call, note_if_own_differs, passed, standing_in, step_of


def rnn_cell_forward_test(target):
    """Check rnn_cell_forward: returned values, their shapes and the cache."""
    cases = load_cases("rnn_cell_forward")
    for case in cases:
        params = case.parameters()
        result = call("rnn_cell_forward", case, target, case["xt"], case["a_prev"], params,
                      names=("xt", "a_prev", "parameters"))
        what = f"rnn_cell_forward on {case.describe()}"
        expect_items(what, "the returned tuple", result,
                     [("a_next", case["a_next"]), ("yt_pred", case["yt_pred"]), ("cache", None)])
        expect_items(what, "the cache", result[2],
                     [("a_next", case["a_next"]), ("a_prev", case["a_prev"]), ("xt", case["xt"]),
                      ("parameters", params)])
    passed("rnn_cell_forward", cases)


def _step_and_state(exercise, cell_name, xt, a_prev, case):
    """The time step a stand-in cell was called for, after checking that the sequence
    function handed it the running hidden state (a0 at step 0)."""
    x, a0, a = case["x"], case["a0"], case["a"]
    t = step_of(f"{exercise} passed {cell_name} an xt that", xt, x)
    if not matches(a_prev, state_before(a0, a, t)):
        if t > 0 and matches(a_prev, a0):
            raise CheckFailure(f"{exercise} passed a0 to {cell_name} at step {t}: each step "
                               f"must get the hidden state that the previous step returned.")
        raise CheckFailure(f"{exercise} passed {cell_name}, at step {t}, an a_prev that is not "
                           f"{'a0' if t == 0 else f'the hidden state of step {t - 1}'}.")
    return t


def _rnn_cell_stand_in(case):
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


def rnn_forward_test(target):
    """Check rnn_forward: states, predictions and caches, with the course's rnn_cell_forward
    standing in for the learner's so that only rnn_forward is graded here."""
    cases = load_cases("rnn_forward")
    for case in cases:
        params = case.parameters()
        x, a0 = case["x"], case["a0"]
        with standing_in(target, "rnn_cell_forward", _rnn_cell_stand_in(case)) as own_cell:
            result = call("rnn_forward", case, target, x, a0, params, names=("x", "a0", "parameters"))
        what = f"rnn_forward on {case.describe()}"
        expect_items(what, "the returned tuple", result,
                     [("a", case["a"]), ("y_pred", case["y_pred"]), ("caches", None)])
        a = case["a"]
        _expect_sequence_caches(what, result[2], x, lambda t: [
            ("a_next", a[:, :, t]), ("a_prev", state_before(a0, a, t)), ("xt", x[:, :, t]),
            ("parameters", params)])
    passed("rnn_forward", cases)
    note_if_own_differs("rnn_forward", "rnn_cell_forward", own_cell,
                        (x[:, :, 0], a0, case.parameters()), (a[:, :, 0], case["y_pred"][:, :, 0]),
                        pick=lambda output: tuple(output[:2]))


def lstm_cell_forward_test(target):
    """Check lstm_cell_forward: returned values, their shapes and the cache with every gate."""
    cases = load_cases("lstm_cell_forward")
    for case in cases:
        params = case.parameters()
        result = call("lstm_cell_forward", case, target, case["xt"], case["a_prev"], case["c_prev"], params,
                      names=("xt", "a_prev", "c_prev", "parameters"))
        what = f"lstm_cell_forward on {case.describe()}"
        expect_items(what, "the returned tuple", result,
                     [("a_next", case["a_next"]), ("c_next", case["c_next"]), ("yt_pred", case["yt_pred"]),
                      ("cache", None)])
        expect_items(what, "the cache", result[3], _lstm_cache_items(case, params))
    passed("lstm_cell_forward", cases)


def _lstm_cache_items(case, params):
    names = ("a_next", "c_next", "a_prev", "c_prev", "ft", "it", "cct", "ot", "xt")
    return [(name, case[name]) for name in names] + [("parameters", params)]


def _lstm_cell_stand_in(case):
    """An lstm_cell_forward that returns the course's values for the steps of this case."""
    a0, c = case["a0"], case["c"]
    zeros = np.zeros_like(a0)

    def lstm_cell_forward(xt, a_prev, c_prev, parameters):
        t = _step_and_state("lstm_forward", "lstm_cell_forward", xt, a_prev, case)
        if not matches(c_prev, state_before(zeros, c, t)):
            if t == 0 and matches(c_prev, a0):
                raise CheckFailure("lstm_forward started the cell state at a0: the initial cell state is zeros.")
            raise CheckFailure(f"lstm_forward passed lstm_cell_forward, at step {t}, a c_prev that is not "
                               f"{'zeros' if t == 0 else f'the cell state of step {t - 1}'}.")
        gates = [case[name][:, :, t].copy() for name in ("ft", "it", "cct", "ot")]
        a_next, c_next = case["a"][:, :, t].copy(), c[:, :, t].copy()
        cache = (a_next, c_next, a_prev, c_prev, *gates, xt, parameters)
        return a_next, c_next, case["y"][:, :, t].copy(), cache

    return lstm_cell_forward


def lstm_forward_test(target):
    """Check lstm_forward: states, predictions, cell states and caches, with the course's
    lstm_cell_forward standing in for the learner's so that only lstm_forward is graded here."""
    cases = load_cases("lstm_forward")
    for case in cases:
        params = case.parameters()
        x, a0, a, c = case["x"], case["a0"], case["a"], case["c"]
        with standing_in(target, "lstm_cell_forward", _lstm_cell_stand_in(case)) as own_cell:
            result = call("lstm_forward", case, target, x, a0, params, names=("x", "a0", "parameters"))
        what = f"lstm_forward on {case.describe()}"
        expect_items(what, "the returned tuple", result,
                     [("a", a), ("y", case["y"]), ("c", c), ("caches", None)])
        zeros = np.zeros_like(a0)

        def cell_items(t):
            states = [("a_next", a[:, :, t]), ("c_next", c[:, :, t]),
                      ("a_prev", state_before(a0, a, t)), ("c_prev", state_before(zeros, c, t))]
            gates = [(name, case[name][:, :, t]) for name in ("ft", "it", "cct", "ot")]
            return states + gates + [("xt", x[:, :, t]), ("parameters", params)]

        _expect_sequence_caches(what, result[3], x, cell_items)
    passed("lstm_forward", cases)
    note_if_own_differs("lstm_forward", "lstm_cell_forward", own_cell,
                        (x[:, :, 0], a0, np.zeros_like(a0), case.parameters()),
                        (a[:, :, 0], c[:, :, 0], case["y"][:, :, 0]), pick=lambda output: tuple(output[:3]))

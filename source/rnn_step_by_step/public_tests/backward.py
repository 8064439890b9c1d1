"""Checks for the backward exercises: rnn_cell_backward, rnn_backward, lstm_cell_backward,
lstm_backward. Caches are rebuilt from the course's forward values, so no check depends on
the learner's forward functions."""
import numpy as np

from public_tests.compare import CheckFailure, expect_gradients, matches
from public_tests.data import load_cases, state_before
from public_tests.running import call, note_if_own_differs, passed, standing_in

RNN_CELL_GRADS = ("dxt", "da_prev", "dWax", "dWaa", "dba")
RNN_GRADS = ("dx", "da0", "dWax", "dWaa", "dba")
LSTM_PARAM_GRADS = ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")
LSTM_CELL_GRADS = ("dxt", "da_prev", "dc_prev") + LSTM_PARAM_GRADS
LSTM_GRADS = ("dx", "da0") + LSTM_PARAM_GRADS


def _expected(case, keys):
    return {key: case[key] for key in keys}, {key: case["numeric." + key] for key in keys}


def _rnn_caches(case, params):
    x, a0, a = case["x"], case["a0"], case["a"]
    cells = [(a[:, :, t], state_before(a0, a, t), x[:, :, t], params) for t in range(x.shape[2])]
    return cells, x


def _lstm_caches(case, params):
    x, a0, a, c = case["x"], case["a0"], case["a"], case["c"]
    zeros = np.zeros_like(a0)
    cells = [(a[:, :, t], c[:, :, t], state_before(a0, a, t), state_before(zeros, c, t),
              case["ft"][:, :, t], case["it"][:, :, t], case["cct"][:, :, t], case["ot"][:, :, t],
              x[:, :, t], params) for t in range(x.shape[2])]
    return cells, x


def rnn_cell_backward_test(target):
    """Check rnn_cell_backward: every gradient's shape, value and agreement with central
    differences of the forward pass."""
    cases = load_cases("rnn_cell_backward")
    for case in cases:
        params = case.parameters()
        cache = (case["a_next"], case["a_prev"], case["xt"], params)
        result = call("rnn_cell_backward", case, target, case["da_next"], cache, names=("da_next",))
        expect_gradients(f"rnn_cell_backward on {case.describe()}", result, *_expected(case, RNN_CELL_GRADS))
    passed("rnn_cell_backward", cases)


def lstm_cell_backward_test(target):
    """Check lstm_cell_backward: every gradient's shape, value and agreement with central
    differences of the forward pass."""
    cases = load_cases("lstm_cell_backward")
    for case in cases:
        params = case.parameters()
        cache = tuple(case[name] for name in ("a_next", "c_next", "a_prev", "c_prev", "ft", "it", "cct", "ot", "xt"))
        result = call("lstm_cell_backward", case, target, case["da_next"], case["dc_next"], cache + (params,),
                      names=("da_next", "dc_next"))
        expect_gradients(f"lstm_cell_backward on {case.describe()}", result, *_expected(case, LSTM_CELL_GRADS))
    passed("lstm_cell_backward", cases)


class _CellBackwardStandIn:
    """A cell backward function that returns the course's per-step gradients.

    It also checks what the sequence function hands it: the steps must come from the last
    one down to 0, and each must receive da[:, :, t] plus the gradient carried back from
    step t + 1 (and, for the LSTM, the carried dc_prev).
    """

    def __init__(self, exercise, cell_name, case, cell_caches, grad_keys):
        self.exercise, self.cell_name, self.case = exercise, cell_name, case
        self.cell_caches, self.grad_keys = cell_caches, grad_keys
        self.T = case["da"].shape[2]
        self.calls = 0

    def _step_of(self, cache):
        for t, ours in enumerate(self.cell_caches):
            if cache is ours or (isinstance(cache, tuple) and len(cache) == len(ours)
                                 and matches(cache[0], ours[0])):
                return t
        raise CheckFailure(f"{self.exercise} passed {self.cell_name} a cache that is not one of caches[0][t].")

    def _expect_gradient(self, name, got, t):
        if matches(got, self.case.step(name, t)):
            return
        da_t = self.case["da"][:, :, t]
        if name == "da_next" and t < self.T - 1 and matches(got, da_t):
            raise CheckFailure(f"{self.exercise} gave {self.cell_name} only da[:, :, {t}] at step {t}: add the "
                               f"da_prev carried back from step {t + 1}.")
        if name == "dc_next" and t < self.T - 1 and matches(got, np.zeros_like(da_t)):
            raise CheckFailure(f"{self.exercise} gave {self.cell_name} a zero dc_next at step {t}: pass the "
                               f"dc_prev carried back from step {t + 1}.")
        raise CheckFailure(f"{self.exercise} gave {self.cell_name} the wrong {name} at step {t}: it should be "
                           + ("da[:, :, t] plus the da_prev returned by step t + 1."
                              if name == "da_next" else "the dc_prev returned by step t + 1 (zeros at the last step)."))

    def __call__(self, *args):
        *gradients, cache = args
        t = self._step_of(cache)
        if self.calls == 0 and t != self.T - 1:
            raise CheckFailure(f"{self.exercise} started back-propagation at step {t}: it must start at the last "
                               f"step, t = T_x - 1 = {self.T - 1}, and go down to 0 (take T_x from da).")
        self.calls += 1
        for name, got in zip(("da_next", "dc_next"), gradients):
            self._expect_gradient(name, got, t)
        return {key: self.case.step(key, t) for key in self.grad_keys}


def _sequence_backward_test(exercise, cell_name, target, build_caches, grad_keys, cell_grad_keys):
    cases = load_cases(exercise)
    for case in cases:
        params = case.parameters()
        caches = build_caches(case, params)
        stand_in = _CellBackwardStandIn(exercise, cell_name, case, caches[0], cell_grad_keys)
        with standing_in(target, cell_name, stand_in) as own_cell:
            result = call(exercise, case, target, case["da"], caches, names=("da",))
        expect_gradients(f"{exercise} on {case.describe()}", result, *_expected(case, grad_keys))
    passed(exercise, cases)
    last = case["da"].shape[2] - 1
    first_gradients = [case.step(name, last) for name in ("da_next", "dc_next") if "step." + name in case]
    note_if_own_differs(exercise, cell_name, own_cell, (*first_gradients, caches[0][last]),
                        {key: case.step(key, last) for key in cell_grad_keys})


def rnn_backward_test(target):
    """Check rnn_backward: every gradient, with the course's rnn_cell_backward standing in
    for the learner's so that only rnn_backward is graded here."""
    _sequence_backward_test("rnn_backward", "rnn_cell_backward", target, _rnn_caches, RNN_GRADS, RNN_CELL_GRADS)


def lstm_backward_test(target):
    """Check lstm_backward: every gradient, with the course's lstm_cell_backward standing in
    for the learner's so that only lstm_backward is graded here."""
    _sequence_backward_test("lstm_backward", "lstm_cell_backward", target, _lstm_caches, LSTM_GRADS,
                            LSTM_CELL_GRADS)

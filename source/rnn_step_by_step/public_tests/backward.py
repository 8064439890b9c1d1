"""The backward exercises: rnn_cell_backward, rnn_backward, lstm_cell_backward, lstm_backward.

Caches are rebuilt from the course's forward values, so no check depends on the learner's
forward functions."""
import numpy as np

from .compare import CheckFailure, expect_gradients, matches
from .data import state_before
from .exercise import Exercise

RNN_CELL_GRADS = ("dxt", "da_prev", "dWax", "dWaa", "dba")
RNN_GRADS = ("dx", "da0", "dWax", "dWaa", "dba")
LSTM_PARAM_GRADS = ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")
LSTM_CELL_GRADS = ("dxt", "da_prev", "dc_prev") + LSTM_PARAM_GRADS
LSTM_GRADS = ("dx", "da0") + LSTM_PARAM_GRADS
LSTM_CACHE = ("a_next", "c_next", "a_prev", "c_prev", "ft", "it", "cct", "ot", "xt")


def _judge_gradients(name, keys):
    def judge(case, args, result):
        expected = {key: case[key] for key in keys}
        numeric = {key: case["numeric." + key] for key in keys}
        expect_gradients(f"{name} on {case.describe()}", result, expected, numeric)
    return judge


def _rnn_caches(case):
    x, a0, a, params = case["x"], case["a0"], case["a"], case.parameters()
    cells = [(a[:, :, t], state_before(a0, a, t), x[:, :, t], params) for t in range(x.shape[2])]
    return cells, x


def _lstm_caches(case):
    x, a0, a, c, params = case["x"], case["a0"], case["a"], case["c"], case.parameters()
    zeros = np.zeros_like(a0)
    cells = [(a[:, :, t], c[:, :, t], state_before(a0, a, t), state_before(zeros, c, t),
              case["ft"][:, :, t], case["it"][:, :, t], case["cct"][:, :, t], case["ot"][:, :, t],
              x[:, :, t], params) for t in range(x.shape[2])]
    return cells, x


RNN_CELL_BACKWARD = Exercise(
    "rnn_cell_backward", ("da_next", "cache"),
    lambda case: (case["da_next"], (case["a_next"], case["a_prev"], case["xt"], case.parameters())),
    _judge_gradients("rnn_cell_backward", RNN_CELL_GRADS), outputs=RNN_CELL_GRADS)

LSTM_CELL_BACKWARD = Exercise(
    "lstm_cell_backward", ("da_next", "dc_next", "cache"),
    lambda case: (case["da_next"], case["dc_next"], tuple(case[name] for name in LSTM_CACHE) + (case.parameters(),)),
    _judge_gradients("lstm_cell_backward", LSTM_CELL_GRADS), outputs=LSTM_CELL_GRADS)


class _CellBackwardStandIn:
    """A cell backward function that returns the course's per-step gradients.

    It also checks what the sequence function hands it: the steps must come from the last
    one down to 0, and each must receive da[:, :, t] plus the gradient carried back from
    step t + 1 (and, for the LSTM, the carried dc_prev).
    """

    def __init__(self, exercise, cell_name, grad_keys, case, cell_caches):
        self.exercise, self.cell_name, self.grad_keys = exercise, cell_name, grad_keys
        self.case, self.cell_caches = case, cell_caches
        self.T = case["da"].shape[2]
        self.calls = 0

    def _step_of(self, cache):
        for t, ours in enumerate(self.cell_caches):
            if cache is ours or (isinstance(cache, (tuple, list)) and len(cache) == len(ours)
                                 and matches(cache[0], ours[0])):
                return t
        raise CheckFailure(f"{self.exercise} passed {self.cell_name} a cache that is not one of caches[0][t].")

    def _expect_gradient(self, name, got, t):
        if matches(got, self.case.step(name, t)):
            return
        da_t = self.case["da"][:, :, t]
        last = t == self.T - 1
        if name == "da_next" and not last and matches(got, da_t):
            raise CheckFailure(f"{self.exercise} gave {self.cell_name} only da[:, :, {t}] at t = {t}: add the "
                               f"da_prev returned at t = {t + 1}.")
        if name == "dc_next" and not last and matches(got, np.zeros_like(da_t)):
            raise CheckFailure(f"{self.exercise} gave {self.cell_name} a zero dc_next at t = {t}: pass the "
                               f"dc_prev returned at t = {t + 1}.")
        if name == "da_next":
            should = f"da[:, :, {t}]" + (", as nothing comes back from beyond the last step." if last
                                          else f" plus the da_prev returned at t = {t + 1}.")
        else:
            should = ("zeros, as nothing comes back from beyond the last step." if last
                      else f"the dc_prev returned at t = {t + 1}.")
        raise CheckFailure(f"{self.exercise} gave {self.cell_name} the wrong {name} at t = {t}: it should be {should}")

    def _expect_order(self, gradients, t):
        """Two gradients given in each other's place (LSTM) are named as such."""
        if len(gradients) == 2 and matches(gradients[0], self.case.step("dc_next", t)) \
                and matches(gradients[1], self.case.step("da_next", t)):
            raise CheckFailure(f"{self.exercise} gave {self.cell_name} da_next and dc_next in each other's place "
                               f"at t = {t}: the order is (da_next, dc_next, cache).")

    def __call__(self, *args):
        *gradients, cache = args
        t = self._step_of(cache)
        if self.calls == 0 and t != self.T - 1:
            raise CheckFailure(f"{self.exercise} started back-propagation at t = {t}: it must start at the last "
                               f"index, t = T_x - 1 = {self.T - 1}, and go down to 0 (take T_x from da).")
        self.calls += 1
        self._expect_order(gradients, t)
        for name, got in zip(("da_next", "dc_next"), gradients):
            self._expect_gradient(name, got, t)
        return {key: self.case.step(key, t) for key in self.grad_keys}


def _sequence_backward(name, cell, caches, grad_keys, cell_grad_keys):
    def stand_in(case, args):
        return _CellBackwardStandIn(name, cell, cell_grad_keys, case, args[1][0])

    def cell_probe(case, args):
        last = case["da"].shape[2] - 1
        gradients = [case.step(key, last) for key in ("da_next", "dc_next") if "step." + key in case]
        return (*gradients, args[1][0][last]), {key: case.step(key, last) for key in cell_grad_keys}

    return Exercise(name, ("da", "caches"), lambda case: (case["da"], caches(case)), _judge_gradients(name, grad_keys),
                    outputs=grad_keys, cell=cell, stand_in=stand_in, cell_probe=cell_probe)


RNN_BACKWARD = _sequence_backward("rnn_backward", "rnn_cell_backward", _rnn_caches, RNN_GRADS, RNN_CELL_GRADS)
LSTM_BACKWARD = _sequence_backward("lstm_backward", "lstm_cell_backward", _lstm_caches, LSTM_GRADS, LSTM_CELL_GRADS)

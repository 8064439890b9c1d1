"""Mistakes learners really make, as edits of the reference solution cells.

Each mutant names the exercise it breaks, the text of the reference cell it replaces, the
replacement, and a fragment the failing check's message must contain.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    exercise: str
    name: str
    old: str
    new: str
    message: str

    def apply(self, sources):
        """The solution sources with this mistake made (fails if the reference text moved)."""
        source = sources[self.exercise]
        if self.old not in source:
            raise AssertionError(f"mutant {self.name}: {self.old!r} is not in the {self.exercise} solution")
        return {**sources, self.exercise: source.replace(self.old, self.new)}


MUTANTS = [
    Mutant("rnn_cell_forward", "no_bias", "Wax @ xt + ba)", "Wax @ xt)", "a_next (item 0 of the returned tuple) differs"),
    Mutant("rnn_cell_forward", "no_softmax", "softmax(Wya @ a_next + by)", "Wya @ a_next + by", "yt_pred (item 1"),
    Mutant("rnn_cell_forward", "cache_order", "cache = (a_next, a_prev, xt, parameters)",
           "cache = (a_prev, a_next, xt, parameters)", "the order is (a_next, a_prev, xt, parameters)"),
    Mutant("rnn_forward", "a0_every_step", "rnn_cell_forward(x[:, :, t], a_t, parameters)",
           "rnn_cell_forward(x[:, :, t], a0, parameters)", "passed a0 to rnn_cell_forward at step 1"),
    Mutant("lstm_cell_forward", "concat_order", "np.concatenate([a_prev, xt], axis=0)",
           "np.concatenate([xt, a_prev], axis=0)", "a_next (item 0 of the returned tuple) differs"),
    Mutant("lstm_cell_forward", "sigmoid_for_tanh", "cct = np.tanh(Wc @ concat + bc)", "cct = sigmoid(Wc @ concat + bc)",
           "differs from the expected values"),
    Mutant("lstm_cell_forward", "gate_order_in_cache", "ft, it, cct, ot, xt, parameters)",
           "it, ft, cct, ot, xt, parameters)", "holds it where ft belongs"),
    Mutant("lstm_forward", "c_starts_at_a0", "c_t = np.zeros((n_a, m))", "c_t = a0",
           "started the cell state at a0"),
    Mutant("lstm_forward", "return_order", "return a, y, c, caches", "return a, c, y, caches", "holds c where y belongs"),
    Mutant("rnn_cell_backward", "tanh_derivative_1_minus_a", "(1 - a_next ** 2)", "(1 - a_next)",
           "differs from the expected values"),
    Mutant("rnn_cell_backward", "db_without_keepdims", "np.sum(dz, axis=1, keepdims=True)", "np.sum(dz, axis=1)",
           "has shape (5,), but it should have shape (5, 1)"),
    Mutant("rnn_cell_backward", "db_over_axis_0", "np.sum(dz, axis=1, keepdims=True)", "np.sum(dz, axis=0, keepdims=True)",
           "has shape (1, 10), but it should have shape (5, 1)"),
    Mutant("rnn_backward", "carried_gradient_not_added", "da[:, :, t] + da_prevt", "da[:, :, t]",
           "only da[:, :, 2] at step 2: add the da_prev carried back from step 3"),
    Mutant("rnn_backward", "forward_in_time", "reversed(range(T_x))", "range(T_x)",
           "started back-propagation at step 0"),
    Mutant("lstm_cell_backward", "dc_prev_without_da_path", "dc_prev = dc * ft", "dc_prev = dc_next * ft",
           "gradients['dc_prev'] differs"),
    Mutant("lstm_cell_backward", "missing_gradient_key", '"dbo": dbo}', '}', "missing 'dbo'"),
    Mutant("lstm_backward", "dc_not_carried", "dc_prevt = step[\"dc_prev\"]", "pass",
           "a zero dc_next at step 2"),
    Mutant("lstm_backward", "T_x_from_x", "n_a, m, T_x = da.shape", "n_a, m = da.shape[:2]; T_x = x.shape[2]",
           "lstm_backward raised IndexError on the demo inputs"),
]


def first_mutant_of(exercise):
    return next(m for m in MUTANTS if m.exercise == exercise)

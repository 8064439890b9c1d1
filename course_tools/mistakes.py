"""Mistakes learners really make, written as edits of the reference solution cells.

The check-data generator runs each one on every case and stores what it returns, so that a
check that fails can recognise the mistake and name its likely cause (the sentences are in
public_tests/hints.py, which ships; these edits quote solution code, so they do not).
Some mistakes are named by the checks' structure instead (a stand-in sees a0 passed at every
step, a cache slot holds the wrong item); they are listed here too, for the tests.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Mistake:
    exercise: str
    name: str
    old: str
    new: str

    def apply(self, sources):
        """The solution sources with this mistake made in the function's code (not its
        docstring); fails if the reference text moved."""
        source = sources[self.exercise]
        body = source.index('"""', source.index('"""') + 3) + 3  # just after the docstring
        code = source[body:]
        if self.old not in code:
            raise ValueError(f"mistake {self.name}: {self.old!r} is not in the {self.exercise} solution")
        return {**sources, self.exercise: source[:body] + code.replace(self.old, self.new)}


MISTAKES = (
    Mistake("rnn_cell_forward", "rnn_no_ba", "Wax @ xt + ba)", "Wax @ xt)"),
    Mistake("rnn_cell_forward", "rnn_no_by", "Wya @ a_next + by", "Wya @ a_next"),
    Mistake("rnn_cell_forward", "rnn_sigmoid_for_tanh", "a_next = np.tanh(", "a_next = sigmoid("),
    Mistake("rnn_cell_forward", "rnn_no_softmax", "softmax(Wya @ a_next + by)", "(Wya @ a_next + by)"),
    Mistake("rnn_cell_forward", "rnn_cache_order", "cache = (a_next, a_prev, xt, parameters)",
            "cache = (a_prev, a_next, xt, parameters)"),
    Mistake("rnn_cell_forward", "weight_times_state_elementwise", "Waa @ a_prev", "Waa * a_prev"),
    Mistake("rnn_forward", "a0_every_step", "rnn_cell_forward(x[:, :, t], a_t, parameters)",
            "rnn_cell_forward(x[:, :, t], a0, parameters)"),
    Mistake("rnn_forward", "state_stored_before_step",
            "a_t, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_t, parameters)\n        a[:, :, t] = a_t",
            "a[:, :, t] = a_t\n        a_t, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_t, parameters)"),
    Mistake("lstm_cell_forward", "concat_order", "np.concatenate([a_prev, xt], axis=0)",
            "np.concatenate([xt, a_prev], axis=0)"),
    Mistake("lstm_cell_forward", "lstm_no_bf", "Wf @ concat + bf)", "Wf @ concat)"),
    Mistake("lstm_cell_forward", "lstm_no_bi", "Wi @ concat + bi)", "Wi @ concat)"),
    Mistake("lstm_cell_forward", "lstm_no_bc", "Wc @ concat + bc)", "Wc @ concat)"),
    Mistake("lstm_cell_forward", "lstm_no_bo", "Wo @ concat + bo)", "Wo @ concat)"),
    Mistake("lstm_cell_forward", "candidate_sigmoid", "cct = np.tanh(Wc @ concat + bc)",
            "cct = sigmoid(Wc @ concat + bc)"),
    Mistake("lstm_cell_forward", "gate_tanh_for_sigmoid", "ft = sigmoid(Wf @ concat + bf)",
            "ft = np.tanh(Wf @ concat + bf)"),
    Mistake("lstm_cell_forward", "output_without_tanh", "a_next = ot * np.tanh(c_next)", "a_next = ot * c_next"),
    Mistake("lstm_cell_forward", "lstm_no_softmax", "softmax(Wy @ a_next + by)", "(Wy @ a_next + by)"),
    Mistake("lstm_cell_forward", "gate_order_in_cache", "ft, it, cct, ot, xt, parameters)",
            "it, ft, cct, ot, xt, parameters)"),
    Mistake("lstm_cell_forward", "gate_times_state_as_dot", "ft * c_prev", "np.dot(ft, c_prev)"),
    Mistake("lstm_forward", "c_starts_at_a0", "c_t = np.zeros((n_a, m))", "c_t = a0"),
    Mistake("lstm_forward", "return_order", "return a, y, c, caches", "return a, c, y, caches"),
    Mistake("lstm_forward", "hidden_state_stored_in_c", "c[:, :, t] = c_t", "c[:, :, t] = a_t"),
    Mistake("lstm_forward", "states_stored_before_step",
            "a_t, c_t, yt, cache = lstm_cell_forward(x[:, :, t], a_t, c_t, parameters)\n        a[:, :, t] = a_t\n"
            "        c[:, :, t] = c_t",
            "a[:, :, t] = a_t\n        c[:, :, t] = c_t\n"
            "        a_t, c_t, yt, cache = lstm_cell_forward(x[:, :, t], a_t, c_t, parameters)"),
    Mistake("rnn_cell_backward", "tanh_derivative_1_minus_a", "(1 - a_next ** 2)", "(1 - a_next)"),
    Mistake("rnn_cell_backward", "db_without_keepdims", "np.sum(dz, axis=1, keepdims=True)", "np.sum(dz, axis=1)"),
    Mistake("rnn_cell_backward", "db_over_axis_0", "np.sum(dz, axis=1, keepdims=True)",
            "np.sum(dz, axis=0, keepdims=True)"),
    Mistake("rnn_cell_backward", "db_over_both_axes", "np.sum(dz, axis=1, keepdims=True)", "np.sum(dz)"),
    Mistake("rnn_cell_backward", "weight_gradient_without_transpose", "dWaa = dz @ a_prev.T", "dWaa = dz @ a_prev"),
    Mistake("rnn_backward", "carried_gradient_not_added", "da[:, :, t] + da_prevt", "da[:, :, t]"),
    Mistake("rnn_backward", "forward_in_time", "reversed(range(T_x))", "range(T_x)"),
    Mistake("rnn_backward", "parameter_gradients_not_summed",
            'dWax += step["dWax"]\n        dWaa += step["dWaa"]\n        dba += step["dba"]',
            'dWax = step["dWax"]\n        dWaa = step["dWaa"]\n        dba = step["dba"]'),
    Mistake("rnn_backward", "bias_total_flat", "dba = np.zeros((n_a, 1))", "dba = np.zeros((n_a,))"),
    Mistake("rnn_backward", "caches_indexed_as_cell_caches", "cell_caches[t])", "caches[t])"),
    Mistake("rnn_backward", "integer_total", "dWax = np.zeros((n_a, n_x))", "dWax = np.zeros((n_a, n_x), dtype=int)"),
    Mistake("lstm_cell_backward", "dc_prev_without_da_path", "dc_prev = dc * ft", "dc_prev = dc_next * ft"),
    Mistake("lstm_cell_backward", "dc_prev_through_update_gate", "dc_prev = dc * ft", "dc_prev = dc * it"),
    Mistake("lstm_cell_backward", "dc_prev_without_forget_gate", "dc_prev = dc * ft", "dc_prev = dc"),
    Mistake("lstm_cell_backward", "dc_without_da_path", "dc = dc_next + da_next * ot * (1 - tanh_c ** 2)",
            "dc = dc_next"),
    Mistake("lstm_cell_backward", "lstm_tanh_derivative_1_minus_t", "(1 - tanh_c ** 2)", "(1 - tanh_c)"),
    Mistake("lstm_cell_backward", "lstm_db_without_keepdims", "dbf = np.sum(dft, axis=1, keepdims=True)",
            "dbf = np.sum(dft, axis=1)"),
    Mistake("lstm_cell_backward", "missing_gradient_key", '"dbo": dbo}', '}'),
    Mistake("lstm_backward", "dc_not_carried", 'dc_prevt = step["dc_prev"]', "pass"),
    Mistake("lstm_backward", "carried_gradient_reset", 'da_prevt = step["da_prev"]', "da_prevt = np.zeros((n_a, m))"),
    Mistake("lstm_backward", "lstm_parameter_gradients_not_summed", "totals[key] += step[key]",
            "totals[key] = step[key]"),
    Mistake("lstm_backward", "T_x_from_x", "n_a, m, T_x = da.shape", "n_a, m = da.shape[:2]; T_x = x.shape[2]"),
    Mistake("lstm_backward", "gradients_swapped", "lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, cell_caches[t])",
            "lstm_cell_backward(dc_prevt, da[:, :, t] + da_prevt, cell_caches[t])"),
)


def mistakes_of(exercise):
    return [mistake for mistake in MISTAKES if mistake.exercise == exercise]

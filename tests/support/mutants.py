"""What the checks must say for each known mistake (the assignment's instructor/mistakes.py): a
fragment of the failure message, naming the mistake or its likely cause."""
from tests.support.rnn_assignment import RNN

EXPECTED_MESSAGE = {
    "rnn_no_ba": "Likely cause: the bias ba is missing",
    "rnn_no_by": "Likely cause: the bias by is missing",
    "rnn_sigmoid_for_tanh": "Likely cause: the hidden state uses sigmoid where tanh belongs",
    "rnn_no_softmax": "Likely cause: the prediction is missing its softmax",
    "rnn_cache_order": "the order is (a_next, a_prev, xt, parameters)",
    "weight_times_state_elementwise": ("Likely cause: Waa is a weight matrix, shape (5, 5): it acts on a_prev "
                                       "through a matrix product"),
    "state_stored_before_step": "Likely cause: a[:, :, t] holds the state the cell was given at t",
    "a0_every_step": "passed a0 to rnn_cell_forward at t = 1",
    "concat_order": "Likely cause: the stack is [xt; a_prev]",
    "lstm_no_bf": "Likely cause: the bias bf is missing",
    "lstm_no_bi": "Likely cause: the bias bi is missing",
    "lstm_no_bc": "Likely cause: the bias bc is missing",
    "lstm_no_bo": "Likely cause: the bias bo is missing",
    "candidate_sigmoid": "Likely cause: the candidate cct uses sigmoid",
    "gate_tanh_for_sigmoid": "Likely cause: a gate uses tanh where sigmoid belongs",
    "output_without_tanh": "Likely cause: a_next must be ot * tanh(c_next)",
    "lstm_no_softmax": "Likely cause: the prediction is missing its softmax",
    "gate_order_in_cache": "holds it where ft belongs",
    "gate_times_state_as_dot": "Likely cause: ft and c_prev both have shape (5, 10)",
    "hidden_state_stored_in_c": "item 2 of the returned tuple, c, holds the same values as a (item 0)",
    "states_stored_before_step": "Likely cause: a[:, :, t] and c[:, :, t] hold the states the cell was given at t",
    "c_starts_at_a0": "started the cell state at a0",
    "return_order": "holds c where y belongs",
    "tanh_derivative_1_minus_a": "Likely cause: the derivative of tanh is 1 - a**2",
    "db_without_keepdims": "has shape (5,), but it should have shape (5, 1). Likely cause: sum the bias gradient",
    "db_over_axis_0": "has shape (1, 10), but it should have shape (5, 1). Likely cause: the bias gradient sums over the batch",
    "db_over_both_axes": "should be a numpy array of shape (5, 1)",
    "weight_gradient_without_transpose": "Likely cause: dz and a_prev both have shape (5, 10): a weight gradient",
    "caches_indexed_as_cell_caches": "Likely cause: caches is the pair (list of cell caches, x)",
    "integer_total": "Likely cause: dWax holds integers (dtype int64)",
    "carried_gradient_not_added": "only da[:, :, 2] at t = 2: add the da_prev returned at t = 3",
    "forward_in_time": "started back-propagation at t = 0",
    "parameter_gradients_not_summed": "Likely cause: the weight and bias gradients hold one step's share only",
    "bias_total_flat": "Likely cause: dba has shape (5,), and `+=` cannot give it another shape",
    "dc_without_da_path": "Likely cause: dc must be the total gradient on c_next",
    "dc_prev_without_da_path": "Likely cause: dc_prev also needs the gradient that reaches c through a_next",
    "dc_prev_through_update_gate": "Likely cause: the old cell state reaches c_next through the forget gate",
    "dc_prev_without_forget_gate": "Likely cause: the old cell state is scaled by the forget gate",
    "lstm_tanh_derivative_1_minus_t": "Likely cause: the derivative of tanh(c_next) is 1 - tanh(c_next)**2",
    "lstm_db_without_keepdims": "Likely cause: sum each bias gradient over axis 1 with keepdims=True",
    "missing_gradient_key": "missing 'dbo'",
    "dc_not_carried": "a zero dc_next at t = 2",
    "carried_gradient_reset": "only da[:, :, 2] at t = 2: add the da_prev returned at t = 3",
    "gradients_swapped": "gave lstm_cell_backward da_next and dc_next in each other's place at t = 3",
    "lstm_parameter_gradients_not_summed": "Likely cause: the weight and bias gradients hold one step's share only",
    "T_x_from_x": "lstm_backward raised IndexError on the demo inputs",
}


def mistake(name):
    return next(m for m in RNN.instructor.MISTAKES if m.name == name)


def first_mistake_of(exercise):
    return next(m for m in RNN.instructor.MISTAKES if m.exercise == exercise)


def expect_quoted_crash(lines, solutions):
    """``lines``, a failed rnn_cell_forward check as the learner sees it, quote the line of the
    weight_times_state_elementwise answer that raised, under its line number, then its cause."""
    where = next(i for i, line in enumerate(lines) if line.startswith("In your rnn_cell_forward, line "))
    number = int(lines[where].split("line ")[1].split()[0])
    answer = mistake("weight_times_state_elementwise").apply(solutions)["rnn_cell_forward"].splitlines()
    quoted = "    a_next = np.tanh(Waa * a_prev + Wax @ xt + ba)"
    assert lines[where + 1] == "    " + answer[number - 1].strip() == quoted, lines
    assert lines[where + 2].startswith("Likely cause: Waa is a weight matrix, shape (5, 5)"), lines

"""The likely cause of a wrong value, for the mistakes learners really make.

The check data holds, for each case, what each of these mistakes returns ("fingerprints",
computed by the instructor's tools); when a learner's wrong output equals a fingerprint, the
check adds the matching sentence to its message.
"""
_NOT_SUMMED = ("the weight and bias gradients hold one step's share only: the same parameters act at every "
               "step, so add up the gradients of all steps")

HINTS = {
    "rnn_no_ba": "the bias ba is missing from the hidden state (related to ba?).",
    "rnn_no_by": "the bias by is missing from the prediction (related to by?).",
    "rnn_sigmoid_for_tanh": "the hidden state uses sigmoid where tanh belongs.",
    "rnn_no_softmax": "the prediction is missing its softmax.",
    "state_stored_before_step": ("a[:, :, t] holds the state the cell was given at t; it must hold the "
                                 "state the cell returned at t: store it after calling rnn_cell_forward."),
    "states_stored_before_step": ("a[:, :, t] and c[:, :, t] hold the states the cell was given at t; they must "
                                  "hold the states it returned at t: store them after calling lstm_cell_forward."),
    "concat_order": "the stack is [xt; a_prev]; it must be [a_prev; xt], previous state on top.",
    "lstm_no_bf": "the bias bf is missing from the forget gate (related to bf?).",
    "lstm_no_bi": "the bias bi is missing from the update gate (related to bi?).",
    "lstm_no_bc": "the bias bc is missing from the candidate (related to bc?).",
    "lstm_no_bo": "the bias bo is missing from the output gate (related to bo?).",
    "candidate_sigmoid": "the candidate cct uses sigmoid where tanh belongs.",
    "gate_tanh_for_sigmoid": "a gate uses tanh where sigmoid belongs (the forget gate?).",
    "output_without_tanh": "a_next must be ot * tanh(c_next), with the tanh.",
    "lstm_no_softmax": "the prediction is missing its softmax.",
    "tanh_derivative_1_minus_a": "the derivative of tanh is 1 - a**2, not 1 - a.",
    "db_without_keepdims": "sum the bias gradient over axis 1 with keepdims=True, so it stays a column.",
    "db_over_axis_0": "the bias gradient sums over the batch, which is axis 1, not axis 0.",
    "parameter_gradients_not_summed": f"{_NOT_SUMMED} (dWax += ..., and the same for dWaa and dba).",
    "dc_without_da_path": ("dc must be the total gradient on c_next: dc_next plus what reaches c_next through "
                           "a_next = ot * tanh(c_next), that is da_next * ot * (1 - tanh(c_next)**2)."),
    "dc_prev_without_da_path": ("dc_prev also needs the gradient that reaches c through a_next = ot * tanh(c_next): "
                                "use the total dc, times ft."),
    "dc_prev_through_update_gate": ("the old cell state reaches c_next through the forget gate ft, not the update "
                                    "gate it, so its gradient is dc scaled by ft."),
    "dc_prev_without_forget_gate": ("the old cell state is scaled by the forget gate ft on its way to c_next, so "
                                    "its gradient is dc scaled by ft too."),
    "lstm_tanh_derivative_1_minus_t": "the derivative of tanh(c_next) is 1 - tanh(c_next)**2, not 1 - tanh(c_next).",
    "lstm_db_without_keepdims": "sum each bias gradient over axis 1 with keepdims=True, so it stays a column.",
    "lstm_parameter_gradients_not_summed": f"{_NOT_SUMMED} (+= into each total).",
}

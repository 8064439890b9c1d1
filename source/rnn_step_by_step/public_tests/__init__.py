"""The checks the notebook's graded cells run, one per exercise.

Each check takes the learner's function, runs it on the course's demo inputs and on other
fixed inputs, and raises :class:`CheckFailure` with a message in the learner's terms at the
first thing that is wrong. On success it prints one line.
"""
from public_tests.backward import (lstm_backward_test, lstm_cell_backward_test, rnn_backward_test,
                                   rnn_cell_backward_test)
from public_tests.compare import CheckFailure
from public_tests.forward import lstm_cell_forward_test, lstm_forward_test, rnn_cell_forward_test, rnn_forward_test

__all__ = [
    "CheckFailure",
    "rnn_cell_forward_test",
    "rnn_forward_test",
    "lstm_cell_forward_test",
    "lstm_forward_test",
    "rnn_cell_backward_test",
    "rnn_backward_test",
    "lstm_cell_backward_test",
    "lstm_backward_test",
]

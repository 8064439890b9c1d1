"""The checks the notebook's graded cells run, one per exercise.

Each check takes the learner's function, runs it on the course's demo inputs and on other
fixed inputs, and raises :class:`CheckFailure` with a message in the learner's terms at the
first thing that is wrong. On success it prints one line.
"""
from .backward import LSTM_BACKWARD, LSTM_CELL_BACKWARD, RNN_BACKWARD, RNN_CELL_BACKWARD
from .compare import CheckFailure, matches
from .data import Case, load_cases, text_array
from .forward import LSTM_CELL_FORWARD, LSTM_FORWARD, RNN_CELL_FORWARD, RNN_FORWARD
from .hints import HINTS
from .report import CAUSE, report_lines
from .running import standing_in
from .summary import standing_lines

# Every exercise by name, in notebook order.
EXERCISES = {exercise.name: exercise for exercise in (
    RNN_CELL_FORWARD, RNN_FORWARD, LSTM_CELL_FORWARD, LSTM_FORWARD,
    RNN_CELL_BACKWARD, RNN_BACKWARD, LSTM_CELL_BACKWARD, LSTM_BACKWARD)}

rnn_cell_forward_test = RNN_CELL_FORWARD.check
rnn_forward_test = RNN_FORWARD.check
lstm_cell_forward_test = LSTM_CELL_FORWARD.check
lstm_forward_test = LSTM_FORWARD.check
rnn_cell_backward_test = RNN_CELL_BACKWARD.check
rnn_backward_test = RNN_BACKWARD.check
lstm_cell_backward_test = LSTM_CELL_BACKWARD.check
lstm_backward_test = LSTM_BACKWARD.check


def where_you_stand(namespace):
    """Print, for every exercise, whether the function of its name in ``namespace`` (the
    notebook's ``globals()``) passes its visible checks, and if not, why, in one line."""
    print("\n".join(standing_lines(EXERCISES.values(), namespace)))


# what the instructor's grading engine uses besides: CAUSE, Case, HINTS, load_cases, matches,
# report_lines, standing_in, text_array
__all__ = ["CAUSE", "Case", "CheckFailure", "EXERCISES", "HINTS", "load_cases", "matches", "report_lines",
           "standing_in", "text_array", "where_you_stand"] + [name + "_test" for name in EXERCISES]

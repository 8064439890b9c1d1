"""Where things are in the course directory, and the assignment's exercises."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "rnn_step_by_step"
SOURCE_DIR = ROOT / "source" / ASSIGNMENT
SOURCE_NOTEBOOK = SOURCE_DIR / f"{ASSIGNMENT}.ipynb"
RELEASE_DIR = ROOT / "release" / ASSIGNMENT
CHECK_DATA = SOURCE_DIR / "public_tests" / "check_data.npz"

# The graded exercises in notebook order. A grade cell belongs to the exercise whose name
# its grade_id starts with.
EXERCISES = (
    "rnn_cell_forward",
    "rnn_forward",
    "lstm_cell_forward",
    "lstm_forward",
    "rnn_cell_backward",
    "rnn_backward",
    "lstm_cell_backward",
    "lstm_backward",
)


def exercise_of(grade_id):
    """Return the exercise a grade cell belongs to, or None for cells outside the exercises."""
    matches = [name for name in EXERCISES if grade_id == name or grade_id.startswith(name + "_")]
    return max(matches, key=len) if matches else None

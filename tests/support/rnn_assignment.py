"""The assignment most tests grade: the kit's own "rnn_step_by_step", as the engine loads it."""
from course_tools.assignment import ROOT, load_assignment
from course_tools.submissions import fill_release, submit

RNN = load_assignment("rnn_step_by_step")
ASSIGNMENT = RNN.id
EXERCISES = RNN.exercises
SOURCE_DIR, RELEASE_DIR, CHECK_DATA = RNN.source_dir, RNN.release_dir, RNN.check_data_path
SAMPLES_DIR = ROOT / "samples" / ASSIGNMENT

__all__ = ["ASSIGNMENT", "CHECK_DATA", "EXERCISES", "RELEASE_DIR", "RNN", "ROOT", "SAMPLES_DIR", "SOURCE_DIR",
           "filled", "submitted"]


def filled(answers):
    """The kit's release notebook with ``answers`` ({exercise: source}) typed in."""
    return fill_release(answers, RELEASE_DIR / f"{ASSIGNMENT}.ipynb")


def submitted(course_root, student, notebook=None):
    """Submit the kit's release, with ``notebook`` in place of its notebook if given."""
    return submit(course_root, student, RELEASE_DIR, notebook)

"""The grade each learner of the test class must get: the samples, the reference, one
submission per exercise with that exercise wrong, and the fixture corpus."""
from tests.support.corpus import CORPUS
from tests.support.rnn_assignment import EXERCISES

POINTS = {"rnn_cell_forward": 10, "rnn_forward": 10, "lstm_cell_forward": 15, "lstm_forward": 15,
          "rnn_cell_backward": 10, "rnn_backward": 10, "lstm_cell_backward": 15, "lstm_backward": 15}
BEN_WRONG = {"rnn_cell_forward", "lstm_forward", "lstm_cell_backward", "lstm_backward"}  # samples/rnn_step_by_step/ben.py


def _zero_on(exercises):
    return {name: 0 if name in exercises else POINTS[name] for name in EXERCISES}


def scores_only(scores):
    """``{student: {exercise: score}}`` from a ``scores_by_exercise`` table (maxima dropped)."""
    return {student: {name: score for name, (score, _) in row.items()} for student, row in scores.items()}


def expected_grades():
    """``{student: {exercise: score}}`` for every learner of the test class."""
    grades = {"reference": dict(POINTS), "ada": dict(POINTS), "ben": _zero_on(BEN_WRONG),
              "cleo": _zero_on(EXERCISES)}
    grades.update({f"wrong_{name}": _zero_on({name}) for name in EXERCISES})
    grades.update({fixture.student: fixture.expected(POINTS) for fixture in CORPUS})
    return grades


def printed_table(output, assignment_id):
    """The score table the main job printed for one assignment, as ``{row: {column: value}}``
    (rows: the exercises and "total"; columns: "max" and the students), read from the lines
    under the assignment's id."""
    lines = output.splitlines()
    lines = lines[lines.index(assignment_id) + 1:]  # each table is headed by its assignment
    columns = lines[0].split()[1:] if lines[0].startswith("exercise") else []  # "max", then the students
    table = {}
    for line in lines[2:]:
        if not line.strip():
            break
        words = line.split()
        if words[0].startswith("-"):
            continue
        name = words[0] if words[0] == "total" else words[1]
        table[name] = dict(zip(columns, (float(word) for word in words[-len(columns):])))
    return table

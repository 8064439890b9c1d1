"""Scores per learner and exercise, read from an nbgrader gradebook."""
from nbgrader.api import Gradebook

from course_tools.layout import ASSIGNMENT, EXERCISES, exercise_of


def gradebook_url(course_root):
    return f"sqlite:///{course_root}/gradebook.db"


def scores_by_exercise(db_url, assignment=ASSIGNMENT):
    """Return ``{student: {exercise: (score, max_score)}}`` for every graded submission."""
    with Gradebook(db_url) as gb:
        return scores_in(gb, assignment)


def scores_in(gb, assignment=ASSIGNMENT):
    """The same table, read through an open Gradebook. Grade cells are summed per exercise by
    the exercise name their grade_id starts with."""
    table = {}
    for submission in gb.find_assignment(assignment).submissions:
        row = {name: (0.0, 0.0) for name in EXERCISES}
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                exercise = exercise_of(grade.name)
                if exercise is not None:
                    score, maximum = row[exercise]
                    row[exercise] = (score + (grade.score or 0.0), maximum + grade.max_score)
        table[submission.student.id] = row
    return table


def format_table(table):
    """A plain-text table: one row per exercise, one column per student, totals last."""
    students = sorted(table)
    width = max([len(s) for s in students] + [5])
    maxima = {name: max((table[s][name][1] for s in students), default=0.0) for name in EXERCISES}
    header = f"{'exercise':<22}{'max':>5}" + "".join(f"{s:>{width + 2}}" for s in students)
    lines = [header, "-" * len(header)]
    for number, name in enumerate(EXERCISES, start=1):
        cells = "".join(f"{table[s][name][0]:>{width + 2}g}" for s in students)
        lines.append(f"{number} {name:<20}{maxima[name]:>5g}{cells}")
    totals = "".join(f"{sum(v[0] for v in table[s].values()):>{width + 2}g}" for s in students)
    lines.append("-" * len(header))
    lines.append(f"{'total':<22}{sum(maxima.values()):>5g}{totals}")
    return "\n".join(lines)

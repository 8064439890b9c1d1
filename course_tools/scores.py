"""Scores per learner and exercise, read from an nbgrader gradebook, and why a learner has none.

nbgrader creates a learner's submission row, with empty scores, before it grades anything, and
leaves it so when the grading fails. Such a row is not a grade of 0: every view of the kit (the
score table, the export, the report, grade-class's summary) reads only graded submissions and
says of the others why they have no grade.
"""
from pathlib import Path

from nbgrader.api import Gradebook

from course_tools.journal import Journal


def gradebook_url(course_root):
    return f"sqlite:///{course_root}/gradebook.db"


def is_graded(submission):
    """Whether nbgrader finished grading a submission row: every grade of a code cell has a
    score (markdown cells wait for a person and do not count here)."""
    grades = [grade for notebook in submission.notebooks for grade in notebook.grades]
    return bool(grades) and all(grade.auto_score is not None or grade.manual_score is not None
                                for grade in grades if grade.cell.cell_type == "code")


def scores_by_exercise(db_url, assignment):
    """Return ``{student: {exercise: (score, max_score)}}`` for every graded submission of an
    assignment (course_tools/assignment.py)."""
    with Gradebook(db_url) as gb:
        return scores_in(gb, assignment)


def scores_in(gb, assignment):
    """The same table, read through an open Gradebook. Grade cells are summed per exercise by
    the exercise name their grade_id starts with."""
    table = {}
    for submission in gb.find_assignment(assignment.id).submissions:
        if not is_graded(submission):
            continue
        row = {name: (0.0, 0.0) for name in assignment.exercises}
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                exercise = assignment.exercise_of(grade.name)
                if exercise is not None:
                    score, maximum = row[exercise]
                    row[exercise] = (score + (grade.score or 0.0), maximum + grade.max_score)
        table[submission.student.id] = row
    return table


def pass_rates(table, exercises):
    """``{exercise: (learners with full points, graded learners)}`` of a scores table."""
    rows = list(table.values())
    return {name: (sum(1 for row in rows if row[name][1] > 0 and row[name][0] >= row[name][1]), len(rows))
            for name in exercises}


def ungraded_rows_in(gb, assignment_id):
    """The students whose submission row nbgrader left without scores."""
    return {s.student.id for s in gb.find_assignment(assignment_id).submissions if not is_graded(s)}


def why_not_graded(course_root, assignment_id, student, empty_row=False, journal=None):
    """Why a learner has no grade for an assignment, in a few words: the reason grade-class
    recorded, a grading that failed, a submission nobody graded yet, or no submission at all."""
    record = (journal or Journal(course_root, assignment_id)).latest.get(student)
    if record and record["status"] == "failed":
        return record["reason"]
    if empty_row:
        return "its grading failed (nbgrader's log says why); grade it again"
    if (Path(course_root) / "submitted" / student / assignment_id).is_dir():
        return "submitted, not graded yet"
    return "no submission"


def format_table(table, exercises):
    """A plain-text table: one row per exercise, one column per student, totals last."""
    students = sorted(table)
    width = max([len(s) for s in students] + [5])
    maxima = {name: max((table[s][name][1] for s in students), default=0.0) for name in exercises}
    header = f"{'exercise':<22}{'max':>5}" + "".join(f"{s:>{width + 2}}" for s in students)
    lines = [header, "-" * len(header)]
    for number, name in enumerate(exercises, start=1):
        cells = "".join(f"{table[s][name][0]:>{width + 2}g}" for s in students)
        lines.append(f"{number} {name:<20}{maxima[name]:>5g}{cells}")
    totals = "".join(f"{sum(v[0] for v in table[s].values()):>{width + 2}g}" for s in students)
    lines.append("-" * len(header))
    lines.append(f"{'total':<22}{sum(maxima.values()):>5g}{totals}")
    return "\n".join(lines)

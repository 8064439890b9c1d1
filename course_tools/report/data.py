"""What the report shows, gathered from the gradebook, the autograded notebooks and the
class-grading journal."""
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from course_tools.assignment import load_assignment
from course_tools.journal import Journal, submitted_students
from course_tools.scores import pass_rates, scores_in, ungraded_rows_in, why_not_graded

GRADED_PREFIX = "Graded: "


@dataclass
class ClassResults:
    assignment: object  # course_tools/assignment.py's Assignment
    scores: dict  # student -> {exercise: (score, max_score)}
    submitted: list  # every student with a submitted folder
    reasons: Counter = field(default_factory=Counter)  # (exercise, reason) -> learners who lost points so
    ungraded: dict = field(default_factory=dict)  # student -> why it has no grade

    def pass_rates(self):
        """``{exercise: (learners with full points, graded learners)}``."""
        return pass_rates(self.scores, self.assignment.exercises)

    def totals(self):
        return sorted(sum(score for score, _ in row.values()) for row in self.scores.values())

    def max_total(self):
        return max((sum(m for _, m in row.values()) for row in self.scores.values()), default=0.0)


def reason_of(message, cause):
    """The part of a check's message that names the mistake, without the numbers that differ
    from one learner to the next, so that the same mistake is counted once per learner."""
    text = message.strip()
    if text.startswith(GRADED_PREFIX):
        text = text[len(GRADED_PREFIX):]
    if cause in text:
        return f"{cause} " + text.split(cause, 1)[1].strip()
    first = re.split(r"(?<=[.:;])\s", text, maxsplit=1)[0].rstrip(":;. ")
    return re.sub(r"(?<![\w.])-?\d+(\.\d+)?(e-?\d+)?(?![\w.])", "#", first) + "."


def lost_points_reasons(notebook_path, assignment):
    """``{exercise: reason}`` for each exercise whose grade cell failed in an autograded notebook."""
    nb = nbformat.read(str(notebook_path), as_version=4)
    reasons = {}
    for cell in nb.cells:
        exercise = assignment.exercise_of_grade_cell(cell)
        if exercise is None:
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                reasons[exercise] = reason_of(f"{output.get('evalue', '')}" or output.get("ename", "error"),
                                              assignment.checks.CAUSE)
                break
    return reasons


def gather(course_root, assignment_id, db_url):
    course_root = Path(course_root)
    assignment = load_assignment(assignment_id, course_root)
    with Gradebook(db_url) as gradebook:  # one connection for the scores and the empty rows
        scores, empty_rows = scores_in(gradebook, assignment), ungraded_rows_in(gradebook, assignment_id)
    results = ClassResults(assignment, scores, submitted_students(course_root, assignment_id))
    journal = Journal(course_root, assignment_id)
    for student in sorted(set(results.submitted) | empty_rows):
        notebook = course_root / "autograded" / student / assignment_id / f"{assignment_id}.ipynb"
        if student in scores and notebook.exists():
            for exercise, reason in lost_points_reasons(notebook, assignment).items():
                score, maximum = scores[student][exercise]
                if score < maximum:
                    results.reasons[(exercise, reason)] += 1
        elif student not in scores:
            results.ungraded[student] = why_not_graded(course_root, assignment_id, student, student in empty_rows,
                                                       journal)
    return results

"""Reading the course's notebooks in tests: the solution lines, an autograded notebook, a grade cell."""
import nbformat

from tests.support.rnn_assignment import ASSIGNMENT


def solution_lines(solutions):
    """The substantive lines written between the solution markers of the source notebook:
    not comments, and not bare control-flow headers such as ``for t in range(T_x):``."""
    lines = set()
    for source in solutions.values():
        inside = False
        for line in source.splitlines():
            stripped = line.strip()
            if stripped == "### BEGIN SOLUTION":
                inside = True
            elif stripped == "### END SOLUTION":
                inside = False
            elif inside and len(stripped) > 12 and not stripped.startswith("#") and not stripped.endswith(":"):
                lines.add(stripped)
    return lines


def autograded(course_run, student):
    path = course_run.root / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    return nbformat.read(str(path), as_version=4)


def grade_cell(nb, exercise):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == f"{exercise}_test")

"""A second assignment needs its own folder and nothing in the engine: a small throwaway
assignment ("tiny", two exercises) is written into a scratch course beside the RNN one, as
docs/adding-an-assignment.md says, and goes through the check-data generator, nbgrader's
release, autograde (visible, hidden and a known mistake), feedback and the CSV export."""
import csv
import textwrap

import nbformat
import numpy as np
import pytest

from course_tools import check_data
from course_tools.assignment import assignment_ids, load_assignment
from course_tools.nbgrader_cli import run_nbgrader
from course_tools.scores import gradebook_url, scores_by_exercise
from course_tools.scratch import copy_course
from course_tools.submissions import fill_release, submit
from tests.support.markers import NEW_ASSIGNMENT
from tests.support.rnn_assignment import ASSIGNMENT, EXERCISES, RNN

pytestmark = NEW_ASSIGNMENT

TINY = "tiny"
# the checks' machinery every assignment ships (the RNN checks' own modules are forward.py,
# backward.py and hints.py)
MACHINERY = ("compare.py", "crash.py", "data.py", "exercise.py", "report.py", "running.py", "summary.py")

SOLUTIONS = {
    "scale": '''def scale(x, w):
    """Scale each row of x by the matching entry of the column w."""
    ### BEGIN SOLUTION
    return w * x
    ### END SOLUTION
''',
    "affine": '''def affine(x, parameters):
    """W @ x + b for the parameters {"W": (n_out, n_in), "b": (n_out, 1)}."""
    ### BEGIN SOLUTION
    return parameters["W"] @ x + parameters["b"]
    ### END SOLUTION
''',
}
DEMOS = {
    "scale": "np.random.seed(0)\nx_tmp = np.random.randn(2, 3)\nw_tmp = np.random.randn(2, 1)\n"
             "print(scale(x_tmp, w_tmp)[1][2])\n",
    "affine": "np.random.seed(0)\nx_tmp = np.random.randn(3, 4)\n"
              "parameters_tmp = {'W': np.random.randn(2, 3), 'b': np.random.randn(2, 1)}\n"
              "print(affine(x_tmp, parameters_tmp)[0][1])\n",
}
POINTS = {"scale": 3, "affine": 7}

CHECKS = '''
"""The two exercises of the tiny assignment."""
from .compare import expect_items
from .exercise import Exercise


def _judge(name, output):
    def judge(case, args, result):
        expect_items(f"{name} on {case.describe()}", "the result", (result,), [(output, case[output])])
    return judge


SCALE = Exercise("scale", ("x", "w"), lambda case: (case["x"], case["w"]), _judge("scale", "scaled"),
                 outputs=("scaled",))
AFFINE = Exercise("affine", ("x", "parameters"), lambda case: (case["x"], case.parameters()),
                  _judge("affine", "z"), outputs=("z",))
'''
CHECKS_INIT = '''
"""The checks of the tiny assignment."""
from .checks import AFFINE, SCALE
from .compare import CheckFailure, matches
from .data import Case, load_cases
from .hints import HINTS
from .report import CAUSE, report_lines
from .running import standing_in

EXERCISES = {exercise.name: exercise for exercise in (SCALE, AFFINE)}
scale_test, affine_test = SCALE.check, AFFINE.check
'''
HINTS = 'HINTS = {"scale_by_its_square": "scale by w itself, not by w squared."}\n'
INSTRUCTOR = '''
"""The tiny assignment's cases, reference outputs and known mistake."""
import numpy as np

from course_tools.mistakes import Mistake

SIZES = {"sizes": (4, 5, 2, 11)}  # n_in, m, n_out, seed
HIDDEN = (("one example", (3, 1, 1, 12)), ("wide", (1, 6, 4, 13)))


def _inputs(exercise, n_in, m, n_out, seed):
    randn = np.random.RandomState(seed).randn
    if exercise == "scale":
        return {"x": randn(n_in, m), "w": randn(n_in, 1)}
    return {"x": randn(n_in, m), "param.W": randn(n_out, n_in), "param.b": randn(n_out, 1)}


def visible_inputs(exercise):
    return {name: _inputs(exercise, *sizes) for name, sizes in SIZES.items()}


def hidden_inputs(exercise):
    return [(label, _inputs(exercise, *sizes)) for label, sizes in HIDDEN]


OUTPUTS = {
    "scale": lambda reference, case: {"scaled": reference["scale"](case["x"], case["w"])},
    "affine": lambda reference, case: {"z": reference["affine"](case["x"], case.parameters())},
}
MISTAKES = (Mistake("scale", "scale_by_its_square", "return w * x", "return w * w * x"),)
'''


def _cell(kind, source, grade_id, **meta):
    cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "grade": False, "locked": False, "solution": False,
                                 "schema_version": 3, "task": False, **meta}
    return cell


def write_tiny_assignment(course):
    """source/tiny/ in ``course``: notebook, checks (machinery linked to the RNN checks') and
    the instructor package, as the guide describes."""
    folder = course / "source" / TINY
    checks = folder / "public_tests"
    checks.mkdir(parents=True)
    for name in MACHINERY:
        (checks / name).symlink_to(f"../../{ASSIGNMENT}/public_tests/{name}")
    (checks / "checks.py").write_text(textwrap.dedent(CHECKS).lstrip())
    (checks / "__init__.py").write_text(textwrap.dedent(CHECKS_INIT).lstrip())
    (checks / "hints.py").write_text(HINTS)
    (folder / "instructor").mkdir()
    (folder / "instructor" / "__init__.py").write_text(textwrap.dedent(INSTRUCTOR).lstrip())
    cells = [nbformat.v4.new_markdown_cell("# Tiny\n\nTwo small exercises."),
             _cell("code", "import numpy as np\nfrom public_tests import affine_test, scale_test", "setup", locked=True)]
    for name, solution in SOLUTIONS.items():
        cells += [_cell("code", solution, name, solution=True),
                  _cell("code", DEMOS[name], f"{name}_demo", locked=True),
                  _cell("code", f'"""{name}: the demo inputs and other fixed inputs."""\n{name}_test({name})',
                        f"{name}_test", grade=True, locked=True, points=POINTS[name])]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, str(folder / f"{TINY}.ipynb"))
    return folder


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A scratch course holding the RNN assignment and the tiny one, both released; three
    learners submit the tiny one, one of them the RNN one too; all autograded, the tiny one's
    feedback generated, the grades of both exported."""
    course = copy_course(tmp_path_factory.mktemp("two-assignments") / "course")
    write_tiny_assignment(course)
    assert check_data.main([TINY, "--course", str(course)]) == 0
    run_nbgrader(course, "generate_assignment", TINY, "--log-level=ERROR", capture=True)
    release = course / "release" / TINY
    tiny = load_assignment(TINY, course)
    mistake = tiny.instructor.MISTAKES[0]
    answers = {"right": SOLUTIONS, "squared": mistake.apply(SOLUTIONS)}
    for student, solutions in answers.items():
        submit(course, student, release, fill_release(solutions, release / f"{TINY}.ipynb"))
    submit(course, "untouched", release)
    run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--log-level=ERROR", capture=True)
    rnn_release = course / "release" / ASSIGNMENT
    submit(course, "right", rnn_release, fill_release(RNN.solution_sources(), rnn_release / f"{ASSIGNMENT}.ipynb"))
    for assignment_id in (TINY, ASSIGNMENT):
        graded = run_nbgrader(course, "autograde", assignment_id, "--log-level=ERROR", check=False, capture=True)
        assert graded.returncode == 0, graded.stdout + graded.stderr
    run_nbgrader(course, "generate_feedback", TINY, "--log-level=ERROR", capture=True)
    run_nbgrader(course, "export", "--log-level=ERROR", capture=True)
    return course


def test_the_engine_reads_the_assignment_from_its_folder(course):
    tiny = load_assignment(TINY, course)
    assert assignment_ids(course) == sorted([*assignment_ids(), TINY])
    assert tiny.exercises == ("scale", "affine") and tiny.points == {"scale": 3.0, "affine": 7.0}
    assert load_assignment(ASSIGNMENT, course).exercises == EXERCISES
    assert tiny.checks is not load_assignment(ASSIGNMENT, course).checks, "each assignment has its own checks"


def test_the_demo_case_is_what_the_demo_cell_draws(course):
    with np.load(course / "source" / TINY / "public_tests" / "check_data.npz") as data:
        np.random.seed(0)
        x, w = np.random.randn(2, 3), np.random.randn(2, 1)
        np.testing.assert_allclose(data["scale/demo/x"], x, rtol=0, atol=0, err_msg="scale's demo x")
        np.testing.assert_allclose(data["scale/demo/scaled"], w * x, rtol=0, atol=0, err_msg="scale's demo output")
        assert "affine/demo/param.W" in data.files and "affine/sizes/z" in data.files
        assert "scale/demo/mistake.scale_by_its_square.scaled" in data.files


def test_the_release_holds_the_checks_and_nothing_of_the_instructor(course):
    release = course / "release" / TINY
    assert (release / "public_tests" / "check_data.npz").is_file()
    assert not (release / "instructor").exists()
    released = nbformat.read(str(release / f"{TINY}.ipynb"), as_version=4)
    assert not any("return w * x" in cell.source for cell in released.cells)


def test_grades_follow_the_exercises_of_the_tiny_notebook(course):
    scores = scores_by_exercise(gradebook_url(course), load_assignment(TINY, course))
    assert scores == {"right": {"scale": (3.0, 3.0), "affine": (7.0, 7.0)},
                      "squared": {"scale": (0.0, 3.0), "affine": (7.0, 7.0)},
                      "untouched": {"scale": (0.0, 3.0), "affine": (0.0, 7.0)}}


def test_a_known_mistake_is_named_in_the_feedback(course):
    page = (course / "feedback" / "squared" / TINY / f"{TINY}.html").read_text()
    assert "scale by w itself, not by w squared." in page


def test_the_export_has_a_column_per_exercise_of_each_assignment(course):
    with open(course / "grades.csv", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = {(row["assignment"], row["student_id"]): row for row in reader}
    columns = reader.fieldnames[5:-3]
    assert sorted(columns) == sorted([*EXERCISES, "scale", "affine"]), columns
    assert columns.index("affine") == columns.index("scale") + 1, "each assignment's exercises in its order"
    tiny = {student: (row["scale"], row["affine"], row["status"], row["rnn_forward"])
            for (assignment_id, student), row in rows.items() if assignment_id == TINY}
    assert tiny == {"right": ("3.0", "7.0", "graded", ""), "squared": ("0.0", "7.0", "graded", ""),
                    "untouched": ("0.0", "0.0", "graded", "")}
    rnn = {student: row for (assignment_id, student), row in rows.items() if assignment_id == ASSIGNMENT}
    assert rnn["right"]["status"] == "graded" and rnn["right"]["score"] == "100.0" and rnn["right"]["scale"] == ""
    assert rnn["squared"]["status"] == "no submission" and rnn["squared"]["score"] == ""

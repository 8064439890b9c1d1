"""Grades from one real ``nbgrader autograde`` run over the test submissions and the samples."""
import csv
import html
import re

import nbformat
import pytest

from course_tools.nbgrader_cli import run_nbgrader
from tests.support.expected import BEN_WRONG, POINTS, printed_table, scores_only
from tests.support.markers import GRADED_COURSE
from tests.support.mutants import EXPECTED_MESSAGE, expect_quoted_crash, first_mistake_of
from tests.support.notebooks import solution_lines
from tests.support.rnn_assignment import ASSIGNMENT, EXERCISES

pytestmark = GRADED_COURSE



def test_every_exercise_is_graded_with_its_own_points(course_run):
    for student, row in course_run.scores.items():
        assert {name: maximum for name, (_, maximum) in row.items()} == POINTS, student


@pytest.mark.parametrize("student", ["reference", "ada"])
def test_correct_submissions_get_full_marks(course_run, student):
    assert scores_only(course_run.scores)[student] == POINTS


def test_the_untouched_release_gets_zero(course_run):
    assert all(score == 0 for score, _ in course_run.scores["cleo"].values())


@pytest.mark.parametrize("exercise", EXERCISES)
def test_one_wrong_exercise_loses_exactly_its_points(course_run, exercise):
    scores = scores_only(course_run.scores)[f"wrong_{exercise}"]
    assert scores == {**POINTS, exercise: 0}


@pytest.mark.parametrize("exercise", EXERCISES)
def test_the_graded_cell_says_what_is_wrong(course_run, exercise):
    path = course_run.root / "autograded" / f"wrong_{exercise}" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == f"{exercise}_test")
    errors = [o for o in cell.outputs if o.output_type == "error"]
    assert errors and EXPECTED_MESSAGE[first_mistake_of(exercise).name] in errors[0].evalue


def test_a_crash_is_graded_with_the_learners_own_line(course_run, solutions):
    """The judge's worker quotes the line of the learner's cell that raised, and its cause."""
    path = course_run.root / "autograded" / "crash_in_function" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "rnn_cell_forward_test")
    expect_quoted_crash(next(o for o in cell.outputs if o.output_type == "error").traceback, solutions)


def test_partly_right_sample_gets_the_grades_its_docstring_promises(course_run):
    scores = scores_only(course_run.scores)["ben"]
    assert scores == {name: 0 if name in BEN_WRONG else POINTS[name] for name in EXERCISES}


def test_main_job_prints_each_students_score_per_exercise(course_run):
    table = printed_table(course_run.output, ASSIGNMENT)
    assert list(table) == [*EXERCISES, "total"]
    students = set(table["total"]) - {"max"}
    assert {"ada", "ben", "cleo", "reference"} <= students
    for exercise in EXERCISES:
        assert table[exercise] == {"max": POINTS[exercise], **{s: course_run.scores[s][exercise][0] for s in students}}
    assert table["total"]["ada"] == 100


def test_feedback_and_export_after_autograde(course_run, solutions):
    """The rest of the instructor's workflow: generate_feedback, then export to CSV."""
    # feedback for ben, cleo, corrupt_file and hardcoded (one glob keeps it to one command)
    run_nbgrader(course_run.root, "generate_feedback", ASSIGNMENT, "--student=[bch]*", "--log-level=WARN", capture=True)
    page = (course_run.root / "feedback" / "ben" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "45.0" in page and "100.0" in page  # ben's score out of the maximum
    assert "started the cell state at a0" in page  # the reason for a lost exercise
    # each reason shows as the checks' own short lines, none cut or too long to read
    reasons = [html.unescape(block).strip("\n").splitlines() for block in
               re.findall(r'<div class="output_subarea output_text output_error">\s*<pre>(.*?)</pre>', page, re.S)]
    graded = [lines for lines in reasons if lines and lines[0].startswith("Graded: ")]
    assert len(graded) == len(BEN_WRONG), reasons
    assert all(len(line) <= 80 for lines in graded for line in lines), graded
    assert any(line.startswith("Likely cause: dc_prev also needs the gradient") for lines in graded for line in lines)
    for student in ("cleo", "hardcoded", "corrupt_file"):
        page = (course_run.root / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
        if student != "hardcoded":  # whose own cells are copies of the reference
            leaked = [line for line in solution_lines(solutions) if html.escape(line) in page or line in page]
            assert not leaked, f"{student}'s feedback shows reference code: {leaked[:2]}"
        for secret in ("HIDDEN_SHAPES", "hidden_cases", "seed=", "course_tools"):
            assert secret not in page, f"{student}'s feedback mentions {secret}"
    run_nbgrader(course_run.root, "export", "--log-level=WARN", capture=True)
    with open(course_run.root / "grades.csv", newline="") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle) if row["assignment"] == ASSIGNMENT}
    assert set(rows) == set(course_run.scores), "one row per learner"
    assert float(rows["ada"]["score"]) == 100 and float(rows["cleo"]["score"]) == 0
    assert float(rows["ben"]["score"]) == 45 and float(rows["ben"]["max_score"]) == 100
    for student, row in course_run.scores.items():
        assert {name: float(rows[student][name]) for name in EXERCISES} == {name: s for name, (s, _) in row.items()}
        assert rows[student]["status"] == "graded"


def test_nbgrader_validate_shows_the_whole_message(course_run):
    """``nbgrader validate`` cuts every line longer than 87 characters; the checks' lines are
    short, so a learner who validates from a terminal reads the likely cause whole."""
    notebook = course_run.root / "submitted" / "wrong_rnn_cell_forward" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    report = run_nbgrader(course_run.root, "validate", str(notebook), capture=True, check=False).stdout
    error = report.split("The error was:", 1)[1].split("=" * 20)[0]
    lines = [line.strip() for line in error.strip().splitlines()]
    assert lines[0].startswith("Check failed: rnn_cell_forward on the demo inputs: a_next"), report
    assert "Likely cause: the bias ba is missing from the hidden state (related to ba?)." in lines, report
    assert not any(line.endswith("...") for line in lines), report

"""The second assignment, graded like the first: in the main job's course (one autograde for
its learners), then on a copy of that course by grade-class, its feedback, the report and the
export of both assignments."""
import csv
import shutil
import subprocess
import sys

import pytest

from course_tools.nbgrader_cli import run_nbgrader
from course_tools.scores import gradebook_url, scores_by_exercise
from tests.support.expected import printed_table, scores_only
from tests.support.lm_assignment import LM, LM_EXPECTED_MESSAGE, LM_GRADED_MISTAKES, LM_POINTS, lm_expected_grades
from tests.support.markers import GRADED_COURSE
from tests.support.notebooks import autograded, grade_cell
from tests.support.rnn_assignment import ASSIGNMENT, ROOT

pytestmark = GRADED_COURSE


def test_every_learner_of_the_language_model_gets_the_expected_grade(course_run):
    assert scores_only(course_run.lm_scores) == lm_expected_grades()


@pytest.mark.parametrize("mistake", LM_GRADED_MISTAKES)
def test_the_graded_cell_says_what_the_notebooks_check_says(course_run, mistake):
    """The judge (the learner's code in its worker, the checks in the grader) gives the message
    the notebook's own check gives: arguments changed in place, stand-ins that change theirs,
    crashes."""
    exercise = next(m.exercise for m in LM.instructor.MISTAKES if m.name == mistake)
    nb = autograded(course_run, f"lm_{mistake}", LM.id)
    text = "".join(output.get("text", "") + output.get("evalue", "") for output in grade_cell(nb, exercise).outputs)
    assert LM_EXPECTED_MESSAGE[mistake] in " ".join(text.split()), text


def test_the_main_job_prints_a_table_for_each_assignment(course_run):
    table = printed_table(course_run.output, LM.id)
    assert list(table) == [*LM.exercises, "total"]
    students = set(table["total"]) - {"max"}
    assert {"ada", "ben", "cleo", "reference"} <= students
    for exercise in LM.exercises:
        assert table[exercise] == {"max": LM_POINTS[exercise], **{s: course_run.lm_scores[s][exercise][0] for s in students}}
    assert (table["total"]["ada"], table["total"]["ben"]) == (100, 40)
    assert printed_table(course_run.output, ASSIGNMENT)["total"]["ben"] == 45


@pytest.fixture(scope="module")
def regraded(course_run, tmp_path_factory):
    """A copy of the main job's course, the language model regraded by grade-class, its
    feedback generated, its report written and both assignments exported."""
    course = tmp_path_factory.mktemp("lm-class") / "course"
    shutil.copytree(course_run.root, course, symlinks=True)
    completed = subprocess.run([sys.executable, "-m", "course_tools.grade_class", LM.id, "--course", str(course),
                                "--regrade", "--workers", "2"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    report = subprocess.run([sys.executable, "-m", "course_tools.report", LM.id, "--course", str(course)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert report.returncode == 0, report.stderr
    run_nbgrader(course, "generate_feedback", LM.id, "--student=ben", "--log-level=WARN", capture=True)
    run_nbgrader(course, "export", "--log-level=WARN", capture=True)
    return course


def test_grade_class_gives_the_grades_plain_autograde_gives(regraded, course_run):
    assert scores_by_exercise(gradebook_url(regraded), LM) == course_run.lm_scores


def test_the_feedback_names_the_likely_cause(regraded):
    page = (regraded / "feedback" / "ben" / LM.id / f"{LM.id}.html").read_text()
    assert "40.0" in page and "Likely cause: the next character is drawn at random from y" in " ".join(page.split())


def test_the_report_shows_the_language_models_exercises_and_reasons(regraded):
    page = (regraded / "reports" / f"{LM.id}.html").read_text()
    for exercise in LM.exercises:
        assert f"<td>{exercise}</td>" in page
    assert "Likely cause: the loss of a name is the sum of the cross-entropy of every step" in page


def test_the_export_has_both_assignments_each_with_its_own_columns(regraded, course_run):
    with open(regraded / "grades.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_assignment = {}
    for row in rows:
        by_assignment.setdefault(row["assignment"], {})[row["student_id"]] = row
    assert set(by_assignment) == {ASSIGNMENT, LM.id}
    for student, scores in course_run.lm_scores.items():
        row = by_assignment[LM.id][student]
        assert {name: float(row[name]) for name in LM.exercises} == {name: s for name, (s, _) in scores.items()}
        assert all(row[name] == "" for name in course_run.scores["ada"])  # no RNN column filled in an LM row
    assert float(by_assignment[LM.id]["ben"]["score"]) == 40 and float(by_assignment[ASSIGNMENT]["ben"]["score"]) == 45

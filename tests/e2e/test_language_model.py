"""The second assignment, graded like the first: its samples in the main job's course (one
autograde per assignment, one export of both), and a class of its own (samples, reference and
six known mistakes) graded by grade-class, with its feedback and its report. The class has an
xdist group of its own, so it runs beside the main job's course."""
import csv
import subprocess
import sys

import nbformat
import pytest

from course_tools.grade_samples import submit_samples
from course_tools.nbgrader_cli import run_nbgrader
from course_tools.scores import gradebook_url, scores_by_exercise
from course_tools.scratch import copy_course
from course_tools.submissions import fill_release, submit
from tests.support.expected import printed_table, scores_only
from tests.support.lm_assignment import (LM, LM_CLASS_MISTAKES, LM_EXPECTED_MESSAGE, LM_POINTS, lm_expected_grades,
                                         lm_mistake, lm_sample_grades)
from tests.support.markers import GRADED_COURSE, LM_CLASS
from tests.support.notebooks import grade_cell
from tests.support.rnn_assignment import ASSIGNMENT, ROOT


@GRADED_COURSE
def test_the_samples_get_the_grades_their_docstrings_promise(course_run):
    assert scores_only(course_run.lm_scores) == lm_sample_grades()


@GRADED_COURSE
def test_the_main_job_prints_a_table_for_each_assignment(course_run):
    table = printed_table(course_run.output, LM.id)
    assert list(table) == [*LM.exercises, "total"]
    assert set(table["total"]) == {"max", "ada", "ben", "cleo"}
    for exercise in LM.exercises:
        assert table[exercise] == {"max": LM_POINTS[exercise],
                                   **{s: course_run.lm_scores[s][exercise][0] for s in ("ada", "ben", "cleo")}}
    assert (table["total"]["ada"], table["total"]["ben"]) == (100, 40)
    assert printed_table(course_run.output, ASSIGNMENT)["total"]["ben"] == 45


@GRADED_COURSE
def test_the_export_has_both_assignments_each_with_its_own_columns(course_run):
    run_nbgrader(course_run.root, "export", "--log-level=WARN", capture=True)
    with open(course_run.root / "grades.csv", newline="") as handle:
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


@pytest.fixture(scope="module")
def lm_class(tmp_path_factory):
    """A course of the language model alone: its samples, the reference and one learner per
    mistake of LM_CLASS_MISTAKES, all graded by grade-class; its report written and ben's
    feedback generated."""
    course = copy_course(tmp_path_factory.mktemp("lm-class") / "course")
    run_nbgrader(course, "generate_assignment", LM.id, "--log-level=ERROR", capture=True)
    submit_samples(course, LM.id)
    solutions = LM.solution_sources()
    release = course / "release" / LM.id
    submit(course, "reference", release, fill_release(solutions, release / f"{LM.id}.ipynb"))
    for name in LM_CLASS_MISTAKES:
        notebook = fill_release(lm_mistake(name).apply(solutions), release / f"{LM.id}.ipynb")
        submit(course, f"lm_{name}", release, notebook)
    completed = subprocess.run([sys.executable, "-m", "course_tools.grade_class", LM.id, "--course", str(course),
                                "--workers", "2"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    report = subprocess.run([sys.executable, "-m", "course_tools.report", LM.id, "--course", str(course)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert report.returncode == 0, report.stderr
    run_nbgrader(course, "generate_feedback", LM.id, "--student=ben", "--log-level=WARN", capture=True)
    return course


@LM_CLASS
def test_grade_class_gives_each_learner_the_grade_of_their_answers(lm_class):
    """The samples get what plain autograde gives them in the main job's course (above)."""
    assert scores_only(scores_by_exercise(gradebook_url(lm_class), LM)) == lm_expected_grades(LM_CLASS_MISTAKES)


@LM_CLASS
@pytest.mark.parametrize("mistake", LM_CLASS_MISTAKES)
def test_the_graded_cell_says_what_the_notebooks_check_says(lm_class, mistake):
    """The judge (the learner's code in its worker, the checks in the grader) gives the message
    the notebook's own check gives."""
    path = lm_class / "autograded" / f"lm_{mistake}" / LM.id / f"{LM.id}.ipynb"
    cell = grade_cell(nbformat.read(str(path), as_version=4), lm_mistake(mistake).exercise)
    text = "".join(output.get("text", "") + output.get("evalue", "") for output in cell.outputs)
    assert LM_EXPECTED_MESSAGE[mistake] in " ".join(text.split()), text


@LM_CLASS
def test_the_feedback_names_the_likely_cause(lm_class):
    page = (lm_class / "feedback" / "ben" / LM.id / f"{LM.id}.html").read_text()
    assert "40.0" in page and "Likely cause: the next character is drawn at random from y" in " ".join(page.split())


@LM_CLASS
def test_the_report_shows_the_language_models_exercises_and_reasons(lm_class):
    page = (lm_class / "reports" / f"{LM.id}.html").read_text()
    for exercise in LM.exercises:
        assert f"<td>{exercise}</td>" in page
    assert "Likely cause: the loss of a name is the sum of the cross-entropy of every step" in page

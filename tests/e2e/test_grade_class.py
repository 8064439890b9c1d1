"""grade-class on the whole test class with local worker processes (stopped with Ctrl-C,
killed, resumed while a worker is killed). Every learner must get exactly the grade plain
``nbgrader autograde`` gives (tests/support/expected.py, which the plain run is held to in
test_grading.py and test_autograde.py). The Dask cluster and the PostgreSQL gradebook have
test modules of their own."""
from nbgrader.api import Gradebook

from course_tools.nbgrader_cli import run_nbgrader
from course_tools.scores import gradebook_url
from tests.conftest import NO_NOTEBOOK
from tests.support import class_grading
from tests.support.corpus import KERNEL_PROBE, kernel_seen_by
from tests.support.expected import expected_grades, scores_only
from tests.support.markers import CLASS_GRADING
from tests.support.rnn_assignment import ASSIGNMENT

pytestmark = CLASS_GRADING


def test_every_learner_gets_the_grade_plain_nbgrader_gives(class_run):
    assert scores_only(class_run.scores) == expected_grades()


def test_ctrl_c_stops_the_run_and_says_how_to_go_on(class_run):
    code, stdout, _ = class_run.stopped
    assert code == 130
    assert "Run the same command again to grade what is left." in stdout


def test_an_interrupted_or_killed_run_leaves_no_process_behind(class_run):
    assert class_run.killed[0] == -9  # the README's command itself took the SIGKILL
    assert class_run.left_running == []


def test_a_worker_lost_midway_costs_a_retry_not_the_batch(class_run):
    code, stdout, _ = class_run.finished
    assert code == 1 and ", 1 not graded, 0 not tried yet" in stdout  # the learner without a notebook
    failed = {r["student"] for r in class_grading.journal(class_run.course) if r["status"] == "failed"}
    assert failed == {NO_NOTEBOOK}  # nobody lost a grade with the worker


def test_each_learner_ends_graded_but_the_one_without_a_notebook(class_run):
    latest = {r["student"]: r for r in class_grading.journal(class_run.course)}
    assert set(latest) == set(expected_grades()) | {NO_NOTEBOOK}
    for student, record in latest.items():
        if student == NO_NOTEBOOK:
            assert (record["status"], record["fault"]) == ("failed", "submission")
        else:
            assert (record["status"], record["fault"], record["reason"]) == ("graded", None, ""), record


def test_the_rerun_after_a_kill_grades_each_remaining_learner_exactly_once(class_run):
    already = len(class_run.graded_before_last_go)
    assert already >= len(expected_grades()) // 2 - 1  # killed halfway through the class
    students = len(expected_grades()) + 1
    _, _, stderr = class_run.finished
    assert f"{ASSIGNMENT}: {students} submissions, {already} already graded, {students - already} to grade" in stderr
    last_go = [r["student"] for r in class_grading.journal(class_run.course)[class_run.journal_before_last_go:]]
    assert sorted(last_go) == sorted(set(expected_grades()) - class_run.graded_before_last_go | {NO_NOTEBOOK})


def test_no_grade_is_recorded_twice(class_run):
    graded = [r["student"] for r in class_grading.journal(class_run.course) if r["status"] == "graded"]
    assert len(graded) == len(set(graded))
    with Gradebook(gradebook_url(class_run.course)) as gradebook:
        assignment = gradebook.find_assignment(ASSIGNMENT)
        grade_cells = len(assignment.notebooks[0].grade_cells)
        submissions = assignment.submissions
        assert sorted(s.student.id for s in submissions) == sorted(expected_grades())
        for submission in submissions:
            assert [len(nb.grades) for nb in submission.notebooks] == [grade_cells], submission.student.id


def test_a_submission_that_cannot_be_graded_is_reported_not_skipped(class_run):
    code, stdout, _ = class_run.finished
    assert code == 1
    failed = [r for r in class_grading.journal(class_run.course) if r["student"] == NO_NOTEBOOK]
    assert failed and all(r["status"] == "failed" for r in failed)
    assert "No notebooks were matched" in failed[-1]["reason"]
    assert "Not graded, because of the submission" in stdout and NO_NOTEBOOK in stdout
    assert "trouble in the grader" not in stdout


def test_the_summary_gives_each_exercises_pass_rate(class_run):
    _, stdout, _ = class_run.finished
    grades = expected_grades()
    for name in ("rnn_cell_forward", "lstm_backward"):
        full = sum(1 for row in grades.values() if row[name] > 0)
        line = next(line for line in stdout.splitlines() if f" {name} " in line)
        assert f"{full}/{len(grades)}" in line, line


def test_grade_class_runs_forked_kernels_over_unix_sockets(class_run):
    notebook = class_run.course / "autograded" / KERNEL_PROBE / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert kernel_seen_by(notebook) == {"transport": "ipc", "forked": True, "uid": 65534}


def test_feedback_is_generated_from_the_class_run(class_run):
    run_nbgrader(class_run.course, "generate_feedback", ASSIGNMENT, "--student=ben", "--log-level=ERROR",
                 capture=True)
    page = (class_run.course / "feedback" / "ben" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "Graded: rnn_cell_forward" in page or "CheckFailure" in page
    assert "Graded: rnn_forward: all" in page

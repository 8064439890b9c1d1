"""grade-class on the whole test class: local worker processes (stopped with Ctrl-C, killed,
then resumed), a real Dask cluster on loopback, and a real PostgreSQL gradebook. Every learner
must get exactly the grade plain ``nbgrader autograde`` gives (tests/expected.py, which the
plain run is held to in test_grading.py and test_autograde.py)."""
import json
import os
import shutil
import subprocess
import sys
import time

import nbformat
import pytest
from nbgrader.api import Gradebook

from course_tools.layout import ASSIGNMENT, ROOT
from course_tools.nbgrader_cli import run_nbgrader
from course_tools.scores import gradebook_url, scores_by_exercise
from course_tools.submissions import fill_release, submit
from tests import class_grading
from tests.conftest import NO_NOTEBOOK, make_class_course
from tests.expected import expected_grades
from tests.markers import CLASS_GRADING
from tests.ports import free_port
from tests.postgres import postgres_server

pytestmark = CLASS_GRADING


def scores_only(scores):
    return {student: {name: score for name, (score, _) in row.items()} for student, row in scores.items()}


# -- local worker processes, interrupted and resumed -------------------------------------------

def test_every_learner_gets_the_grade_plain_nbgrader_gives(class_run):
    assert scores_only(class_run.scores) == expected_grades()


def test_ctrl_c_stops_the_run_and_says_how_to_go_on(class_run):
    code, stdout, _ = class_run.stopped
    assert code == 130
    assert "Run the same command again to grade what is left." in stdout


def test_an_interrupted_or_killed_run_leaves_no_process_behind(class_run):
    assert class_run.killed[0] == -9
    assert class_run.left_running == []


def test_a_worker_lost_midway_costs_a_retry_not_the_batch(class_run):
    code, stdout, _ = class_run.finished
    assert code == 1 and ", 1 failed, 0 not graded yet" in stdout  # the learner without a notebook
    failed = {r["student"] for r in class_grading.journal(class_run.course) if r["status"] == "failed"}
    assert failed == {NO_NOTEBOOK}  # nobody lost a grade with the worker


def test_the_rerun_grades_only_what_is_left(class_run):
    already = class_run.graded_before_last_go
    assert already >= 6  # the first two goes were stopped after six or more
    students = len(expected_grades()) + 1
    _, _, stderr = class_run.finished
    assert f"{ASSIGNMENT}: {students} submissions, {already} already graded, {students - already} to grade" in stderr


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
    assert "Could not be graded:" in stdout and NO_NOTEBOOK in stdout


def test_the_summary_gives_each_exercises_pass_rate(class_run):
    _, stdout, _ = class_run.finished
    grades = expected_grades()
    for name in ("rnn_cell_forward", "lstm_backward"):
        full = sum(1 for row in grades.values() if row[name] > 0)
        line = next(line for line in stdout.splitlines() if f" {name} " in line)
        assert f"{full}/{len(grades)}" in line, line


def test_feedback_is_generated_from_the_class_run(class_run):
    run_nbgrader(class_run.course, "generate_feedback", ASSIGNMENT, "--student=ben", "--log-level=ERROR",
                 capture=True)
    page = (class_run.course / "feedback" / "ben" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "Graded: rnn_cell_forward" in page or "CheckFailure" in page
    assert "Graded: rnn_forward: all" in page


# -- a Dask cluster on loopback ---------------------------------------------------------------

DASK = os.path.join(os.path.dirname(sys.executable), "dask")


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """A Dask scheduler and two worker processes (one thread each) on 127.0.0.1, with the kit
    importable; yields the scheduler's address and the workers' process ids."""
    from distributed import Client

    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    log = open(folder / "dask.log", "w")
    common = dict(cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)
    scheduler = subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(free_port()),
                                  "--dashboard-address", ":0", "--scheduler-file", str(scheduler_file)], **common)
    deadline = time.monotonic() + 60
    while not scheduler_file.exists():
        assert scheduler.poll() is None and time.monotonic() < deadline, (folder / "dask.log").read_text()
        time.sleep(0.2)
    address = json.loads(scheduler_file.read_text())["address"]
    workers = subprocess.Popen([DASK, "worker", address, "--nworkers", "2", "--nthreads", "1", "--host", "127.0.0.1",
                                "--dashboard-address", ":0", "--local-directory", str(folder)], **common)
    with Client(address, timeout=60) as client:
        client.wait_for_workers(2, timeout=120)
        worker_pids = set(client.run(os.getpid).values())
    yield address, worker_pids
    for process in (workers, scheduler):
        process.terminate()
        process.wait(timeout=60)
    log.close()


@pytest.fixture(scope="module")
def dask_class(dask_cluster, tmp_path_factory, solutions):
    """The test class graded on the Dask cluster: (course, (exit code, stdout, stderr))."""
    course = make_class_course(tmp_path_factory.mktemp("dask-class") / "course", solutions)
    return course, class_grading.run(course, "--scheduler", dask_cluster[0])


def test_a_dask_cluster_grades_the_class_exactly_as_plain_nbgrader(dask_class):
    course, (code, _, stderr) = dask_class
    assert code == 1, stderr  # the learner without a notebook
    assert scores_only(scores_by_exercise(gradebook_url(course))) == expected_grades()


def test_the_gradings_ran_on_the_clusters_workers(dask_cluster, dask_class):
    address, worker_pids = dask_cluster
    course, (_, stdout, _) = dask_class
    assert f"Dask cluster at {address} (2 workers)" in stdout
    graders = {record["grader"] for record in class_grading.journal(course)}
    assert graders == worker_pids  # both workers took part, and nothing else graded


def test_a_resubmission_is_graded_again_and_nothing_else(dask_class, solutions):
    course, _ = dask_class
    release = course / "release" / ASSIGNMENT
    submit(course, "cleo", fill_release(solutions, release / f"{ASSIGNMENT}.ipynb"), release)
    code, _, stderr = class_grading.run(course, "--workers", "1")
    assert f"{len(expected_grades()) - 1} already graded, 2 to grade" in stderr  # cleo, and the failed one
    assert scores_only(scores_by_exercise(gradebook_url(course)))["cleo"] == expected_grades()["ada"]


# -- a PostgreSQL gradebook -------------------------------------------------------------------

POSTGRES_LEARNERS = ("ada", "ben", "cleo", "wrong_lstm_forward", "syntax_error", NO_NOTEBOOK)


def test_a_postgresql_gradebook_gets_the_same_grades(tmp_path, solutions):
    with postgres_server() as db_url:
        course = make_class_course(tmp_path / "course", solutions)
        for folder in (course / "submitted").iterdir():
            if folder.name not in POSTGRES_LEARNERS:
                shutil.rmtree(folder)
        run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force", f"--db={db_url}", "--log-level=ERROR",
                     capture=True)
        code, stdout, stderr = class_grading.run(course, "--db-url", db_url)
        assert code == 1, stderr
        expected = {student: grades for student, grades in expected_grades().items() if student in POSTGRES_LEARNERS}
        assert scores_only(scores_by_exercise(db_url)) == expected
        assert not (course / "gradebook.db").exists() or scores_by_exercise(gradebook_url(course)) == {}
        nb = nbformat.read(str(course / "autograded" / "ada" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"), as_version=4)
        assert any("Graded:" in o.get("text", "") for c in nb.cells for o in c.get("outputs", []))

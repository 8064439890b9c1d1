"""grade-class on a real Dask cluster on loopback (a scheduler and two worker processes): the
test class gets exactly the grades plain ``nbgrader autograde`` gives (tests/support/expected.py)."""
import json
import os
import subprocess
import sys
import time

import pytest

from course_tools.scores import gradebook_url, scores_by_exercise
from course_tools.submissions import fill_release, submit
from tests.conftest import NO_NOTEBOOK, make_class_course
from tests.support import class_grading
from tests.support.expected import expected_grades, scores_only
from tests.support.markers import DASK_CLUSTER
from tests.support.ports import free_port
from tests.support.rnn_assignment import ASSIGNMENT, RNN, ROOT

pytestmark = DASK_CLUSTER

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
    assert scores_only(scores_by_exercise(gradebook_url(course), RNN)) == expected_grades()
    latest = {r["student"]: (r["status"], r["fault"]) for r in class_grading.journal(course)}
    assert latest == {student: ("failed", "submission") if student == NO_NOTEBOOK else ("graded", None)
                      for student in [*expected_grades(), NO_NOTEBOOK]}


def test_the_gradings_ran_on_the_clusters_workers(dask_cluster, dask_class):
    address, worker_pids = dask_cluster
    course, (_, stdout, _) = dask_class
    assert f"Dask cluster at {address} (2 workers)" in stdout
    graders = {record["grader"] for record in class_grading.journal(course)}
    assert graders == worker_pids  # both workers took part, and nothing else graded


def test_a_resubmission_is_graded_again_and_nothing_else(dask_class, solutions):
    course, _ = dask_class
    release = course / "release" / ASSIGNMENT
    submit(course, "cleo", release, fill_release(solutions, release / f"{ASSIGNMENT}.ipynb"))
    code, _, stderr = class_grading.run(course, "--workers", "1")
    assert f"{len(expected_grades()) - 1} already graded, 2 to grade" in stderr  # cleo, and the failed one
    assert scores_only(scores_by_exercise(gradebook_url(course), RNN))["cleo"] == expected_grades()["ada"]

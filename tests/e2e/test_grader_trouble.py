"""Failures of the grader itself (here a kernel whose sandbox does not start, N times) are
tried again, by the kernel run and by grade-class, up to their limits; a learner whose grading
failed for good has no grade anywhere (no gradebook row, a blank and a status in the export,
listed apart in the report), and the same command grades them once the trouble is gone."""
import csv
import json
import subprocess
import sys

import pytest

from course_tools.grade_class.engines import GRADER_TRIES
from course_tools.grade_samples import submit_samples
from course_tools.grading.nbgrader_plugins import HaltingExecute
from course_tools.grading.sandbox import Confinement
from course_tools.nbgrader_cli import nbgrader_env, run_nbgrader
from course_tools.scores import gradebook_url, scores_by_exercise
from course_tools.scratch import copy_course
from tests.support import class_grading
from tests.support.expected import expected_grades, scores_only
from tests.support.rnn_assignment import ASSIGNMENT, RNN, ROOT

KERNEL_STARTS = HaltingExecute.kernel_start_attempts.default_value  # per grading
LEARNERS = ("ada", "ben")


@pytest.fixture()
def course(tmp_path):
    course = copy_course(tmp_path / "course")
    run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--log-level=ERROR", capture=True)
    for student in submit_samples(course, ASSIGNMENT):
        if student not in LEARNERS:
            (course / "submitted" / student).rename(tmp_path / student)  # two learners are enough
    return course


def flaky_kernels(course, tmp_path, failures):
    """Make the course's kernels fail their first ``failures`` starts: their sandbox program is
    tests/support/flaky_sandbox.py; return a JUPYTER_PATH whose "python3" kernel is launched through it
    (grade-class too: ``-u`` keeps the zygote from forking it)."""
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-u", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (launched)", "language": "python"}))
    wrapper = tmp_path / "flaky-bwrap"
    wrapper.write_text(f"#!/bin/sh\nexec {sys.executable} {ROOT / 'tests' / 'support' / 'flaky_sandbox.py'} "
                       f"{tmp_path / 'kernel-starts'} {failures} {Confinement().bwrap_program()} \"$0\" \"$@\"\n")
    wrapper.chmod(0o755)
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.Confinement.bwrap = {str(wrapper)!r}  # tests/e2e/test_grader_trouble.py\n")
    return str(tmp_path / "jupyter")


def kernel_starts(tmp_path):
    return len((tmp_path / "kernel-starts").read_text())


def expected():
    return {student: grades for student, grades in expected_grades().items() if student in LEARNERS}


def test_plain_autograde_starts_a_failed_kernel_again(course, tmp_path):
    env = dict(nbgrader_env(), JUPYTER_PATH=flaky_kernels(course, tmp_path, KERNEL_STARTS - 1))
    subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--student=ada",
                    "--log-level=ERROR"], cwd=course, env=env, check=True, capture_output=True)
    assert kernel_starts(tmp_path) == KERNEL_STARTS
    assert scores_only(scores_by_exercise(gradebook_url(course), RNN)) == {"ada": expected()["ada"]}


def test_grade_class_tries_a_grading_again_after_the_graders_trouble(course, tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", flaky_kernels(course, tmp_path, KERNEL_STARTS))  # the first grading fails
    code, stdout, stderr = class_grading.run(course, "--workers", "1")
    assert code == 0, stdout + stderr
    records = class_grading.journal(course)
    assert sorted((r["student"], r["status"]) for r in records) == [("ada", "graded"), ("ben", "graded")]
    assert sorted(r["tries"] for r in records) == [1, 2]
    assert scores_only(scores_by_exercise(gradebook_url(course), RNN)) == expected()


def test_a_learner_graded_by_nobody_has_no_grade_anywhere_until_graded(course, tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", flaky_kernels(course, tmp_path, 10_000))  # no kernel ever starts
    code, stdout, stderr = class_grading.run(course, "--workers", "2")
    assert code == 1, stdout + stderr
    assert kernel_starts(tmp_path) == len(LEARNERS) * GRADER_TRIES * KERNEL_STARTS
    records = {r["student"]: r for r in class_grading.journal(course)}
    for student in LEARNERS:
        record = records[student]
        assert (record["status"], record["fault"], record["tries"]) == ("failed", "grader", GRADER_TRIES)
        assert "the kernel did not start" in record["reason"]
    assert "2 graded" not in stdout and "2 not graded" in stdout
    assert "Not graded, because of trouble in the grader" in stdout
    assert "Run the same command again to grade what is left." in stdout

    # no submission row is left, so nothing reads as 0; the export and the report say why
    from nbgrader.api import Gradebook

    with Gradebook(gradebook_url(course)) as gradebook:
        assert gradebook.find_assignment(ASSIGNMENT).submissions == []
    run_nbgrader(course, "db", "student", "add", "dora", "--log-level=ERROR", capture=True)  # never submitted
    run_nbgrader(course, "export", "--log-level=ERROR", capture=True)
    with open(course / "grades.csv", newline="") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    for student in LEARNERS:
        assert rows[student]["score"] == "" and rows[student]["rnn_forward"] == ""
        assert rows[student]["status"].startswith("not graded: GraderTrouble: the kernel did not start")
    assert rows["dora"]["status"] == "no submission" and rows["dora"]["score"] == ""
    report = subprocess.run([sys.executable, "-m", "course_tools.report", ASSIGNMENT, "--course", str(course)],
                            cwd=ROOT, capture_output=True, text=True)
    assert report.returncode == 0, report.stderr
    page = (course / "reports" / f"{ASSIGNMENT}.html").read_text()
    assert "2 without a grade" in page
    assert page.count("the kernel did not start") == len(LEARNERS)

    # the trouble gone, the same command grades both, once each
    monkeypatch.delenv("JUPYTER_PATH")
    config = course / "nbgrader_config.py"
    config.write_text("".join(line for line in config.read_text().splitlines(keepends=True) if "flaky" not in line))
    lines_before = len(class_grading.journal(course))
    code, stdout, stderr = class_grading.run(course, "--workers", "2")
    assert code == 0, stdout + stderr
    assert sorted(r["student"] for r in class_grading.journal(course)[lines_before:]) == sorted(LEARNERS)
    assert scores_only(scores_by_exercise(gradebook_url(course), RNN)) == expected()
    run_nbgrader(course, "export", "--log-level=ERROR", capture=True)
    with open(course / "grades.csv", newline="") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert rows["ada"]["status"] == "graded" and float(rows["ada"]["score"]) == 100

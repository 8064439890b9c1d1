"""Shared fixtures: the reference functions, and one run of the kit's main job on a scratch
copy of the course that also grades the test submissions (one autograde for all of them)."""
import contextlib
import io
import os

import pytest

from course_tools.grade_samples import main as grade_samples_main
from course_tools.grade_samples import submit_samples
from course_tools.grading.judge_worker import SANDBOXED_PACKAGE
from course_tools.grading.sandbox import Sandbox
from course_tools.nbgrader_cli import nbgrader_env, run_nbgrader
from course_tools.reference import load_reference
from course_tools.scores import gradebook_url, scores_by_exercise
from course_tools.scratch import copy_course
from tests.support import class_grading
from tests.support.chromium import launch_chromium
from tests.support.corpus import course_files, submit_corpus
from tests.support.lm_assignment import LM
from tests.support.mutants import first_mistake_of
from tests.support.ports import listening
from tests.support.rnn_assignment import ASSIGNMENT, EXERCISES, RELEASE_DIR, RNN, filled, submitted
from tests.support.sandboxing import course_confinement

# Kernels started by the tests (nbclient, nbgrader) use this environment's Python.
os.environ.update(nbgrader_env())


@pytest.fixture(scope="session")
def reference():
    return load_reference(RNN)


@pytest.fixture(scope="session")
def solutions():
    return RNN.solution_sources()


def submit_test_learners(course, solutions):
    """Submit, besides the samples, the reference, one submission per exercise with that
    exercise wrong, and the fixture corpus (tests/support/expected.py has their grades)."""
    submitted(course, "reference", filled(solutions))
    for exercise in EXERCISES:
        submitted(course, f"wrong_{exercise}", filled(first_mistake_of(exercise).apply(solutions)))
    submit_corpus(course, solutions)


@pytest.fixture(scope="session")
def loopback_listener():
    """An HTTP server on loopback for the session, recording every connection: the hostile
    submissions (tests/support/corpus.py), built while it runs, try to reach it."""
    with listening() as listener:
        yield listener


class CourseRun:
    """What the main job left in a scratch copy of the kit: the graded course, the grades, and
    the course's files (``course_files``) as they were before the grading."""

    def __init__(self, kit_root, root, output, scores, files_before):
        self.kit_root, self.root, self.output, self.scores = kit_root, root, output, scores
        self.files_before = files_before
        self.lm_scores = scores_by_exercise(gradebook_url(root), LM)


@pytest.fixture(scope="session")
def course_run(tmp_path_factory, solutions, loopback_listener):
    """Run the main job on a scratch copy of the kit, submitting, besides the samples, the
    reference, one wrong submission per exercise and the fixture corpus (the language model has
    its samples only): everyone is graded in one nbgrader autograde run per assignment."""
    kit = copy_course(tmp_path_factory.mktemp("scratch") / "kit")
    files_before = {}

    def prepare(course):
        submit_test_learners(course, solutions)
        files_before.update(course_files(course))

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        returncode = grade_samples_main(["--root", str(kit)], prepare)
    assert returncode == 0, printed.getvalue()
    course = kit / ".samples"
    return CourseRun(kit, course, printed.getvalue(), scores_by_exercise(gradebook_url(course), RNN), files_before)


NO_NOTEBOOK = "no_notebook"  # a submitted folder without the notebook: nbgrader cannot grade it


def make_class_course(root, solutions):
    """A scratch course with the release built and the whole test class submitted, plus one
    learner whose folder lacks the notebook."""
    course = copy_course(root)
    run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--log-level=ERROR", capture=True)
    submit_samples(course, ASSIGNMENT)
    submit_test_learners(course, solutions)
    folder = course / "submitted" / NO_NOTEBOOK / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("I could not find the notebook, sorry.\n")
    return course


class ClassRun:
    """A class graded by grade-class in three goes: stopped with Ctrl-C, then (the README's
    command) killed halfway, then run to the end while one of its workers is killed; each go's
    (exit code, stdout, stderr), who was graded before the last go and how long the journal was;
    the course's files (``course_files``) as they were before the first go."""

    def __init__(self, course, stopped, killed, graded_before_last_go, journal_before_last_go, finished, lost_worker,
                 left_running, files_before):
        self.course, self.stopped, self.killed, self.finished = course, stopped, killed, finished
        self.files_before = files_before
        self.graded_before_last_go, self.journal_before_last_go = graded_before_last_go, journal_before_last_go
        self.lost_worker = lost_worker
        self.left_running = left_running
        self.scores = scores_by_exercise(gradebook_url(course), RNN)


@pytest.fixture(scope="session")
def class_run(tmp_path_factory, solutions, loopback_listener):
    course = make_class_course(tmp_path_factory.mktemp("class") / "course", solutions)
    files_before = course_files(course)
    halfway = len(list((course / "submitted").iterdir())) // 2
    *stopped, left_after_stop = class_grading.interrupt_after(course, 3, class_grading.SIGINT)
    # the README's own command, killed as a scheduler or the out-of-memory killer would
    *killed, left_after_kill = class_grading.interrupt_after(course, halfway, class_grading.SIGKILL,
                                                             readme_command=True)
    graded = class_grading.graded_students(course)
    journal_before_last_go = class_grading.journal_lines(course)
    *finished, lost_worker = class_grading.run_losing_a_worker(course, journal_before_last_go + 2)
    return ClassRun(course, tuple(stopped), tuple(killed), graded, journal_before_last_go, tuple(finished),
                    lost_worker, left_after_stop + left_after_kill, files_before)


@pytest.fixture
def release_sandbox():
    """A grading sandbox (the course's confinement) holding a copy of the release, with the
    judge's worker package: where a JudgeWorker runs a learner's code."""
    with Sandbox(course_confinement(), RELEASE_DIR, tools=[SANDBOXED_PACKAGE]) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's), for the tests of one module that open pages."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


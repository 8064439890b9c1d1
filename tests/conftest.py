"""Shared fixtures: the reference functions, and one run of the kit's main job on a scratch
copy of the course that also grades the test submissions (one autograde for all of them)."""
import contextlib
import io
import os
import shutil

import pytest

from course_tools.grade_samples import main as grade_samples_main
from course_tools.layout import EXERCISES, ROOT
from course_tools.nbgrader_cli import nbgrader_env
from course_tools.reference import load_reference, solution_cells
from course_tools.scores import gradebook_url, scores_by_exercise
from course_tools.submissions import fill_release, submit
from tests.corpus import submit_corpus
from tests.mutants import first_mistake_of

# Kernels started by the tests (nbclient, nbgrader) use this environment's Python.
os.environ.update(nbgrader_env())

IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")

def copy_course(dest):
    """A fresh course directory: this kit's config, source and the instructor tools that the
    config loads (no release, no gradebook)."""
    dest.mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", dest)
    for folder in ("source", "course_tools"):
        shutil.copytree(ROOT / folder, dest / folder, ignore=IGNORE)
    for link in ("rnn_utils", "public_tests"):
        (dest / link).symlink_to(os.readlink(ROOT / link))
    return dest


@pytest.fixture(scope="session")
def reference():
    return load_reference()


@pytest.fixture(scope="session")
def solutions():
    return solution_cells()


class CourseRun:
    """What the main job left in a scratch copy of the kit: the graded course and the grades."""

    def __init__(self, kit_root, root, output, scores):
        self.kit_root, self.root, self.output, self.scores = kit_root, root, output, scores


@pytest.fixture(scope="session")
def course_run(tmp_path_factory, solutions):
    """Run the main job on a scratch copy of the kit, submitting, besides the samples, the
    reference, one wrong submission per exercise and the fixture corpus: everyone is graded
    in one nbgrader autograde run."""
    kit = copy_course(tmp_path_factory.mktemp("scratch") / "kit")

    def prepare(course):
        submit(course, "reference", fill_release(solutions))
        for exercise in EXERCISES:
            submit(course, f"wrong_{exercise}", fill_release(first_mistake_of(exercise).apply(solutions)))
        submit_corpus(course, solutions)

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        returncode = grade_samples_main(["--root", str(kit)], prepare)
    assert returncode == 0, printed.getvalue()
    course = kit / ".samples"
    return CourseRun(kit, course, printed.getvalue(), scores_by_exercise(gradebook_url(course)))

"""The kit's main job: build the release, grade the bundled sample submissions, print scores.

``python3 course.py grade-samples`` sets everything up, then runs this:

1. ``nbgrader generate_assignment rnn_step_by_step --force`` in the kit rebuilds ``release/``;
2. a throwaway course is made in ``.samples/`` (links to the kit's config, source and tools,
   its own gradebook), so the demo never touches the instructor's gradebook;
3. each ``samples/<student>.py`` is typed into a copy of the release and submitted there, and
   one more learner, "cleo", submits the release untouched;
4. ``nbgrader autograde rnn_step_by_step`` grades them all, and the score of every learner on
   every exercise is printed from that gradebook.

``--root DIR`` runs it on another copy of the kit.
"""
import argparse
import os
import shutil
import sys
from pathlib import Path

from course_tools.layout import ASSIGNMENT, ROOT
from course_tools.nbgrader_cli import run_nbgrader
from course_tools.scores import format_table, gradebook_url, scores_by_exercise
from course_tools.submissions import answers_from_file, fill_release, submit

SAMPLES = ROOT / "samples"
UNTOUCHED_STUDENT = "cleo"
LINKED = ("nbgrader_config.py", "source", "course_tools", "rnn_utils", "public_tests")


def submit_samples(course):
    """Submit every sample learner, and the untouched release; return the student ids."""
    release = Path(course) / "release" / ASSIGNMENT
    students = []
    for answers_file in sorted(SAMPLES.glob("*.py")):
        notebook = fill_release(answers_from_file(answers_file), release / f"{ASSIGNMENT}.ipynb")
        submit(course, answers_file.stem, notebook, release)
        students.append(answers_file.stem)
    submit(course, UNTOUCHED_STUDENT, None, release)
    return students + [UNTOUCHED_STUDENT]


def sample_course(kit_root):
    """A fresh throwaway course in ``<kit>/.samples`` that links to the kit's files."""
    course = Path(kit_root) / ".samples"
    shutil.rmtree(course, ignore_errors=True)
    course.mkdir()
    for name in LINKED:
        os.symlink(Path("..") / name, course / name)
    return course


def grade_samples(kit_root, prepare=None):
    """Run the main job; ``prepare(course)`` may submit more learners before autograde.

    Returns the sample course directory and the completed autograde process.
    """
    run_nbgrader(kit_root, "generate_assignment", ASSIGNMENT, "--force", "--log-level=ERROR", capture=True)
    course = sample_course(kit_root)
    run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--log-level=ERROR", capture=True)
    submit_samples(course)
    if prepare is not None:
        prepare(course)
    graded = run_nbgrader(course, "autograde", ASSIGNMENT, "--log-level=ERROR", check=False, capture=True)
    return course, graded


def main(argv=None, prepare=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the kit's directory (default: this kit)")
    root = parser.parse_args(argv).root.resolve()
    print("Building the release and grading the sample submissions ...", flush=True)
    course, graded = grade_samples(root, prepare)
    if graded.returncode != 0:
        print(graded.stdout + graded.stderr, file=sys.stderr)
    print(format_table(scores_by_exercise(gradebook_url(course))))
    print(f"\nThe graded notebooks are in {course / 'autograded'}.")
    return graded.returncode


if __name__ == "__main__":
    sys.exit(main())

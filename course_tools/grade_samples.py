"""The kit's main job: build the releases, grade the bundled sample submissions, print scores.

``python3 course.py grade-samples`` sets everything up, then runs this, for every assignment
with sample learners (``samples/<assignment>/``):

1. ``nbgrader generate_assignment <assignment> --force`` in the kit rebuilds its release;
2. a throwaway course is made in ``.samples/`` (a copy of the kit's config, source and tools,
   its own gradebook), so the demo never touches the instructor's gradebook;
3. each ``samples/<assignment>/<student>.py`` is typed into a copy of the release and
   submitted there, and one more learner, "cleo", submits the release untouched;
4. ``nbgrader autograde <assignment>`` grades them all, and the score of every learner on
   every exercise is printed from that gradebook.

``--root DIR`` runs it on another copy of the kit.
"""
import argparse
import shutil
import sys
from pathlib import Path

from course_tools.assignment import ROOT, load_assignment
from course_tools.nbgrader_cli import run_nbgrader
from course_tools.scores import format_table, gradebook_url, scores_by_exercise
from course_tools.scratch import copy_course
from course_tools.submissions import answers_from_file, fill_release, submit

SAMPLES = ROOT / "samples"
UNTOUCHED_STUDENT = "cleo"


def sample_assignments():
    """The ids of the assignments with sample learners in ``samples/<assignment>/``."""
    return sorted(folder.name for folder in SAMPLES.iterdir() if any(folder.glob("*.py")))


def submit_samples(course, assignment_id):
    """Submit every sample learner of an assignment, and its untouched release; return the
    student ids."""
    release = Path(course) / "release" / assignment_id
    exercises = load_assignment(assignment_id, Path(course).resolve()).exercises
    students = []
    for answers_file in sorted((SAMPLES / assignment_id).glob("*.py")):
        notebook = fill_release(answers_from_file(answers_file, exercises), release / f"{assignment_id}.ipynb")
        submit(course, answers_file.stem, release, notebook)
        students.append(answers_file.stem)
    submit(course, UNTOUCHED_STUDENT, release)
    return students + [UNTOUCHED_STUDENT]


def grade_samples(kit_root, prepare=None):
    """Run the main job; ``prepare(course)`` may submit more learners before autograde.

    Returns the sample course directory and ``{assignment: completed autograde process}``.
    """
    assignments = sample_assignments()
    for assignment_id in assignments:
        run_nbgrader(kit_root, "generate_assignment", assignment_id, "--force", "--log-level=ERROR", capture=True)
    course = Path(kit_root) / ".samples"
    shutil.rmtree(course, ignore_errors=True)
    copy_course(course, kit_root)
    for assignment_id in assignments:
        run_nbgrader(course, "generate_assignment", assignment_id, "--log-level=ERROR", capture=True)
        submit_samples(course, assignment_id)
    if prepare is not None:
        prepare(course)
    return course, {assignment_id: run_nbgrader(course, "autograde", assignment_id, "--log-level=ERROR",
                                                check=False, capture=True) for assignment_id in assignments}


def main(argv=None, prepare=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the kit's directory (default: this kit)")
    root = parser.parse_args(argv).root.resolve()
    print("Building the releases and grading the sample submissions ...", flush=True)
    course, gradings = grade_samples(root, prepare)
    for assignment_id, graded in gradings.items():
        if graded.returncode != 0:
            print(graded.stdout + graded.stderr, file=sys.stderr)
        assignment = load_assignment(assignment_id, course.resolve())
        print(f"\n{assignment_id}\n" + format_table(scores_by_exercise(gradebook_url(course), assignment),
                                                    assignment.exercises))
    print(f"\nThe graded notebooks are in {course / 'autograded'}.")
    return max((graded.returncode for graded in gradings.values()), default=0)


if __name__ == "__main__":
    sys.exit(main())

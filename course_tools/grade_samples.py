"""The kit's main job: build the release, grade the bundled sample submissions, print scores.

``python3 course.py grade-samples`` sets everything up, then runs this in the course root:

1. ``nbgrader generate_assignment rnn_step_by_step --force`` rebuilds ``release/``;
2. each ``samples/<student>.py`` is typed into a copy of the release and submitted, and
   one more learner, "cleo", submits the release untouched;
3. ``nbgrader autograde rnn_step_by_step --force`` grades them all;
4. the score of every learner on every exercise is printed from the gradebook.

``--root DIR`` runs it on another copy of the course (one holding nbgrader_config.py and source/).
"""
import argparse
import sys
from pathlib import Path

from course_tools.layout import ASSIGNMENT, ROOT
from course_tools.nbgrader_cli import run_nbgrader
from course_tools.scores import format_table, gradebook_url, scores_by_exercise
from course_tools.submissions import answers_from_file, fill_release, submit

SAMPLES = ROOT / "samples"
UNTOUCHED_STUDENT = "cleo"


def submit_samples(root):
    """Submit every sample learner, and the untouched release; return the student ids."""
    release = Path(root) / "release" / ASSIGNMENT
    students = []
    for answers_file in sorted(SAMPLES.glob("*.py")):
        notebook = fill_release(answers_from_file(answers_file), release / f"{ASSIGNMENT}.ipynb")
        submit(root, answers_file.stem, notebook, release)
        students.append(answers_file.stem)
    submit(root, UNTOUCHED_STUDENT, None, release)
    return students + [UNTOUCHED_STUDENT]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the course directory (default: this kit)")
    root = parser.parse_args(argv).root.resolve()
    print("Building the release ...", flush=True)
    run_nbgrader(root, "generate_assignment", ASSIGNMENT, "--force", "--log-level=WARN", capture=True)
    students = submit_samples(root)
    print(f"Autograding {len(students)} submissions ({', '.join(students)}) ...", flush=True)
    graded = run_nbgrader(root, "autograde", ASSIGNMENT, "--force", "--log-level=ERROR", check=False, capture=True)
    if graded.returncode != 0:
        print(graded.stdout + graded.stderr, file=sys.stderr)
    print()
    print(format_table(scores_by_exercise(gradebook_url(root))))
    return graded.returncode


if __name__ == "__main__":
    sys.exit(main())

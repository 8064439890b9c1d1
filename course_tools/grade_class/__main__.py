"""Grade every submission of an assignment in parallel, resumably.

    python3 course.py grade-class rnn_step_by_step                  # local worker processes
    python3 course.py grade-class rnn_step_by_step --workers 8
    python3 course.py grade-class rnn_step_by_step --scheduler tcp://10.0.0.5:8786
    python3 course.py grade-class rnn_step_by_step --db-url postgresql://grader@db/course

Grades ``submitted/*/ASSIGNMENT`` of the course directory into its gradebook (the one its
nbgrader configuration names, or ``--db-url``), exactly as ``nbgrader autograde`` would, and
writes ``autograded/`` for ``nbgrader generate_feedback``. Interrupted (Ctrl-C, or killed) and
run again, it grades only what is left; ``--regrade`` grades everything again. Exits 0 when
every submission is graded, 1 when some could not be (the table says which and why), 130 when
interrupted.
"""
if __name__ == "__main__":  # the command opts in to its shortcuts (speedups.py) before nbgrader is imported
    from course_tools.grade_class.speedups import take

    take(["skip_iri_grammar"])

import argparse  # noqa: E402
import os
import sys
import time
from pathlib import Path

from course_tools.assignment import load_assignment
from course_tools.grade_class.engines import DaskEngine, LocalEngine
from course_tools.grade_class.grader import forget_failed_submission, sqlite_with_patience
from course_tools.grade_class.progress import ProgressBar, summary
from course_tools.journal import Journal, fingerprint, grading_dir, submitted_students
from course_tools.nbgrader_cli import course_config
from course_tools.scores import scores_by_exercise


def default_workers():
    """One worker more than cores: a grading waits now and then (for its kernel, its judge, the
    gradebook), and the extra worker fills those gaps (measured: 2 cores, 80 notebooks, 102 s
    with 2 workers, 83 s with 3, 84 s with 4)."""
    return (os.cpu_count() or 1) + 1


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="grade-class", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment", help="the assignment id (its folder under source/)")
    parser.add_argument("--course", type=Path, default=Path.cwd(), help="the course directory (default: here)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=default_workers(),
                       help="local worker processes (default: one more than the CPU cores)")
    where.add_argument("--scheduler", metavar="ADDRESS", help="a Dask distributed scheduler to send the work to")
    parser.add_argument("--db-url", help="the gradebook (default: the course's nbgrader configuration)")
    parser.add_argument("--regrade", action="store_true", help="grade every submission again")
    return parser.parse_args(argv)


def assignment_problem(course_root, db_url, assignment):
    """Why the assignment cannot be graded (its folder does not load, or the gradebook cannot
    take its grades), or None if it can."""
    from nbgrader.api import Gradebook, MissingEntry

    try:
        load_assignment(assignment, course_root).load_packages()
    except Exception as error:
        return f"the assignment {assignment!r} could not be loaded from its folder: {type(error).__name__}: {error}"
    try:
        with Gradebook(db_url) as gradebook:
            gradebook.find_assignment(assignment)
    except MissingEntry:
        return (f"the gradebook ({db_url}) has no assignment {assignment!r}: run "
                f"'nbgrader generate_assignment {assignment} --db={db_url}' in the course directory first")
    except Exception as error:
        return f"the gradebook ({db_url}) cannot be opened: {type(error).__name__}: {error}"
    return None


def forget_submission_row(db_url, assignment, student):
    """After a grading that failed for good, leave no submission row that would read as 0."""
    try:
        forget_failed_submission(sqlite_with_patience(db_url), assignment, student)
    except Exception as error:  # e.g. a gradebook still locked: the kit's views read the row as ungraded
        print(f"grade-class: could not remove the submission row of {student} after a failed grading: {error!r}",
              file=sys.stderr)


def confinement_problem(config):
    """Why learner code cannot be confined here as the course's configuration asks, or None.
    (On a Dask cluster each worker checks again before it grades.)"""
    from course_tools.grading.sandbox import Confinement, SandboxUnavailable

    try:
        Confinement(config=config).check()
    except SandboxUnavailable as error:
        return str(error)
    return None


def main(argv=None):
    args = parse_args(argv)
    root = args.course.resolve()
    config = course_config(str(root), args.db_url)
    db_url = config.CourseDirectory.db_url
    problem = confinement_problem(config) or assignment_problem(root, db_url, args.assignment)
    if problem:
        print(f"grade-class: {problem}", file=sys.stderr)
        return 2
    students = submitted_students(root, args.assignment)
    journal = Journal(root, args.assignment)
    stamps = {student: fingerprint(root / "submitted" / student / args.assignment) for student in students}
    todo = [s for s in students if args.regrade or not journal.is_done(s, stamps[s])]
    print(f"{args.assignment}: {len(students)} submissions, {len(students) - len(todo)} already graded, "
          f"{len(todo)} to grade", file=sys.stderr)

    log_path = grading_dir(root, args.assignment) / "workers.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    engine = DaskEngine(args.scheduler) if args.scheduler else LocalEngine(max(1, args.workers), log_path)
    bar = ProgressBar(len(todo))
    started, interrupted, graded_now = time.monotonic(), False, 0
    try:
        for result in engine.run(str(root), args.assignment, todo, args.db_url):
            if result["status"] != "graded":
                forget_submission_row(db_url, args.assignment, result["student"])
            journal.record(stamps[result["student"]], result)
            graded_now += result["status"] == "graded"
            bar.advance(result)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        engine.close()
        bar.finish()
    assignment = load_assignment(args.assignment, root)
    print(summary(assignment, students, journal, scores_by_exercise(db_url, assignment), time.monotonic() - started,
                  engine.description, graded_now))
    if interrupted:
        return 130
    return 1 if any(journal.latest.get(s, {}).get("status") != "graded" for s in students) else 0


if __name__ == "__main__":
    sys.exit(main())

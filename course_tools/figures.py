"""Draw the assignments' figures: ``python -m course_tools.figures [ASSIGNMENT ...] [--check]``.

An assignment whose figures are drawn by the kit has ``instructor/figures.py`` with a
``main(argv)`` that writes them into its ``images/`` (or, with ``--check``, exits 1 naming the
stale ones); this runs it for each assignment given, or for every assignment that has one.
"""
import argparse
import sys

from course_tools.assignment import assignment_ids, load_assignment


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: all with instructor/figures.py)")
    parser.add_argument("--check", action="store_true", help="compare the committed images with a fresh render")
    args = parser.parse_args(argv)
    status = 0
    for assignment_id in args.assignments or assignment_ids():
        assignment = load_assignment(assignment_id)
        if assignment.has_instructor_module("figures"):
            status |= assignment.instructor_module("figures").main(["--check"] if args.check else [])
        elif args.assignments:
            print(f"{assignment_id}: no instructor/figures.py, no figures to draw", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())

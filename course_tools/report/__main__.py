"""Write the instructor's HTML report of an assignment.

    python3 course.py report rnn_step_by_step [--course DIR] [--db-url URL] [--output FILE]

Pass rate per exercise, a histogram of total scores, the most common reasons for lost points
(read from the autograded notebooks) and the submissions that could not be graded, in one
self-contained page (default: ``<course>/reports/ASSIGNMENT.html``).
"""
import argparse
import sys
from pathlib import Path

from course_tools.nbgrader_cli import course_config
from course_tools.report.data import gather
from course_tools.report.page import render


def main(argv=None):
    parser = argparse.ArgumentParser(prog="report", description=__doc__.split("\n\n")[0])
    parser.add_argument("assignment")
    parser.add_argument("--course", type=Path, default=Path.cwd(), help="the course directory (default: here)")
    parser.add_argument("--db-url", help="the gradebook (default: the course's nbgrader configuration)")
    parser.add_argument("--output", type=Path, help="where to write the page")
    args = parser.parse_args(argv)
    root = args.course.resolve()
    db_url = course_config(str(root), args.db_url).CourseDirectory.db_url
    output = args.output or root / "reports" / f"{args.assignment}.html"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(gather(root, args.assignment, db_url)))
    print(f"Wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

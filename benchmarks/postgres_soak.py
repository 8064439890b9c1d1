"""Soak: run the PostgreSQL gradebook test many times in a row, with busy loops beside it.

    .venv/bin/python -m benchmarks.postgres_soak [--runs 20] [--busy 2]

Each run is ``pytest tests/e2e/test_gradebook_postgres.py`` (a real PostgreSQL server on loopback,
grade-class with its default workers, every learner's journal status and grade checked), while
``--busy`` processes spin on the CPU to crowd the grading. Prints each run's verdict and time,
then the count of passes; exits 1 if any run failed. A failure here is a race to find, not
noise to retry: the log of each failed run is kept. Not a test: its figures go into notes.
"""
import argparse
import subprocess
import sys
import time
from pathlib import Path

from course_tools.assignment import ROOT

SPIN = "while True:\n    pass\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--busy", type=int, default=2, help="busy loops running beside the test")
    parser.add_argument("--logs", type=Path, default=ROOT / "test-output" / "postgres-soak")
    args = parser.parse_args(argv)
    args.logs.mkdir(parents=True, exist_ok=True)
    busy = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(args.busy)]
    passed = 0
    try:
        for run in range(1, args.runs + 1):
            started = time.monotonic()
            completed = subprocess.run([sys.executable, "-m", "pytest", "tests/e2e/test_gradebook_postgres.py", "-q",
                                        "-p", "no:xdist", "-o", "addopts=-ra"], cwd=ROOT, capture_output=True,
                                       text=True)
            verdict = completed.stdout.strip().splitlines()[-1] if completed.stdout.strip() else "no output"
            ok = completed.returncode == 0 and " passed" in verdict and "skipped" not in verdict
            passed += ok
            if not ok:
                (args.logs / f"run-{run}.log").write_text(completed.stdout + completed.stderr)
            print(f"run {run:2d}: {'pass' if ok else 'FAIL'}  {time.monotonic() - started:5.1f} s  {verdict}",
                  flush=True)
    finally:
        for process in busy:
            process.kill()
            process.wait()
    print(f"{passed} of {args.runs} runs passed with {args.busy} busy loops beside them")
    return 0 if passed == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())

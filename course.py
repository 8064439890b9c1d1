#!/usr/bin/env python3
"""Set up and run the RNN course kit. Needs nothing but Python 3.10 or newer.

    python3 course.py grade-samples   build the release, grade the sample submissions, print scores
    python3 course.py test [ARGS]     run the whole test suite (ARGS are passed to pytest)
    python3 course.py grade-class ASSIGNMENT [OPTIONS]
                                      grade every submission in parallel (--help for options)
    python3 course.py report ASSIGNMENT [OPTIONS]
                                      write the instructor's HTML report of an assignment

Both first create ``.venv/`` from the pinned ``requirements.txt`` (again whenever that file
changes), then run inside it.
"""
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "requirements.txt"
COMMANDS = {
    "grade-samples": ["-m", "course_tools.grade_samples"],
    "test": ["-m", "pytest"],
    "grade-class": ["-m", "course_tools.grade_class"],
    "report": ["-m", "course_tools.report"],
}


def venv_python():
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv():
    """Create the virtual environment and install the pinned requirements if they changed."""
    stamp = VENV / "requirements.sha256"
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if venv_python().exists() and stamp.exists() and stamp.read_text() == digest:
        return
    if not venv_python().exists():
        print(f"Creating {VENV} ...", flush=True)
        venv.create(VENV, with_pip=True)
    print(f"Installing {REQUIREMENTS.name} into {VENV} ...", flush=True)
    # pip compiles one file after another; compileall does it on every core (and bytecode it
    # writes whatever PYTHONDONTWRITEBYTECODE says, which these machines set)
    subprocess.run([venv_python(), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--no-compile", "-r", REQUIREMENTS], check=True)
    subprocess.run([venv_python(), "-m", "compileall", "-q", "-j", "0", str(VENV)], check=True,
                   stdout=subprocess.DEVNULL)
    stamp.write_text(digest)


def main(argv):
    if sys.version_info < (3, 10):
        sys.exit("The course kit needs Python 3.10 or newer.")
    if not argv or argv[0] not in COMMANDS:
        sys.exit(__doc__)
    ensure_venv()
    env = dict(os.environ)
    env["PATH"] = str(venv_python().parent) + os.pathsep + env.get("PATH", "")
    command = [str(venv_python()), *COMMANDS[argv[0]], *argv[1:]]
    return subprocess.run(command, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

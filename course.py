#!/usr/bin/env python3
"""Set up and run the RNN course kit. Needs nothing but Python 3.10 or newer.

    python3 course.py grade-samples   build the release, grade the sample submissions, print scores
    python3 course.py test [ARGS]     run the whole test suite (ARGS are passed to pytest)
    python3 course.py grade-class ASSIGNMENT [OPTIONS]
                                      grade every submission in parallel (--help for options)
    python3 course.py report ASSIGNMENT [OPTIONS]
                                      write the instructor's HTML report of an assignment

Each first creates ``.venv/`` from the pinned ``requirements.txt`` (again whenever that file
changes), then becomes the command inside it (exec, not a child it waits on), so that a signal
sent to this process reaches the command itself.
"""
import hashlib
import os
import subprocess
import sys
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


def venv_python(env=VENV):
    return env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _requirements_digest():
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()


def environment_is_current(env):
    """Whether ``env`` holds the pinned requirements of this very ``requirements.txt``."""
    stamp = env / "requirements.sha256"
    return venv_python(env).exists() and stamp.exists() and stamp.read_text() == _requirements_digest()


def build_environment(env, python=sys.executable):
    """Create the virtual environment ``env`` with ``python`` (unless it exists) and install the
    pinned requirements into it. The kit's ``.venv`` and the JupyterHub deployment's shared
    environment are both built here."""
    if not venv_python(env).exists():
        print(f"Creating {env} ...", flush=True)
        subprocess.run([python, "-m", "venv", env], check=True)
    print(f"Installing {REQUIREMENTS.name} into {env} ...", flush=True)
    # pip compiles one file after another; compileall does it on every core (and bytecode it
    # writes whatever PYTHONDONTWRITEBYTECODE says, which these machines set)
    subprocess.run([venv_python(env), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--no-compile", "-r", REQUIREMENTS], check=True)
    subprocess.run([venv_python(env), "-m", "compileall", "-q", "-j", "0", str(env)], check=True,
                   stdout=subprocess.DEVNULL)
    (env / "requirements.sha256").write_text(_requirements_digest())


def main(argv):
    if sys.version_info < (3, 10):
        sys.exit("The course kit needs Python 3.10 or newer.")
    if not argv or argv[0] not in COMMANDS:
        sys.exit(__doc__)
    if not environment_is_current(VENV):
        build_environment(VENV)
    env = dict(os.environ)
    env["PATH"] = str(venv_python().parent) + os.pathsep + env.get("PATH", "")
    command = [str(venv_python()), *COMMANDS[argv[0]], *argv[1:]]
    if os.name == "nt":
        return subprocess.run(command, cwd=ROOT, env=env).returncode
    # become the command instead of waiting for it, so that a signal sent to this process
    # (Ctrl-C, a scheduler's SIGTERM or SIGKILL, an out-of-memory kill) reaches the command
    sys.stdout.flush()
    sys.stderr.flush()
    os.chdir(ROOT)
    os.execve(command[0], command, env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Run real nbgrader commands on a course directory, or read the configuration they would use."""
import os
import subprocess
import sys
from pathlib import Path


def nbgrader_env():
    """The environment nbgrader needs: this interpreter's bin/ first on PATH, since nbgrader
    shells out to ``alembic`` for the gradebook; and this environment's kernel specs first on
    JUPYTER_PATH, so a user-wide "python3" kernel spec cannot swap in another Python."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(Path(sys.prefix) / "share" / "jupyter"),
                                                        env.get("JUPYTER_PATH")]))
    return env


def run_nbgrader(course_root, *args, check=True, capture=False):
    """Run ``nbgrader <args>`` in ``course_root`` and return the CompletedProcess.

    With ``check``, a non-zero exit raises CalledProcessError. With ``capture``, stdout and
    stderr are kept (as text) instead of printed.
    """
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course_root, env=nbgrader_env(),
                          check=check, text=True, capture_output=capture)


def course_config(course_root, db_url=None):
    """The configuration ``nbgrader`` run in ``course_root`` would use (the same config files),
    with the gradebook at ``db_url`` if given."""
    from nbgrader.apps.baseapp import NbGrader
    from nbgrader.coursedir import CourseDirectory

    previous = os.getcwd()
    os.chdir(course_root)  # nbgrader reads nbgrader_config.py from the working directory
    try:
        app = NbGrader()
        app.initialize([])
    finally:
        os.chdir(previous)
    config = app.config
    if db_url:
        config.CourseDirectory.db_url = db_url
    config.CourseDirectory.db_url = CourseDirectory(config=config).db_url  # nbgrader's default if unset
    return config

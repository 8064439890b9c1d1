"""The worker side: grade one submission with nbgrader's own autograde converter.

A worker process (local, or a Dask worker) keeps one ``NbGraderAPI`` per course, configured
exactly as ``nbgrader autograde`` run in the course directory would be (the same config files,
so the same preprocessors, hidden checks and rules), and calls its ``autograde`` for one
student at a time: the very code path of the command line, writing the same gradebook rows and
the same autograded notebook. What differs is how processes are started (``zygote.py``) and a
few shortcuts of the same result (``speedups.py``).
"""
import os
import re
import threading
import time
from pathlib import Path

from course_tools.grade_class.zygote import reap_orphans

_APIS = {}  # (course root, db_url) -> NbGraderAPI, one per course in this process
_ONE_AT_A_TIME = threading.Lock()  # nbgrader changes the working directory while it grades


def sqlite_with_patience(db_url):
    """An SQLite URL that waits up to a minute for a lock instead of failing at once, since
    several workers write into the same file."""
    if db_url.startswith("sqlite:") and "?" not in db_url:
        return db_url + "?timeout=60"
    return db_url


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


def _api_for(course_root, db_url):
    key = (course_root, db_url)
    if key not in _APIS:
        from nbgrader.apps.api import NbGraderAPI

        from course_tools.grade_class import speedups
        from course_tools.grade_class.zygote import use_forked_processes

        config = course_config(course_root, db_url)
        config.CourseDirectory.db_url = sqlite_with_patience(config.CourseDirectory.db_url)
        use_forked_processes(config)
        speedups.apply(config)
        _APIS[key] = NbGraderAPI(config=config)
    return _APIS[key]


def failure_reason(outcome):
    """One line saying why nbgrader could not grade a submission, from its error and log."""
    text = outcome.get("log", "") + "\n" + outcome.get("error", "")
    errors = [line.split("]", 1)[-1].strip() for line in text.splitlines() if line.startswith("[ERROR]")]
    specific = [line for line in errors if not re.match(r"(There was an error|Please see)", line)]
    if specific:
        return specific[0]
    lines = [line.strip() for line in outcome.get("error", "").splitlines() if line.strip()]
    return lines[-1] if lines else "nbgrader reported a failure without a message"


def grade_submission(course_root, assignment, student, db_url=None):
    """Autograde one student's submission; return ``{"student", "status", "reason", "seconds",
    "grader"}``: status "graded" or "failed" (with nbgrader's reason), the time it took and the
    process that graded it. Never raises for a bad submission."""
    course_root = str(Path(course_root).resolve())
    started = time.monotonic()
    with _ONE_AT_A_TIME:
        api = _api_for(course_root, db_url)
        try:
            outcome = api.autograde(assignment, student, force=True, create=True)
        except Exception as error:  # nbgrader's capture_log catches nearly all; this is the rest
            outcome = {"success": False, "error": f"{type(error).__name__}: {error}"}
        reap_orphans()  # nothing of ours runs between two gradings
    status = "graded" if outcome["success"] else "failed"
    return {"student": student, "status": status, "reason": "" if outcome["success"] else failure_reason(outcome),
            "seconds": time.monotonic() - started, "grader": os.getpid()}

"""The worker side: grade one submission with nbgrader's own autograde converter.

A worker process (local, or a Dask worker) keeps one ``NbGraderAPI`` per course, configured
exactly as ``nbgrader autograde`` run in the course directory would be (the same config files,
so the same preprocessors, hidden checks and rules), and calls its ``autograde`` for one
student at a time: the very code path of the command line, writing the same gradebook rows and
the same autograded notebook. What differs is how processes are started (``zygote.py``) and a
few shortcuts of the same result (``speedups.py``), taken here, in grade-class's own grading
processes, only with the library versions they were written for.
"""
import os
import re
import threading
import time
from pathlib import Path

from course_tools.grade_class.zygote import reap_orphans
from course_tools.grading.faults import GRADER_TROUBLE_NAMES
from course_tools.nbgrader_cli import course_config

_APIS = {}  # (course root, db_url) -> NbGraderAPI, one per course in this process
_ONE_AT_A_TIME = threading.Lock()  # nbgrader changes the working directory while it grades


def sqlite_with_patience(db_url):
    """An SQLite URL that waits up to a minute for a lock instead of failing at once, since
    several workers write into the same file."""
    if db_url.startswith("sqlite:") and "?" not in db_url:
        return db_url + "?timeout=60"
    return db_url


def _api_for(course_root, db_url):
    key = (course_root, db_url)
    if key not in _APIS:
        from course_tools.grade_class import speedups
        from course_tools.grade_class.zygote import use_forked_processes

        speedups.take(["skip_iri_grammar"])  # grade-class's grading process opts in, before nbgrader is imported
        from nbgrader.apps.api import NbGraderAPI

        config = course_config(course_root, db_url)
        config.CourseDirectory.db_url = sqlite_with_patience(config.CourseDirectory.db_url)
        use_forked_processes(config)
        speedups.apply(config)
        _APIS[key] = NbGraderAPI(config=config)
    return _APIS[key]


def _error_records(log):
    """The ERROR records of nbgrader's captured log, as ``(message, is_traceback)``; a record
    holding a traceback is given by its last line, the exception without its module path
    ("RuntimeError: Kernel died ...")."""
    records = []
    for line in log.splitlines():
        level = re.match(r"\[([A-Z]+)\] ?(.*)", line)
        if level:
            records.append((level.group(1), [level.group(2)]))
        elif records:
            records[-1][1].append(line)
    messages = []
    for level, lines in records:
        lines = [line.strip() for line in lines if line.strip()]
        if level == "ERROR" and lines:
            if lines[0].startswith("Traceback"):
                messages.append((re.sub(r"^(?:\w+\.)+(?=\w+:)", "", lines[-1]), True))
            else:
                messages.append((lines[0], False))
    return messages


def failure_reason(outcome):
    """One line saying why nbgrader could not grade a submission, from its error and log: the
    exception that stopped it, else its first specific error message."""
    errors = _error_records(outcome.get("log", ""))
    exceptions = [message for message, is_traceback in errors if is_traceback]
    specific = [message for message, _ in errors if not re.match(r"(There was an error|Please see)", message)]
    if exceptions or specific:
        return (exceptions or specific)[0]
    lines = [line.strip() for line in outcome.get("error", "").splitlines() if line.strip()]
    return lines[-1] if lines else "nbgrader reported a failure without a message"


_GRADER_TROUBLE = re.compile(r"(?<![\w])(?:\w+\.)*(?:%s)(?=:)" % "|".join(GRADER_TROUBLE_NAMES))


def fault_of(outcome):
    """Whose fault a failed grading was: "grader" when an error of nbgrader's log, or the error
    that stopped it, names one of the grader's own failures (faults.py), else "submission"."""
    errors = [message for message, _ in _error_records(outcome.get("log", ""))]
    text = "\n".join(errors + [outcome.get("error", "")])
    return "grader" if _GRADER_TROUBLE.search(text) else "submission"


def forget_failed_submission(db_url, assignment, student):
    """Remove the submission row that nbgrader creates before it grades and leaves behind with
    empty scores when grading fails: a learner nobody graded must not read as 0. A row with the
    scores of an earlier grading (a failed regrade) or an instructor's manual score is kept."""
    from nbgrader.api import Gradebook, MissingEntry

    from course_tools.scores import is_graded

    try:
        with Gradebook(db_url) as gradebook:
            submission = gradebook.find_submission(assignment, student)
            manual = any(grade.manual_score is not None for notebook in submission.notebooks
                         for grade in notebook.grades)
            if not manual and not is_graded(submission):
                gradebook.remove_submission(assignment, student)
    except MissingEntry:
        pass


def grade_submission(course_root, assignment, student, db_url=None):
    """Autograde one student's submission; return ``{"student", "status", "reason", "fault",
    "seconds", "grader"}``: status "graded" or "failed" (with nbgrader's reason, and whose fault
    it was: "submission" or "grader"), the time it took and the process that graded it. Never
    raises for a bad submission."""
    course_root = str(Path(course_root).resolve())
    started = time.monotonic()
    with _ONE_AT_A_TIME:
        api = _api_for(course_root, db_url)
        try:
            outcome = api.autograde(assignment, student, force=True, create=True)
        except Exception as error:  # nbgrader's capture_log catches nearly all; this is the rest
            outcome = {"success": False, "error": f"{type(error).__name__}: {error}"}
        reap_orphans()  # nothing of ours runs between two gradings
    result = {"student": student, "status": "graded", "reason": "", "fault": None,
              "seconds": time.monotonic() - started, "grader": os.getpid()}
    if not outcome["success"]:
        result.update(status="failed", reason=failure_reason(outcome), fault=fault_of(outcome))
    return result

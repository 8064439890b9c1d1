"""Judge every exercise of one submitted notebook, in the grader's own process.

The learner's code runs in a worker process (see ``worker.py``); the arguments for each case
go there, the results come back as plain data, and the instructor's checks judge them here,
where nothing the learner wrote has run. An exercise passes only if every case passes, the
hidden ones included; a hang or a crash costs that exercise alone.
"""
from dataclasses import dataclass

import nbformat

import public_tests
from course_tools.grading.hidden import grading_cases
from course_tools.grading.sandbox import Sandbox
from course_tools.grading.worker_pool import WORKER_PACKAGE, Worker, WorkerLost
from course_tools.layout import ASSIGNMENT, EXERCISES
from public_tests import CheckFailure


@dataclass
class Verdict:
    passed: bool
    message: str


def _is_instructor_cell(cell):
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("locked") or meta.get("grade")) and not meta.get("solution")


def learner_cells(nb):
    """The sources of the code cells the learner wrote or could write, in notebook order."""
    return [cell.source for cell in nb.cells if cell.cell_type == "code" and not _is_instructor_cell(cell)]


def setup_source(helpers_dir):
    """The instructor's setup cell, read from the source notebook beside the helpers."""
    source_nb = nbformat.read(str(helpers_dir / f"{ASSIGNMENT}.ipynb"), as_version=4)
    return next(c.source for c in source_nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")


def _error_message(name, error, label, load_errors):
    if error["check_failure"]:
        message = error["message"]
        if error["type"] == "Missing" and load_errors:
            first = load_errors[0]
            message += f" Running your code cells gave {first['type']}: {first['message']}"
        return message
    return f"{name} raised {error['type']} on {label}: {error['message']}"


def judge_exercise(worker, exercise):
    """Run one exercise on all its cases in the worker and judge each result here."""
    cases = grading_cases(exercise.name)
    for case in cases:
        args = exercise.arguments(case)
        stand_in = exercise.stand_in_on(case, args)
        try:
            kind, value = worker.call(exercise.name, args, exercise.arg_names, case.describe(),
                                      exercise.cell, stand_in)
        except WorkerLost as lost:
            return Verdict(False, f"{exercise.name} {lost} on {case.describe()}.")
        if kind == "error":
            return Verdict(False, _error_message(exercise.name, value, case.describe(), worker.load_errors))
        try:
            exercise.assess(case, args, value)
        except CheckFailure as failure:
            return Verdict(False, str(failure))
        except Exception as error:  # a value so odd that the checks cannot even compare it
            return Verdict(False, f"{exercise.name} returned something the checks could not judge on "
                                  f"{case.describe()} ({type(error).__name__}).")
    return Verdict(True, f"{exercise.name}: all {len(cases)} input sets passed, hidden ones included.")


def judge_notebook(nb, submission_dir, instructor_dir, confinement, cell_seconds=10.0, call_seconds=10.0):
    """Return ``{exercise: Verdict}`` for a (sanitized) submitted notebook, whose folder (as
    nbgrader prepared it) is ``submission_dir``; ``instructor_dir`` holds the source notebook;
    the worker is confined by ``confinement``."""
    sandbox = Sandbox(confinement, submission_dir, tools=[WORKER_PACKAGE])
    worker = Worker(sandbox, setup_source(instructor_dir), learner_cells(nb), cell_seconds, call_seconds)
    verdicts = {}
    try:
        for name in EXERCISES:
            try:
                verdicts[name] = judge_exercise(worker, public_tests.EXERCISES[name])
            except WorkerLost as lost:  # lost while loading the learner's cells
                verdicts[name] = Verdict(False, f"Your code {lost} while it was being loaded.")
    finally:
        worker.stop()
        sandbox.remove()
    return verdicts

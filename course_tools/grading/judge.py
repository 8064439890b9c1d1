"""Judge every exercise of one submitted notebook, in the grader's own process.

The learner's code runs in the judge's worker process (``sandboxed/judge_worker.py``); the
arguments for each case go there, the results come back as plain data, and the instructor's
checks judge them here, where nothing the learner wrote has run. An exercise passes only if every case passes, the
hidden ones included; a hang or a crash costs that exercise alone.
"""
from dataclasses import dataclass

from course_tools.grading.hidden import grading_cases
from course_tools.grading.judge_worker import SANDBOXED_PACKAGE, JudgeWorker, JudgeWorkerLost
from course_tools.grading.sandbox import Sandbox


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


def _error_message(name, error, label, load_errors):
    if error["check_failure"]:
        message = error["message"]
        if error["type"] == "Missing" and load_errors:
            first = load_errors[0]
            message += f" Running your code cells gave {first['type']}: {first['message']}"
        return message
    return f"{name} raised {error['type']} on {label}: {error['message']}"


def judge_exercise(worker, assignment, exercise):
    """Run one exercise on all its cases in the worker and judge each result here."""
    cases = grading_cases(assignment, exercise.name)
    cell = assignment.checks.EXERCISES.get(exercise.cell)
    for case in cases:
        args = exercise.arguments(case)
        stand_in = exercise.stand_in_on(case, args)
        try:
            kind, value, args_after = worker.call(exercise.name, args, exercise.arg_names, case.describe(),
                                                  exercise.cell, stand_in, exercise.in_place,
                                                  stand_in_changes=bool(cell and cell.in_place))
        except JudgeWorkerLost as lost:
            return Verdict(False, f"{exercise.name} {lost} on {case.describe()}.")
        if kind == "error":
            return Verdict(False, _error_message(exercise.name, value, case.describe(), worker.load_errors))
        try:
            exercise.assess(case, args if args_after is None else args_after, value)
        except assignment.checks.CheckFailure as failure:
            return Verdict(False, str(failure))
        except Exception as error:  # a value so odd that the checks cannot even compare it
            return Verdict(False, f"{exercise.name} returned something the checks could not judge on "
                                  f"{case.describe()} ({type(error).__name__}).")
    return Verdict(True, f"{exercise.name}: all {len(cases)} input sets passed, hidden ones included.")


def judge_notebook(nb, submission_dir, assignment, confinement, cell_seconds=10.0, call_seconds=10.0):
    """Return ``{exercise: Verdict}`` for a (sanitized) submitted notebook of ``assignment``,
    whose folder (as nbgrader prepared it) is ``submission_dir``; the worker is confined by
    ``confinement``."""
    sandbox = Sandbox(confinement, submission_dir, tools=[SANDBOXED_PACKAGE])
    worker = JudgeWorker(sandbox, assignment.cell_source("setup"), learner_cells(nb), cell_seconds, call_seconds,
                    failure=assignment.checks.CheckFailure)
    verdicts = {}
    try:
        for name in assignment.exercises:
            try:
                verdicts[name] = judge_exercise(worker, assignment, assignment.checks.EXERCISES[name])
            except JudgeWorkerLost as lost:  # lost while loading the learner's cells
                verdicts[name] = Verdict(False, f"Your code {lost} while it was being loaded.")
    finally:
        worker.stop()
        sandbox.remove()
    return verdicts

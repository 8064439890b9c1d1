"""The hidden cases: inputs the learner never sees (the assignment's
``instructor.hidden_inputs``), with the expected values computed by the reference solutions
when the grader starts. Nothing here or there ships with the release."""
from functools import lru_cache

from course_tools import check_data
from course_tools.reference import load_reference


@lru_cache(maxsize=None)
def _reference(assignment):
    return load_reference(assignment)


@lru_cache(maxsize=None)
def hidden_cases(assignment, exercise):
    """The hidden cases of one exercise, as check Cases with their expected values."""
    cases = []
    for index, (label, inputs) in enumerate(assignment.instructor.hidden_inputs(exercise)):
        arrays = check_data.case_arrays(assignment, _reference(assignment), exercise, inputs)
        cases.append(assignment.checks.Case(f"hidden{index}", arrays, label=f"hidden inputs ({label})"))
    return tuple(cases)


@lru_cache(maxsize=None)
def _visible_cases(assignment, exercise):
    return tuple(assignment.checks.load_cases(exercise))


def grading_cases(assignment, exercise):
    """Every case the grader runs for an exercise: the visible ones, then the hidden ones.

    Both are read or computed once per process; each call returns fresh copies."""
    Case = assignment.checks.Case
    return [Case(case.name, {key: value.copy() for key, value in case.items()}, case.label)
            for case in _visible_cases(assignment, exercise) + hidden_cases(assignment, exercise)]


def warm_up(assignment):
    """Compute every hidden case now (a few seconds), e.g. before grading a whole class."""
    for exercise in assignment.exercises:
        hidden_cases(assignment, exercise)

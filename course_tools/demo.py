"""The demo case of an exercise: the inputs its demo cell gives it, recorded by running the cell.

Each exercise's demo cell (grade_id ``<exercise>_demo``) draws inputs and calls the
exercise's functions, as a learner sees it do. Running it here, with the reference
solutions, and recording the arguments of every call it makes itself (not the calls those
functions make in turn) gives the check's demo case from the notebook itself, never from a
second copy of its random draws. In the case, an array argument is stored under its
parameter's name, and so is a number or a list of numbers (as an array); a dict of arrays (the
parameters) under "param.<key>", a list of strings under "text.<name>" (the checks'
``text_array``).
"""
import contextlib
import functools
import inspect
import io

import numpy as np

from course_tools.reference import notebook_namespace


def demo_inputs(assignment, exercise):
    """``{name: array}``: what the demo cell of ``exercise`` passes to the functions it calls."""
    namespace = notebook_namespace(assignment, assignment.solution_sources())
    recorded, depth = {}, [0]

    def recording(function):
        signature = inspect.signature(function)

        @functools.wraps(function)
        def call(*args, **kwargs):
            if depth[0] == 0:
                _record(recorded, signature.bind(*args, **kwargs).arguments, function.__name__, assignment.checks)
            depth[0] += 1
            try:
                return function(*args, **kwargs)
            finally:
                depth[0] -= 1
        return call

    for name in assignment.exercises:
        namespace[name] = recording(namespace[name])
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(assignment.cell_source(f"{exercise}_demo"), f"<{exercise}_demo>", "exec"), namespace)
    if not recorded:
        raise ValueError(f"{assignment.id}: the demo cell of {exercise} calls none of the exercises")
    return recorded


def _numbers(value):
    """True for a non-empty list or tuple of plain numbers (character indices, say)."""
    return isinstance(value, (list, tuple)) and bool(value) and all(
        isinstance(item, (int, float, np.integer, np.floating)) and not isinstance(item, bool) for item in value)


def _record(recorded, arguments, function_name, checks):
    for name, value in arguments.items():
        if isinstance(value, np.ndarray):
            entries = {name: value}
        elif isinstance(value, dict) and value and all(isinstance(v, np.ndarray) for v in value.values()):
            entries = {"param." + key: item for key, item in value.items()}
        elif isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
            entries = {name: np.asarray(value)}
        elif _numbers(value):
            entries = {name: np.asarray(value)}
        elif isinstance(value, (list, tuple)) and value and all(isinstance(item, str) for item in value):
            entries = {"text." + name: checks.text_array(value)}
        else:
            continue  # a cache, a callback, ...: rebuilt or fixed by the check itself
        for key, item in entries.items():
            if key in recorded and not np.array_equal(recorded[key], item):
                raise ValueError(f"the demo passes two different {key!r} ({function_name} gets the second)")
            recorded[key] = np.array(item, dtype=np.float64)

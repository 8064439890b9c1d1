"""Calling the learner's function, and standing in for the functions it calls."""
from contextlib import contextmanager

import numpy as np

from .compare import CheckFailure, matches
from .crash import crash_details


def _describe(arg, name):
    if isinstance(arg, np.ndarray):
        return f"array {arg.shape}"
    if isinstance(arg, dict):
        return f"{name} dict"
    return type(arg).__name__


def _arrays_of(args, names, skipped=()):
    """The arrays among the arguments (and inside a dict of them), by the name a learner knows,
    but those of the arguments named in ``skipped``."""
    for name, arg in zip(names, args):
        if name in skipped:
            continue
        if isinstance(arg, np.ndarray):
            yield name, arg
        elif isinstance(arg, dict):
            yield from ((f'{name}["{key}"]', value) for key, value in arg.items() if isinstance(value, np.ndarray))


def call(exercise, case, target, *args, names=(), in_place=()):
    """Run ``target(*args)``; turn a missing implementation, a crash, or an input changed in
    place into a clear failure. ``names`` are the argument names, for messages; the arguments
    named in ``in_place`` are meant to be changed."""
    before = [(name, array.copy()) for name, array in _arrays_of(args, names, in_place)]
    result = _run(exercise, case, target, args, names)
    for (name, saved), (_, now) in zip(before, _arrays_of(args, names, in_place)):
        if saved.shape != now.shape or not np.array_equal(saved, now, equal_nan=True):
            raise CheckFailure(f"{exercise} changed its input {name} in place on {case.describe()}: "
                               f"compute new arrays instead of writing into the ones you were given.")
    return result


def _run(exercise, case, target, args, names):
    try:
        return target(*args)
    except NotImplementedError:
        raise CheckFailure(f"{exercise} is not implemented yet: replace the line "
                           f"`raise NotImplementedError()` with your code.") from None
    except CheckFailure:
        raise
    except Exception as error:
        labels = list(names) + ["a"] * (len(args) - len(names))  # a dict without a name is "a dict"
        given = ", ".join(_describe(arg, label) for arg, label in zip(args, labels))
        raise CheckFailure(f"{exercise} raised {type(error).__name__} on {case.describe()} "
                           f"(called with {given}): {error}"
                           + crash_details(error, getattr(target, "__globals__", None))) from error


@contextmanager
def standing_in(target, name, stand_in):
    """While the block runs, make the global ``name`` seen by ``target`` be ``stand_in``.

    A sequence function calls its cell function by name; replacing that name with a stand-in
    that returns the course's values grades the sequence function on its own, whatever state
    the learner's cell function is in (even if it was never defined). Yields the learner's own
    function, or None; afterwards the namespace is as it was. With ``name`` None (a function
    that calls no cell function) nothing is replaced.
    """
    namespace = getattr(target, "__globals__", None)
    if name is None or namespace is None:
        yield None
        return
    missing = object()
    own = namespace.get(name, missing)
    namespace[name] = stand_in
    try:
        yield None if own is missing else own
    finally:
        if own is missing:
            namespace.pop(name, None)
        else:
            namespace[name] = own


def note_if_own_differs(exercise, cell_name, own, args, expected):
    """After a sequence check passed with a stand-in, tell the learner if their own cell
    function does not yet give the course's values (it does not change the grade).

    ``expected`` is a dict of gradients, or a tuple compared with the first returned values.
    """
    if own is None:
        return
    try:
        output = own(*args)
        if isinstance(expected, tuple):
            output = tuple(output[:len(expected)])
    except Exception:
        output = None
    if not matches(output, expected):
        print(f"Note: {exercise} was checked with the course's own {cell_name}, because yours does "
              f"not give the expected values yet. Fix {cell_name} too.")


def passed(exercise, cases):
    print(f"{exercise}: all checks passed ({len(cases)} input sets).")


def step_of(what, value, stacked):
    """The time step t at which ``value`` equals ``stacked[..., t]``, or a CheckFailure."""
    for t in range(stacked.shape[-1]):
        if matches(value, stacked[..., t]):
            return t
    raise CheckFailure(f"{what} does not match any time step of the inputs.")

"""What each known mistake returns on a case, so a failing check can name the likely cause."""
from functools import lru_cache

import numpy as np

from course_tools.reference import load_functions


@lru_cache(maxsize=None)
def _functions_with(assignment, mistake):
    return load_functions(assignment, mistake.apply(assignment.solution_sources()))


def fingerprints(assignment, exercise, arrays):
    """``{"mistake.<name>.<output>": array}`` for every hinted mistake of ``exercise``: the
    outputs it gets wrong on the case whose inputs and expected outputs are ``arrays``."""
    checks = assignment.checks
    spec = checks.EXERCISES[exercise]
    found = {}
    for mistake in assignment.instructor.MISTAKES:
        if mistake.exercise != exercise or mistake.name not in checks.HINTS:
            continue
        case = checks.Case("fingerprint", {key: value.copy() for key, value in arrays.items()})
        function = _functions_with(assignment, mistake)[exercise]
        args = spec.arguments(case)
        try:
            with checks.standing_in(function, spec.cell, spec.stand_in_on(case, args)):
                result = function(*args)
        except Exception:  # a mistake that crashes on this case leaves no fingerprint here
            continue
        for name, value in spec.named_outputs(result).items():
            if isinstance(value, np.ndarray) and not checks.matches(value, arrays[name]):
                found[f"mistake.{mistake.name}.{name}"] = np.asarray(value, dtype=np.float64)
    return found

"""What each known mistake returns on a case, so a failing check can name the likely cause."""
from functools import lru_cache

import numpy as np

import public_tests
from course_tools.mistakes import mistakes_of
from course_tools.reference import load_functions, solution_cells
from public_tests.compare import matches
from public_tests.data import Case
from public_tests.hints import HINTS
from public_tests.running import standing_in


@lru_cache(maxsize=None)
def _functions_with(mistake):
    return load_functions(mistake.apply(solution_cells()))


def fingerprints(exercise, arrays):
    """``{"mistake.<name>.<output>": array}`` for every hinted mistake of ``exercise``: the
    outputs it gets wrong on the case whose inputs and expected outputs are ``arrays``."""
    spec = public_tests.EXERCISES[exercise]
    found = {}
    for mistake in mistakes_of(exercise):
        if mistake.name not in HINTS:
            continue
        case = Case("fingerprint", {key: value.copy() for key, value in arrays.items()})
        function = _functions_with(mistake)[exercise]
        args = spec.arguments(case)
        try:
            with standing_in(function, spec.cell, spec.stand_in_on(case, args)):
                result = function(*args)
        except Exception:  # a mistake that crashes on this case leaves no fingerprint here
            continue
        for name, value in spec.named_outputs(result).items():
            if isinstance(value, np.ndarray) and not matches(value, arrays[name]):
                found[f"mistake.{mistake.name}.{name}"] = np.asarray(value, dtype=np.float64)
    return found

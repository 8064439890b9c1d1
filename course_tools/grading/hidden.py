"""The hidden inputs: sizes and seeds the learner never sees, with the expected values computed
by the reference solutions when the grader starts. Nothing here ships with the release."""
from functools import lru_cache

from course_tools import check_data
from course_tools.cases import shaped_case
from course_tools.layout import EXERCISES
from course_tools.reference import load_reference
from public_tests.data import Case, load_cases

# label, then the sizes; T_back is the length of da for the sequence backward passes.
HIDDEN_SHAPES = (
    ("one example (m = 1)", dict(seed=101, n_x=3, n_a=5, n_y=2, m=1, T_x=4)),
    ("one time step (T_x = 1)", dict(seed=102, n_x=4, n_a=3, n_y=2, m=3, T_x=1)),
    ("n_a larger than n_x and one output (n_y = 1)", dict(seed=103, n_x=2, n_a=6, n_y=1, m=4, T_x=3)),
    ("n_a smaller than n_x, da shorter than x", dict(seed=104, n_x=6, n_a=2, n_y=3, m=2, T_x=5, T_back=2)),
)


def _shapes_for(exercise, shapes):
    shapes = dict(shapes)
    if not exercise.endswith("_backward") or "_cell_" in exercise:
        shapes.pop("T_back", None)
    return shapes


@lru_cache(maxsize=None)
def hidden_cases(exercise):
    """The hidden cases of one exercise, as check Cases with their expected values."""
    reference = load_reference()
    cases = []
    for index, (label, shapes) in enumerate(HIDDEN_SHAPES):
        inputs = shaped_case(exercise, **_shapes_for(exercise, shapes))
        arrays = check_data.case_arrays(reference, exercise, inputs)
        cases.append(Case(f"hidden{index}", arrays, label=f"hidden inputs ({label})"))
    return tuple(cases)


@lru_cache(maxsize=None)
def _visible_cases(exercise):
    return tuple(load_cases(exercise))


def grading_cases(exercise):
    """Every case the grader runs for an exercise: the visible ones, then the hidden ones.

    Both are read or computed once per process; each call returns fresh copies."""
    return [Case(case.name, {key: value.copy() for key, value in case.items()}, case.label)
            for case in _visible_cases(exercise) + hidden_cases(exercise)]


def warm_up():
    """Compute every hidden case now (a few seconds), e.g. before grading a whole class."""
    for exercise in EXERCISES:
        hidden_cases(exercise)

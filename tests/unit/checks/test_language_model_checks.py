"""The language model's checks: they pass the reference, catch every listed mistake with a
message that names it, judge in-place changes, and grade each exercise on its own."""
import contextlib
import io

import numpy as np
import pytest

from course_tools.reference import load_functions, load_reference
from tests.support.lm_assignment import LM, LM_EXPECTED_MESSAGE, lm_mistake
from tests.support.markers import QUICK

pytestmark = QUICK
CHECKS = LM.checks


@pytest.fixture(scope="module")
def lm_reference():
    return load_reference(LM)


@pytest.fixture(scope="module")
def lm_solutions():
    return LM.solution_sources()


def run_check(exercise, function):
    """Run one exercise's visible check on ``function``; what it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        CHECKS.EXERCISES[exercise].check(function)
    return printed.getvalue()


@pytest.mark.parametrize("exercise", LM.exercises)
def test_reference_passes(lm_reference, exercise):
    assert f"{exercise}: all checks passed" in run_check(exercise, lm_reference[exercise])


@pytest.mark.parametrize("known", LM.instructor.MISTAKES, ids=lambda m: f"{m.exercise}-{m.name}")
def test_each_mistake_fails_its_check_and_is_named(lm_solutions, known):
    functions = load_functions(LM, known.apply(lm_solutions))
    with pytest.raises(CHECKS.CheckFailure) as failure:
        run_check(known.exercise, functions[known.exercise])
    message = str(failure.value)
    assert LM_EXPECTED_MESSAGE[known.name] in message
    # and it blames no other mistake
    assert [hint for name, hint in CHECKS.HINTS.items() if name != known.name and hint in message] == []
    assert message.count(CHECKS.CAUSE) <= 1


def test_every_mistake_has_an_expected_message_and_every_hint_a_mistake():
    assert set(LM_EXPECTED_MESSAGE) == {m.name for m in LM.instructor.MISTAKES}
    assert set(CHECKS.HINTS) <= {m.name for m in LM.instructor.MISTAKES}


@pytest.mark.parametrize("exercise", LM.exercises)
def test_unimplemented_function_is_reported_as_such(exercise):
    def stub(*args):
        raise NotImplementedError()

    with pytest.raises(CHECKS.CheckFailure, match=f"{exercise} is not implemented yet"):
        run_check(exercise, stub)


@pytest.mark.parametrize("caller, callee", [("optimize", "clip"), ("model", "optimize")])
def test_a_function_is_graded_apart_from_the_one_it_calls(lm_solutions, caller, callee):
    """A wrong clip costs optimize nothing, a wrong optimize costs model nothing; the learner's
    own function is back in place afterwards."""
    broken = next(m for m in LM.instructor.MISTAKES if m.exercise == callee)
    functions = load_functions(LM, broken.apply(lm_solutions))
    assert f"{caller}: all checks passed" in run_check(caller, functions[caller])
    assert functions[caller].__globals__[callee] is functions[callee]


def test_optimize_tells_the_learner_when_their_own_clip_is_wrong(lm_solutions):
    functions = load_functions(LM, lm_mistake("clip_from_zero").apply(lm_solutions))
    assert "Fix clip too" in run_check("optimize", functions["optimize"])


def test_clip_may_change_its_gradients_but_optimize_may_not_change_a_prev(lm_reference):
    """The arguments an exercise changes in place are named; any other change still fails."""
    def optimize_touching_a_prev(X, Y, a_prev, parameters, learning_rate=0.01):
        result = lm_reference["optimize"](X, Y, a_prev, parameters, learning_rate)
        a_prev += 1
        return result

    with pytest.raises(CHECKS.CheckFailure, match=r"optimize changed its input a_prev in place"):
        run_check("optimize", optimize_touching_a_prev)


def test_sample_must_return_indices_not_text(lm_reference):
    def as_text(parameters, char_to_ix, seed):
        ix_to_char = {i: ch for ch, i in char_to_ix.items()}
        return "".join(ix_to_char[i] for i in lm_reference["sample"](parameters, char_to_ix, seed))

    with pytest.raises(CHECKS.CheckFailure, match=r"should be a list of character indices \(ints\), but it is str"):
        run_check("sample", as_text)


def test_model_calling_optimize_too_often_is_told_so(lm_solutions):
    source = lm_solutions["model"].replace("for j in range(num_iterations):", "for j in range(num_iterations + 1):")
    one_more = load_functions(LM, {**lm_solutions, "model": source})["model"]
    with pytest.raises(CHECKS.CheckFailure, match=r"model called optimize more than num_iterations = 5 times"):
        run_check("model", one_more)


def test_where_you_stand_has_a_line_per_exercise(lm_reference, capsys):
    CHECKS.where_you_stand({**lm_reference, "sample": None})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("✓ 1 clip") and lines[1].startswith("✗ 2 sample") and "not defined yet" in lines[1]
    assert "3 of 4 exercises pass their visible checks." in lines


def test_hidden_cases_reach_what_the_visible_ones_do_not(lm_solutions):
    """The hidden cases are graded too: a sample that never appends END after a cut is caught
    on the visible 'sizes' case, and END away from index 0 only on a hidden one."""
    from course_tools.grading.hidden import hidden_cases

    labels = [case.label for case in hidden_cases(LM, "sample")]
    assert "hidden inputs (END not at index 0)" in labels
    end_at_zero = load_functions(LM, {**lm_solutions, "sample": lm_solutions["sample"].replace(
        'end = char_to_ix["\\n"]', "end = 0")})
    assert "sample: all checks passed" in run_check("sample", end_at_zero["sample"])  # visible cases pass
    hidden = [case for case in hidden_cases(LM, "sample") if "END not at index 0" in case.label]
    spec = CHECKS.EXERCISES["sample"]
    args = spec.arguments(hidden[0])
    with pytest.raises(CHECKS.CheckFailure):
        spec.assess(hidden[0], args, end_at_zero["sample"](*args))


def test_the_checks_data_round_trips_names():
    names = ["ab", "", "zz"]
    assert CHECKS.Case("c", {"text.names": CHECKS.text_array(names)}).texts("names") == names
    assert np.all(CHECKS.text_array(names) >= 0)

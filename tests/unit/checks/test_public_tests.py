"""The checks the graded cells run: they pass the reference, catch every listed mistake with
a message that names it, and grade each exercise on its own."""
import numpy as np
import pytest

import public_tests
from course_tools.reference import load_functions
from public_tests import CAUSE, CheckFailure
from public_tests.hints import HINTS
from tests.support.markers import QUICK
from tests.support.mutants import EXPECTED_MESSAGE, first_mistake_of, mistake
from tests.support.rnn_assignment import EXERCISES, RNN

pytestmark = QUICK


def check_of(exercise):
    return getattr(public_tests, exercise + "_test")


@pytest.mark.parametrize("exercise", EXERCISES)
def test_reference_passes(reference, exercise, capsys):
    check_of(exercise)(reference[exercise])
    assert f"{exercise}: all checks passed" in capsys.readouterr().out


@pytest.mark.parametrize("known", RNN.instructor.MISTAKES, ids=lambda m: f"{m.exercise}-{m.name}")
def test_each_mistake_fails_its_check_and_is_named(solutions, known):
    functions = load_functions(RNN, known.apply(solutions))
    with pytest.raises(CheckFailure) as failure:
        check_of(known.exercise)(functions[known.exercise])
    assert EXPECTED_MESSAGE[known.name] in str(failure.value)
    # and it blames no other mistake (two mistakes may share one sentence: that is not another's)
    other_hints = {hint for hint in HINTS.values() if hint != HINTS.get(known.name)}
    assert [hint for hint in other_hints if hint in str(failure.value)] == []
    assert str(failure.value).count(CAUSE) <= 1


def test_every_mistake_has_an_expected_message_and_every_hint_a_mistake():
    assert set(EXPECTED_MESSAGE) == {m.name for m in RNN.instructor.MISTAKES}
    assert set(HINTS) <= {m.name for m in RNN.instructor.MISTAKES}


@pytest.mark.parametrize("exercise", EXERCISES)
def test_unimplemented_function_is_reported_as_such(exercise):
    def stub(*args):
        raise NotImplementedError()

    with pytest.raises(CheckFailure, match=f"{exercise} is not implemented yet"):
        check_of(exercise)(stub)


@pytest.mark.parametrize("sequence, cell", [("rnn_forward", "rnn_cell_forward"), ("lstm_forward", "lstm_cell_forward"),
                                            ("rnn_backward", "rnn_cell_backward"),
                                            ("lstm_backward", "lstm_cell_backward")])
def test_sequence_grade_does_not_depend_on_the_cell(solutions, sequence, cell, capsys):
    """A wrong cell function costs nothing in the sequence function that calls it; the check
    still tells the learner about the cell."""
    broken = first_mistake_of(cell)
    functions = load_functions(RNN, broken.apply(solutions))
    check_of(sequence)(functions[sequence])
    out = capsys.readouterr().out
    assert f"{sequence}: all checks passed" in out
    assert f"Fix {cell} too" in out
    # and the learner's own cell function is back in place afterwards
    assert functions[sequence].__globals__[cell] is functions[cell]


def test_sequence_check_restores_the_cell_even_when_it_fails(solutions):
    functions = load_functions(RNN, mistake("a0_every_step").apply(solutions))
    with pytest.raises(CheckFailure):
        public_tests.rnn_forward_test(functions["rnn_forward"])
    assert functions["rnn_forward"].__globals__["rnn_cell_forward"] is functions["rnn_cell_forward"]


def test_a_flat_vector_does_not_pass_for_a_column(reference):
    """(5,) must not pass for (5, 1), even though the values broadcast."""
    def flat_dba(da_next, cache):
        gradients = reference["rnn_cell_backward"](da_next, cache)
        return {**gradients, "dba": gradients["dba"].ravel()}

    with pytest.raises(CheckFailure, match=r"gradients\['dba'\] has shape \(5,\), but it should have shape \(5, 1\)"):
        public_tests.rnn_cell_backward_test(flat_dba)


def test_values_and_central_differences_are_both_reported(reference):
    def scaled(da_next, cache):
        gradients = reference["rnn_cell_backward"](da_next, cache)
        return {**gradients, "dWax": gradients["dWax"] * (1 + 1e-4)}

    with pytest.raises(CheckFailure, match=r"dWax'\] differs from the expected values .* expected .*, got "):
        public_tests.rnn_cell_backward_test(scaled)


def test_nan_is_never_close(reference):
    def with_nan(xt, a_prev, parameters):
        a_next, yt_pred, cache = reference["rnn_cell_forward"](xt, a_prev, parameters)
        a_next = a_next.copy()
        a_next[0, 0] = np.nan
        return a_next, yt_pred, (a_next,) + cache[1:]

    with pytest.raises(CheckFailure, match=r"in 1 of 50 entries; the largest difference is at \[0, 0\]"):
        public_tests.rnn_cell_forward_test(with_nan)


def test_a_crash_names_the_inputs(reference):
    def crashing(xt, a_prev, parameters):
        return parameters["Wax"] @ a_prev  # shapes do not fit

    with pytest.raises(CheckFailure, match=r"rnn_cell_forward raised ValueError on the demo inputs \(called with array \(3, 10\), array \(5, 10\), parameters dict\)"):
        public_tests.rnn_cell_forward_test(crashing)


def test_an_input_changed_in_place_is_named(reference):
    def scribbles(xt, a_prev, parameters):
        result = reference["rnn_cell_forward"](xt.copy(), a_prev.copy(), {k: v.copy() for k, v in parameters.items()})
        parameters["Wax"][0, 0] += 1.0
        return result

    with pytest.raises(CheckFailure, match=r'changed its input parameters\["Wax"\] in place on the demo inputs'):
        public_tests.rnn_cell_forward_test(scribbles)

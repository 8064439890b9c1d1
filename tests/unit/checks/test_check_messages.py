"""How a failing check reads: its message alone in short lines (public_tests/report.py), the
learner's own line when their code crashed (public_tests/crash.py), and the one-line-per-exercise
summary of the notebook's last cell (public_tests/summary.py)."""
import numpy as np
import pytest

import public_tests
from course_tools.reference import load_functions
from public_tests import CheckFailure
from public_tests.report import WIDTH, report_lines
from tests.support.markers import QUICK
from tests.support.mutants import expect_quoted_crash, mistake
from tests.support.rnn_assignment import RNN

pytestmark = QUICK


def failure_of(exercise, function):
    with pytest.raises(CheckFailure) as failure:
        getattr(public_tests, exercise + "_test")(function)
    return failure.value


def test_a_message_is_wrapped_and_its_likely_cause_starts_a_line():
    message = "rnn_forward on the demo inputs: " + "a differs " * 20 + "in 3 entries. Likely cause: the bias ba."
    lines = report_lines(message)
    assert all(len(line) <= WIDTH for line in lines), lines
    assert lines[0].startswith("rnn_forward on the demo inputs: a differs")
    assert lines[-1] == "Likely cause: the bias ba."
    assert " ".join(lines[:-1]).split() == message.split(" Likely cause:")[0].split()


def test_code_lines_are_kept_as_they_are():
    code = "    a_next = np.tanh(" + "Waa @ a_prev + " * 6 + "ba)"
    assert report_lines(f"In your rnn_cell_forward, line 3 of its cell:\n{code}") == [
        "In your rnn_cell_forward, line 3 of its cell:", code]


def test_ipython_shows_the_message_alone(solutions):
    """IPython prints what _render_traceback_ returns instead of a traceback: no frame of the
    checks, the exercise named on the first line, the likely cause on a line of its own."""
    functions = load_functions(RNN, mistake("rnn_no_ba").apply(solutions))
    lines = failure_of("rnn_cell_forward", functions["rnn_cell_forward"])._render_traceback_()
    assert lines[0].startswith("Check failed: rnn_cell_forward on the demo inputs: a_next")
    assert any(line.startswith("Likely cause: the bias ba is missing") for line in lines)
    assert len(lines) <= 6 and all(len(line) <= WIDTH for line in lines), lines
    assert not any("public_tests" in line or "Traceback" in line for line in lines)


def test_a_crash_quotes_the_learners_line(solutions):
    functions = load_functions(RNN, mistake("weight_times_state_elementwise").apply(solutions))
    expect_quoted_crash(failure_of("rnn_cell_forward", functions["rnn_cell_forward"])._render_traceback_(), solutions)


def test_a_crash_inside_a_helper_points_at_the_learners_call(reference):
    """numpy's frames are not the learner's: the line shown is the learner's call."""
    def rnn_cell_forward(xt, a_prev, parameters):
        return np.concatenate([xt, a_prev], axis=1)  # sizes along axis 0 differ

    message = str(failure_of("rnn_cell_forward", rnn_cell_forward))
    assert "In your rnn_cell_forward, line " in message
    assert "    return np.concatenate([xt, a_prev], axis=1)" in message
    assert "Likely cause" not in message, "no cause is claimed where none is certain"


def test_a_broadcast_error_without_a_weight_gets_no_cause():
    def rnn_cell_forward(xt, a_prev, parameters):
        return xt * a_prev  # (3, 10) and (5, 10): no weight matrix involved

    message = str(failure_of("rnn_cell_forward", rnn_cell_forward))
    assert "could not be broadcast" in message and "Likely cause" not in message


def test_where_you_stand_gives_one_line_per_exercise(solutions, capsys):
    namespace = load_functions(RNN, mistake("rnn_no_ba").apply(solutions))

    def rnn_backward(da, caches):
        raise NotImplementedError()

    namespace["rnn_backward"] = rnn_backward
    del namespace["lstm_backward"]
    public_tests.where_you_stand(namespace)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 10 and all(len(line) <= WIDTH for line in lines), lines
    assert lines[0].startswith("✗ 1 rnn_cell_forward   likely cause: the bias ba is missing")
    assert lines[1] == "✓ 2 rnn_forward        passed (see the note in its check cell)"
    assert lines[2] == "✓ 3 lstm_cell_forward  passed"
    assert lines[5] == "✗ 6 rnn_backward       not implemented yet"
    assert lines[7] == "✗ 8 lstm_backward      not defined yet: run its cell"
    assert lines[8] == "5 of 8 exercises pass their visible checks."


def test_where_you_stand_when_all_pass(reference, capsys):
    public_tests.where_you_stand(dict(reference))
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:3] for line in lines[:8]] == [["✓", str(n), name] for n, name in
                                                        enumerate(public_tests.EXERCISES, start=1)]
    assert lines[8:] == ["8 of 8 exercises pass their visible checks."]


def test_a_transposed_weight_times_a_gradient_is_named(solutions):
    functions = load_functions(RNN, {**solutions, "rnn_cell_backward": solutions["rnn_cell_backward"].replace(
        "dxt = Wax.T @ dz", "dxt = Wax.T * dz")})
    message = str(failure_of("rnn_cell_backward", functions["rnn_cell_backward"]))
    assert "    dxt = Wax.T * dz" in message
    assert "Likely cause: Wax is a weight matrix, shape (5, 3): it acts on dz through a matrix product" in message


def test_a_crash_in_a_lambda_names_no_function():
    rnn_cell_forward = lambda xt, a_prev, parameters: parameters["Wax"] @ a_prev  # noqa: E731
    message = str(failure_of("rnn_cell_forward", rnn_cell_forward))
    assert "\nIn your code, line " in message


def test_a_long_line_is_cut_to_the_width():
    def rnn_cell_forward(xt, a_prev, parameters):
        return parameters["Wax"] @ a_prev + parameters["Waa"] @ a_prev + parameters["Wya"] @ a_prev + parameters["ba"]

    lines = failure_of("rnn_cell_forward", rnn_cell_forward)._render_traceback_()
    code = lines[next(i for i, line in enumerate(lines) if line.startswith("In your ")) + 1]
    assert code.startswith("    return parameters[\"Wax\"] @ a_prev") and code.endswith("…") and len(code) <= WIDTH

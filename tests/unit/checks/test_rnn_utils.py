"""The helpers learners import: activations, Adam, the gradient checker, the memory task, the
training loop and its verdict."""
import re

import numpy as np
import pytest

from course_tools.reference import load_functions
from rnn_utils import (gradient_check, initialize_adam, make_recall_task, numerical_gradient, sigmoid, softmax,
                       train_lstm, training_verdict, update_parameters_with_adam)
from tests.support.markers import QUICK
from tests.support.mutants import mistake
from tests.support.rnn_assignment import RNN

pytestmark = QUICK

# the numbers the notebook's training cell prints; tests/e2e/test_notebooks.py reads them the same way
LOSSES = re.compile(r"loss ([\d.]+) at the start, ([\d.]+) after (\d+) steps")


def test_softmax_normalises_each_column():
    z = np.array([[1.0, -2.0, 1000.0], [3.0, 0.5, 1001.0]])
    p = softmax(z)
    assert p.shape == z.shape
    np.testing.assert_allclose(p.sum(axis=0), np.ones(3), rtol=0, atol=1e-15, err_msg="column sums")
    expected = np.exp(z[:, :2]) / np.exp(z[:, :2]).sum(axis=0)
    np.testing.assert_allclose(p[:, :2], expected, rtol=1e-14, err_msg="softmax values")
    np.testing.assert_allclose(p[:, 2], [1 / (1 + np.e), np.e / (1 + np.e)], rtol=1e-14,
                               err_msg="large scores must not overflow")


def test_sigmoid_matches_the_logistic_function_without_warnings():
    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-13, atol=1e-300, err_msg="sigmoid")
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # no overflow for extreme inputs
        extremes = sigmoid(np.array([-1e4, 1e4]))
    np.testing.assert_allclose(extremes, [0.0, 1.0], atol=1e-300, err_msg="sigmoid at the extremes")


def test_numerical_gradient_of_a_quadratic_and_restores_its_input():
    a = np.array([[1.0, -2.0], [0.5, 3.0]])
    original = a.copy()
    grad = numerical_gradient(lambda: np.sum(a ** 3), a)
    assert grad.shape == a.shape
    np.testing.assert_allclose(grad, 3 * original ** 2, rtol=1e-8, err_msg="d sum(a^3) / da")
    np.testing.assert_array_equal(a, original, err_msg="the input must be restored exactly")


def test_adam_moves_against_the_gradient_and_tracks_moments():
    params = {"W": np.array([[1.0, -1.0]]), "b": np.zeros((1, 1))}
    v, s = initialize_adam(params)
    assert set(v) == set(s) == {"dW", "db"}
    assert all(np.all(x == 0) and x.shape == params[k[1:]].shape for k, x in v.items())
    grads = {"dW": np.array([[2.0, -4.0]]), "db": np.array([[0.5]])}
    params, v, s = update_parameters_with_adam(params, grads, v, s, t=1, learning_rate=0.1)
    # the first bias-corrected step has size learning_rate in the direction of -sign(g)
    np.testing.assert_allclose(params["W"], [[0.9, -0.9]], rtol=1e-6, err_msg="W after one Adam step")
    np.testing.assert_allclose(params["b"], [[-0.1]], rtol=1e-6, err_msg="b after one Adam step")
    np.testing.assert_allclose(v["dW"], 0.1 * grads["dW"], rtol=1e-12, err_msg="first moment")
    np.testing.assert_allclose(s["dW"], 0.001 * grads["dW"] ** 2, rtol=1e-12, err_msg="second moment")


def test_adam_minimises_a_quadratic():
    params = {"W": np.array([[3.0, -2.0]])}
    v, s = initialize_adam(params)
    for t in range(1, 501):
        params, v, s = update_parameters_with_adam(params, {"dW": 2 * params["W"]}, v, s, t, learning_rate=0.05)
    assert np.max(np.abs(params["W"])) == pytest.approx(0, abs=1e-2)


def test_gradient_check_names_the_wrong_gradient(reference):
    rng = np.random.RandomState(4)
    xt, a_prev, da_next = rng.randn(3, 4), rng.randn(5, 4), rng.randn(5, 4)
    params = {"Wax": rng.randn(5, 3), "Waa": rng.randn(5, 5), "Wya": rng.randn(2, 5), "ba": rng.randn(5, 1),
              "by": rng.randn(2, 1)}
    _, _, cache = reference["rnn_cell_forward"](xt, a_prev, params)
    gradients = reference["rnn_cell_backward"](da_next, cache)
    gradients["dWaa"] = gradients["dWaa"] * 1.01

    def loss():
        return np.sum(da_next * reference["rnn_cell_forward"](xt, a_prev, params)[0])

    report = gradient_check(loss, {"dxt": xt, "dWax": params["Wax"], "dWaa": params["Waa"], "dba": params["ba"]},
                            gradients)
    verdicts = {row[0]: row[-1] for row in report}
    assert verdicts == {"dxt": True, "dWax": True, "dWaa": False, "dba": True}
    assert not report.all_ok
    assert "dWaa" in str(report) and "check this one" in str(report)
    with pytest.raises(ValueError, match="dba has shape"):
        gradient_check(loss, {"dba": params["ba"]}, {"dba": gradients["dba"].ravel()})


def test_recall_task_asks_for_the_first_symbol_at_the_last_step():
    x, y = make_recall_task(n_symbols=5, T_x=7, m=300, seed=2)
    assert x.shape == y.shape == (5, 300, 7)
    np.testing.assert_array_equal(x.sum(axis=0), np.ones((300, 7)), err_msg="one-hot inputs")
    np.testing.assert_array_equal(y[:, :, -1], x[:, :, 0], err_msg="target at the last step")
    np.testing.assert_array_equal(y[:, :, :-1], 0, err_msg="no target before the last step")
    assert np.all(x.sum(axis=(1, 2)) > 0.15 * 300 * 7), "every symbol appears, at random"
    np.testing.assert_array_equal(make_recall_task(seed=(1, 3))[0], make_recall_task(seed=(1, 3))[0])
    assert not np.array_equal(make_recall_task(seed=(1, 3))[0], make_recall_task(seed=(1, 4))[0])
    assert make_recall_task()[0].shape == (4, 64, 16), "the defaults train_lstm uses"


def test_train_lstm_asks_the_task_for_a_batch_at_every_step(reference):
    steps = []

    def task(step):
        steps.append(step)
        return make_recall_task(T_x=3, m=4, seed=step)

    losses = train_lstm(reference["lstm_forward"], reference["lstm_backward"], n_a=3, iterations=4, task=task)
    assert len(losses) == 4 and all(np.isfinite(losses))
    assert steps[-4:] == [1, 2, 3, 4]


def test_verdict_compares_the_mean_of_the_last_tenth_with_guessing():
    # learned: the last 10 of 100 losses average 0.1, under a tenth of log(4) = 1.386
    learned = training_verdict([1.4] * 90 + [0.15] * 5 + [0.05] * 5)
    assert learned.splitlines()[1].startswith("Learned:")
    first, final, steps = LOSSES.search(learned).groups()
    assert (first, final, steps) == ("1.400", "0.10000", "100")
    assert "mean of the last 10" in learned and "log(4) = 1.386" in learned
    # one low loss at the very end is not enough: the whole last tenth counts
    not_learned = training_verdict([1.4] * 99 + [0.001])
    assert not_learned.splitlines()[1].startswith("Not learned:")
    assert "checks of exercises 3 to 8" in not_learned and "dc_prevt" in not_learned and "lstm_backward" in not_learned
    two_symbols = training_verdict([2.0, 0.5], n_symbols=2)  # guessing: log(2); the last tenth is one step
    assert two_symbols.splitlines()[1].startswith("Not learned: the loss did not fall below 0.069")


def test_the_reference_lstm_learns_and_the_verdict_says_so(reference):
    losses = train_lstm(reference["lstm_forward"], reference["lstm_backward"])  # what the notebook runs
    assert len(losses) == 300
    verdict = training_verdict(losses)
    assert verdict.splitlines()[1].startswith("Learned:"), verdict
    assert float(LOSSES.search(verdict).group(2)) < 0.01, "far below the threshold, not just under it"


def test_without_the_carried_dc_prev_the_lstm_does_not_learn(solutions):
    broken = load_functions(RNN, mistake("dc_not_carried").apply(solutions))
    verdict = training_verdict(train_lstm(broken["lstm_forward"], broken["lstm_backward"]))
    assert verdict.splitlines()[1].startswith("Not learned:"), verdict
    assert float(LOSSES.search(verdict).group(2)) > 0.5 * np.log(4), "near guessing, not just above the threshold"


def test_training_names_the_unfinished_function(solutions, capsys):
    stub = 'def lstm_cell_backward(da_next, dc_next, cache):\n    raise NotImplementedError()\n'
    functions = load_functions(RNN, {**solutions, "lstm_cell_backward": stub})
    assert train_lstm(functions["lstm_forward"], functions["lstm_backward"]) is None
    assert "Training needs your lstm_cell_backward" in capsys.readouterr().out

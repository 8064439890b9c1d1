"""The helpers learners import: activations, Adam, the gradient checker and the training loop."""
import numpy as np
import pytest

from course_tools.reference import load_functions
from rnn_utils import (gradient_check, initialize_adam, make_echo_task, numerical_gradient, sigmoid, softmax, train_lstm,
                       update_parameters_with_adam)


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


def test_echo_task_targets_are_the_inputs_shifted_by_the_delay():
    x, y = make_echo_task(n_symbols=4, delay=3, T_x=9, m=5, seed=2)
    assert x.shape == y.shape == (4, 5, 9)
    np.testing.assert_array_equal(x.sum(axis=0), np.ones((5, 9)), err_msg="one-hot inputs")
    np.testing.assert_array_equal(y[:, :, 3:], x[:, :, :-3], err_msg="targets")
    np.testing.assert_array_equal(y[:, :, :3], 0, err_msg="no target in the first steps")


def test_training_the_reference_lstm_lowers_the_loss(reference):
    losses = train_lstm(reference["lstm_forward"], reference["lstm_backward"], iterations=120)
    assert len(losses) == 120
    assert losses[-1] < losses[0] / 100


def test_training_names_the_unfinished_function(solutions, capsys):
    stub = 'def lstm_cell_backward(da_next, dc_next, cache):\n    raise NotImplementedError()\n'
    functions = load_functions({**solutions, "lstm_cell_backward": stub})
    assert train_lstm(functions["lstm_forward"], functions["lstm_backward"]) is None
    assert "Training needs your lstm_cell_backward" in capsys.readouterr().out

"""The helpers learners import: activations, Adam and the numerical gradient."""
import numpy as np
import pytest

from rnn_utils import initialize_adam, numerical_gradient, sigmoid, softmax, update_parameters_with_adam


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

"""Numerical gradients by central differences, to check a backward pass."""
import numpy as np


def numerical_gradient(loss, array, h=1e-5):
    """Estimate d loss / d array by central differences, one entry at a time.

    Parameters
    ----------
    loss : callable
        Takes no argument and returns a float computed from ``array`` (and anything else it
        closes over). ``array`` is perturbed in place between calls.
    array : ndarray of float64, any shape
        The input to differentiate against; restored exactly before returning.
    h : float
        Step size.

    Returns
    -------
    ndarray, same shape as ``array``

    Notes
    -----
    d loss / d array[i] ~ (loss(array[i] + h) - loss(array[i] - h)) / (2 h), with an error of
    order h^2.
    """
    grad = np.zeros_like(array, dtype=float)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + h
        loss_plus = loss()
        array[index] = saved - h
        loss_minus = loss()
        array[index] = saved
        grad[index] = (loss_plus - loss_minus) / (2 * h)
    return grad

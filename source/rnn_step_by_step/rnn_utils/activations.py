"""Element-wise and column-wise activations used by the RNN and LSTM cells."""
import numpy as np


def sigmoid(z):
    """Logistic function, element-wise.

    Parameters
    ----------
    z : ndarray, any shape

    Returns
    -------
    ndarray, same shape as ``z``
        ``1 / (1 + exp(-z))``, each entry in (0, 1).

    Notes
    -----
    With e = exp(-|z|), which never overflows, sigma(z) = 1 / (1 + e) for z >= 0 and
    e / (1 + e) for z < 0: both forms are accurate to the last digit on their side.
    """
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(z):
    """Softmax over axis 0: each column becomes a probability distribution.

    Parameters
    ----------
    z : ndarray, shape (n_y, m)
        Scores; column ``j`` holds the scores of example ``j``.

    Returns
    -------
    ndarray, shape (n_y, m)
        Non-negative entries; every column sums to 1.

    Notes
    -----
    softmax(z)_k = exp(z_k) / sum_j exp(z_j). The column maximum is subtracted
    first, which leaves the result unchanged and keeps ``exp`` from overflowing.
    """
    shifted = z - np.max(z, axis=0, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=0, keepdims=True)

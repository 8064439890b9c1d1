"""A basic RNN with the API of the first assignment ("Building a Recurrent Neural Network -
Step by Step"): the same argument shapes, the same caches, the same gradient keys, so that
your own ``rnn_forward`` and ``rnn_backward`` from there can take these ones' place.

Shapes: n_x inputs, n_a hidden units, n_y outputs, m examples, T_x time steps.
"""
import numpy as np


def softmax(z):
    """Column-wise softmax.

    Parameters
    ----------
    z : ndarray, shape (n_y, m)

    Returns
    -------
    ndarray, shape (n_y, m)
        Every column is a probability distribution (non-negative, sums to 1).

    Notes
    -----
    The largest score of each column is taken away before ``exp``: the result is the same,
    and nothing overflows.
    """
    exps = np.exp(z - z.max(axis=0, keepdims=True))
    return exps / exps.sum(axis=0, keepdims=True)


def rnn_cell_forward(xt, a_prev, parameters):
    """One step of the basic RNN.

    Parameters
    ----------
    xt : ndarray, shape (n_x, m)
    a_prev : ndarray, shape (n_a, m)
    parameters : dict
        "Wax" (n_a, n_x), "Waa" (n_a, n_a), "Wya" (n_y, n_a), "ba" (n_a, 1), "by" (n_y, 1).

    Returns
    -------
    a_next : ndarray, shape (n_a, m)
    yt_pred : ndarray, shape (n_y, m)
    cache : tuple
        (a_next, a_prev, xt, parameters)

    Notes
    -----
    a_next = tanh(Wax xt + Waa a_prev + ba),  yt_pred = softmax(Wya a_next + by)
    """
    p = parameters
    a_next = np.tanh(np.dot(p["Wax"], xt) + np.dot(p["Waa"], a_prev) + p["ba"])
    return a_next, softmax(np.dot(p["Wya"], a_next) + p["by"]), (a_next, a_prev, xt, parameters)


def rnn_forward(x, a0, parameters):
    """The basic RNN over a whole sequence.

    Parameters
    ----------
    x : ndarray, shape (n_x, m, T_x)
    a0 : ndarray, shape (n_a, m)
    parameters : dict
        As for ``rnn_cell_forward``.

    Returns
    -------
    a : ndarray, shape (n_a, m, T_x)
        The hidden state after each step (a0 is not in it).
    y_pred : ndarray, shape (n_y, m, T_x)
        The prediction at each step.
    caches : tuple
        (list of the T_x step caches, x)
    """
    T_x = x.shape[2]
    n_y = parameters["Wya"].shape[0]
    a = np.empty((a0.shape[0], x.shape[1], T_x))
    y_pred = np.empty((n_y, x.shape[1], T_x))
    step_caches = []
    state = a0
    for step in range(T_x):
        state, y_pred[:, :, step], cache = rnn_cell_forward(x[:, :, step], state, parameters)
        a[:, :, step] = state
        step_caches.append(cache)
    return a, y_pred, (step_caches, x)


def rnn_backward(da, caches):
    """Backpropagation through time for the basic RNN.

    Parameters
    ----------
    da : ndarray, shape (n_a, m, T_x)
        Gradient of the loss on each hidden state, from the layers above (the output layer's
        share; the share that flows back through the recurrence is added here).
    caches : tuple
        What ``rnn_forward`` returned.

    Returns
    -------
    gradients : dict
        "dx" (n_x, m, T_x), "da0" (n_a, m), "dWax" (n_a, n_x), "dWaa" (n_a, n_a), "dba" (n_a, 1);
        T_x is the length of ``da`` (the first steps of the sequence, if ``da`` is shorter).

    Notes
    -----
    At each step, going backwards: dz = (da_t + carried) * (1 - a_t**2), then
    dxt = Wax^T dz, carried = Waa^T dz, and dz adds Wax's, Waa's and ba's share.
    """
    step_caches, x = caches
    p = step_caches[0][3]
    gradients = {"dx": np.zeros(x.shape[:2] + da.shape[2:]), "dWax": np.zeros_like(p["Wax"]),
                 "dWaa": np.zeros_like(p["Waa"]), "dba": np.zeros_like(p["ba"])}
    carried = np.zeros_like(da[:, :, 0])
    for step in range(da.shape[2] - 1, -1, -1):
        a_next, a_prev, xt, _ = step_caches[step]
        dz = (da[:, :, step] + carried) * (1.0 - np.square(a_next))  # through tanh
        gradients["dx"][:, :, step] = np.dot(p["Wax"].T, dz)
        gradients["dWax"] += np.dot(dz, xt.T)
        gradients["dWaa"] += np.dot(dz, a_prev.T)
        gradients["dba"] += dz.sum(axis=1, keepdims=True)
        carried = np.dot(p["Waa"].T, dz)  # what reaches the state one step earlier
    gradients["da0"] = carried
    return {key: gradients[key] for key in ("dx", "da0", "dWax", "dWaa", "dba")}

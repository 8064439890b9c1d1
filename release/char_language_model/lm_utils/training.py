"""The small pieces of a training run: encoding characters, starting parameters, a plain
gradient step, and a smoothed loss."""
import numpy as np


def one_hot(indices, vocab_size):
    """The characters of a sequence as one-hot columns, one example, one step per character.

    Parameters
    ----------
    indices : list of int, length T_x
    vocab_size : int

    Returns
    -------
    x : ndarray, shape (vocab_size, 1, T_x)
        ``x[indices[t], 0, t] = 1``; every other entry is 0.
    """
    x = np.zeros((vocab_size, 1, len(indices)))
    x[list(indices), 0, np.arange(len(indices))] = 1.0
    return x


def initialize_parameters(n_a, n_x, n_y, seed=0):
    """Small random weights and zero biases for a basic RNN.

    Parameters
    ----------
    n_a, n_x, n_y : int
        Hidden units, inputs, outputs.
    seed : int
        Seed of the ``np.random.default_rng`` the weights are drawn from.

    Returns
    -------
    parameters : dict
        "Wax" (n_a, n_x), "Waa" (n_a, n_a), "Wya" (n_y, n_a), "ba" (n_a, 1), "by" (n_y, 1);
        the weights are normal with standard deviation 0.01.
    """
    draw = np.random.default_rng(seed).standard_normal
    return {"Wax": 0.01 * draw((n_a, n_x)), "Waa": 0.01 * draw((n_a, n_a)), "Wya": 0.01 * draw((n_y, n_a)),
            "ba": np.zeros((n_a, 1)), "by": np.zeros((n_y, 1))}


def update_parameters(parameters, gradients, lr):
    """One step of gradient descent, in place: ``parameters[k] -= lr * gradients["d" + k]``.

    Parameters
    ----------
    parameters : dict
        The five arrays of ``initialize_parameters``; changed in place.
    gradients : dict
        "dWax", "dWaa", "dWya", "dba", "dby", shaped like the parameters.
    lr : float
        The learning rate.
    """
    for key, value in parameters.items():
        value -= lr * gradients["d" + key]


def initial_loss(vocab_size, name_length):
    """The loss of a model that guesses every character uniformly, over a name of
    ``name_length`` characters and its END: (name_length + 1) * log(vocab_size)."""
    return (name_length + 1) * np.log(vocab_size)


def smooth(previous, latest, keep=0.999):
    """An exponential moving average of the loss: ``keep * previous + (1 - keep) * latest``."""
    return keep * previous + (1 - keep) * latest

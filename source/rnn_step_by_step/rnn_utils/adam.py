"""The Adam optimiser for a dict of parameters, as used to train the notebook's LSTM."""
import numpy as np


def initialize_adam(parameters):
    """Zero first and second moment estimates, one per parameter.

    Parameters
    ----------
    parameters : dict of str to ndarray
        The model's parameters, e.g. ``{"Wf": (n_a, n_a + n_x), "bf": (n_a, 1), ...}``.

    Returns
    -------
    v : dict of str to ndarray
        Running mean of the gradients, key ``"d" + name``, each zeros shaped like the parameter.
    s : dict of str to ndarray
        Running mean of the squared gradients, same keys and shapes as ``v``.
    """
    v = {"d" + name: np.zeros_like(value) for name, value in parameters.items()}
    s = {"d" + name: np.zeros_like(value) for name, value in parameters.items()}
    return v, s


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01,
                                beta1=0.9, beta2=0.999, epsilon=1e-8):
    """One Adam step on every parameter that has a gradient.

    Parameters
    ----------
    parameters : dict of str to ndarray
        Updated in place and returned.
    grads : dict of str to ndarray
        Gradient of the loss for parameter ``name`` under key ``"d" + name``.
        Parameters without a gradient are left alone.
    v, s : dict of str to ndarray
        Moment estimates from :func:`initialize_adam` or the previous step; updated in place.
    t : int
        Step number, starting at 1 (used for bias correction).
    learning_rate, beta1, beta2, epsilon : float
        The usual Adam hyper-parameters.

    Returns
    -------
    parameters, v, s : dict of str to ndarray
        The same dicts, updated.

    Notes
    -----
    v = beta1 v + (1 - beta1) g;  s = beta2 s + (1 - beta2) g^2;
    W -= lr * (v / (1 - beta1^t)) / (sqrt(s / (1 - beta2^t)) + epsilon).
    """
    for name in parameters:
        key = "d" + name
        if key not in grads:
            continue
        g = grads[key]
        v[key] = beta1 * v[key] + (1 - beta1) * g
        s[key] = beta2 * s[key] + (1 - beta2) * g ** 2
        v_hat = v[key] / (1 - beta1 ** t)
        s_hat = s[key] / (1 - beta2 ** t)
        parameters[name] -= learning_rate * v_hat / (np.sqrt(s_hat) + epsilon)
    return parameters, v, s

"""Check a backward pass against central differences of the forward pass."""
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


class GradientReport(list):
    """One row per gradient: (name, relative error, worst index, analytic, numeric, ok).

    Printing it (or showing it as a notebook cell's result) gives a table; ``all_ok`` tells
    whether every gradient passed.
    """

    threshold = 1e-6

    @property
    def all_ok(self):
        return all(row[-1] for row in self)

    def __str__(self):
        lines = [f"{'gradient':<10} {'rel. error':>11}  {'worst entry':<14} {'yours':>12} {'numerical':>12}"]
        for name, error, index, analytic, numeric, ok in self:
            where = "[" + ", ".join(str(i) for i in index) + "]"
            lines.append(f"{name:<10} {error:>11.2e}  {where:<14} {analytic:>12.6g} {numeric:>12.6g}"
                         f"  {'ok' if ok else '<-- check this one'}")
        return "\n".join(lines)

    __repr__ = __str__


def gradient_check(loss, variables, gradients, h=1e-5):
    """Compare your gradients with central differences of a loss, gradient by gradient.

    Parameters
    ----------
    loss : callable
        Takes no argument and returns the scalar loss, computed from the arrays in
        ``variables`` (they are perturbed in place, one entry at a time, and restored).
        For a backward pass fed with ``da``, the loss is ``np.sum(da * a)`` with ``a`` from
        your forward pass.
    variables : dict of str to ndarray
        The arrays to differentiate against, under the name of their gradient, e.g.
        ``{"dWax": parameters["Wax"], "dxt": xt}``.
    gradients : dict of str to ndarray
        Your gradients (the dict your backward function returned); each must have the shape of
        its variable.

    Returns
    -------
    GradientReport
        For each gradient: the relative error max|yours - numerical| / max(|yours| + |numerical|),
        and the entry where yours and the numerical estimate differ most. Relative errors
        below 1e-6 are marked ok; a correct float64 backward pass is usually near 1e-10.
    """
    report = GradientReport()
    for name, array in variables.items():
        analytic = np.asarray(gradients[name], dtype=float)
        if analytic.shape != array.shape:
            raise ValueError(f"{name} has shape {analytic.shape}, but its variable has shape {array.shape}")
        numeric = numerical_gradient(loss, array, h)
        difference = np.abs(analytic - numeric)
        scale = max(float(np.max(np.abs(analytic) + np.abs(numeric))), 1e-300)
        error = float(np.max(difference)) / scale
        worst = np.unravel_index(np.argmax(difference), difference.shape)
        report.append((name, error, tuple(int(i) for i in worst), float(analytic[worst]), float(numeric[worst]),
                       error < GradientReport.threshold))
    return report

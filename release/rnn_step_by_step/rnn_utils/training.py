"""A memory task, a training loop and a verdict for the notebook's last section.

The task: read a sequence of 16 random symbols (4 possible ones) and, at the last step, say
which symbol came first. The symbol must be kept for the whole sequence, which is what the
LSTM's cell state is for. ``train_lstm`` trains the learner's own LSTM on it with Adam, and
``training_verdict`` says in words whether the run learned.

With the defaults (n_a=32, 300 steps of 64 new sequences, about 2.5 s), measured over 30
seeds: the reference LSTM ends at a loss of 0.0001 to 0.002; the same LSTM with a backward
pass that does not carry ``dc_prev`` from step to step ends at 1.17 to 1.39, near guessing
(log 4 = 1.386). The verdict's threshold, a tenth of guessing (0.139), lies between the two.
"""
import numpy as np

from rnn_utils.adam import initialize_adam, update_parameters_with_adam

EXERCISE_NAMES = ("lstm_cell_forward", "lstm_forward", "lstm_cell_backward", "lstm_backward")
N_SYMBOLS = 4
LEARNED_FRACTION = 0.1  # learned: final loss below this fraction of the loss of guessing


def make_recall_task(n_symbols=N_SYMBOLS, T_x=16, m=64, seed=0):
    """Random one-hot sequences whose only target, at the last step, is the first symbol.

    Parameters
    ----------
    n_symbols : int
        Size of the alphabet; every step's symbol is drawn uniformly from it.
    T_x : int
        Length of the sequences.
    m : int
        Number of sequences.
    seed : int or sequence of int
        Seed of the random symbols (anything ``np.random.default_rng`` takes).

    Returns
    -------
    x : ndarray, shape (n_symbols, m, T_x)
        One-hot inputs.
    y : ndarray, shape (n_symbols, m, T_x)
        One-hot targets: ``y[:, :, -1]`` equals ``x[:, :, 0]``; the other steps have no
        target (all zeros).
    """
    symbols = np.random.default_rng(seed).integers(n_symbols, size=(m, T_x))
    x = np.eye(n_symbols)[symbols].transpose(2, 0, 1)  # (m, T_x, n) -> (n, m, T_x)
    y = np.zeros_like(x)
    y[:, :, -1] = x[:, :, 0]  # the last step asks for the first symbol
    return x, y


def init_lstm_parameters(n_x, n_a, n_y, seed=1):
    """Small random weights, zero biases, and a forget-gate bias of 1 (keep memory at first).

    Parameters
    ----------
    n_x, n_a, n_y : int
        Sizes of the input, the hidden state and the output.
    seed : int
        Seed of the random weights.

    Returns
    -------
    params : dict of str to ndarray
        "Wf", "Wi", "Wc", "Wo" each (n_a, n_a + n_x); "bf", "bi", "bc", "bo" each (n_a, 1);
        "Wy" (n_y, n_a); "by" (n_y, 1).
    """
    rng = np.random.RandomState(seed)
    params = {}
    for gate in ("f", "i", "c", "o"):
        params["W" + gate] = rng.randn(n_a, n_a + n_x) * 0.3
        params["b" + gate] = np.zeros((n_a, 1))
    params["bf"] += 1.0
    params["Wy"] = rng.randn(n_y, n_a) * 0.3
    params["by"] = np.zeros((n_y, 1))
    return params


def _loss_and_output_gradients(y_pred, y, a, params):
    """Mean cross-entropy over the steps that have a target, and its gradients.

    Parameters
    ----------
    y_pred : ndarray, shape (n_y, m, T_x)
        Softmax predictions.
    y : ndarray, shape (n_y, m, T_x)
        One-hot targets; all zeros at the steps without a target.
    a : ndarray, shape (n_a, m, T_x)
        Hidden states.
    params : dict
        Needs "Wy" (n_y, n_a).

    Returns
    -------
    loss : float
    da : ndarray, shape (n_a, m, T_x)
        Gradient of the loss with respect to the hidden states.
    dWy : ndarray, shape (n_y, n_a)
    dby : ndarray, shape (n_y, 1)
    """
    has_target = y.sum(axis=0, keepdims=True)  # (1, m, T_x): 1 where there is a target
    count = has_target.sum()
    loss = -np.sum(y * np.log(y_pred + 1e-12)) / count
    dz = (y_pred - y) * has_target / count  # softmax + cross-entropy, per step
    da = np.einsum("ya,ymt->amt", params["Wy"], dz)
    dWy = np.einsum("ymt,amt->ya", dz, a)
    dby = dz.sum(axis=(1, 2))[:, None]
    return loss, da, dWy, dby


def _unfinished(traceback):
    """The exercise whose stub raised NotImplementedError, from the innermost frame up."""
    names = []
    while traceback is not None:
        names.append(traceback.tb_frame.f_code.co_name)
        traceback = traceback.tb_next
    return next((name for name in reversed(names) if name in EXERCISE_NAMES), "one of your LSTM functions")


def train_lstm(lstm_forward, lstm_backward, n_a=32, iterations=300, learning_rate=0.02, seed=1, task=None):
    """Train an LSTM built from your functions with Adam, on a new batch at every step.

    Parameters
    ----------
    lstm_forward, lstm_backward : callable
        Your exercises 4 and 8 (they call your exercises 3 and 7).
    n_a : int
        Size of the hidden state.
    iterations : int
        Number of Adam steps.
    learning_rate : float
        Adam's step size.
    seed : int
        Seed of the initial weights and of the batches.
    task : callable, optional
        ``task(step)`` returns the batch for Adam step ``step`` (1, 2, ...): inputs x of shape
        (n_x, m, T_x) and one-hot targets y of shape (n_y, m, T_x), all zeros where there is
        no target. By default ``make_recall_task(seed=(seed, step))``: fresh sequences at every
        step, so the network cannot pass by memorising one batch.

    Returns
    -------
    losses : list of float, or None
        The loss at each step (on that step's batch); None (with a message saying which
        function to finish) when one of the LSTM exercises is not written yet.
    """
    if task is None:
        def task(step):  # new sequences at every step, the same ones for the same seed
            return make_recall_task(seed=(seed, step))
    x, y = task(1)
    params = init_lstm_parameters(x.shape[0], n_a, y.shape[0], seed)
    v, s = initialize_adam(params)
    losses = []
    try:
        for step in range(1, iterations + 1):
            x, y = task(step)
            # forward through time, from a zero hidden state
            a, y_pred, _, caches = lstm_forward(x, np.zeros((n_a, x.shape[1])), params)
            # loss, and its gradient on every hidden state and on the output layer
            loss, da, dWy, dby = _loss_and_output_gradients(y_pred, y, a, params)
            # backward through time, then one Adam step on every parameter
            grads = lstm_backward(da, caches)
            grads = {**grads, "dWy": dWy, "dby": dby}
            params, v, s = update_parameters_with_adam(params, grads, v, s, step, learning_rate)
            losses.append(float(loss))
    except NotImplementedError as missing:
        print(f"Training needs your {_unfinished(missing.__traceback__)}, which still raises "
              f"NotImplementedError. Finish that exercise, run its cell, then run this cell again.")
        return None
    return losses


def training_verdict(losses, n_symbols=N_SYMBOLS):
    """Say in plain words whether a run of ``train_lstm`` learned its task.

    The run learned when its final loss is below ``LEARNED_FRACTION`` (a tenth) of the loss of
    guessing, log(n_symbols). The final loss is the mean over the last tenth of the steps,
    since each step's loss is measured on a different batch.

    Parameters
    ----------
    losses : list of float
        The loss at each step, as returned by ``train_lstm``.
    n_symbols : int
        Number of possible targets; guessing uniformly gives a loss of log(n_symbols).

    Returns
    -------
    verdict : str
        Two lines: the loss at the start and at the end, then "Learned: ..." or
        "Not learned: ..." with what to look at.
    """
    chance = np.log(n_symbols)  # cross-entropy of a uniform guess
    last = losses[-max(1, len(losses) // 10):]  # the last tenth of the run
    final = float(np.mean(last))
    numbers = (f"Training loss {losses[0]:.3f} at the start, {final:.5f} after {len(losses)} steps "
               f"(mean of the last {len(last)}); guessing gives log({n_symbols}) = {chance:.3f}.")
    if final < LEARNED_FRACTION * chance:
        return numbers + ("\nLearned: the loss is far below guessing, so your LSTM keeps the first "
                          "symbol to the end of the sequence and your backward pass carries the "
                          "gradient all the way back to it.")
    return numbers + (f"\nNot learned: the loss did not fall below {LEARNED_FRACTION * chance:.3f} (a tenth of "
                      f"guessing), so your LSTM did not learn to recall the first symbol. Look first at the checks "
                      f"of exercises 3 to 8; the classic cause is an lstm_backward that does not hand dc_prevt from "
                      f"index t + 1 back to index t, as the dc_next of index t.")

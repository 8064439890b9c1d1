"""Sample learner "ben": two exercises right, two wrong.

Expected grades: clip full, sample 0 (takes the likeliest character with argmax), optimize 0
(averages the loss over the steps), model full.
"""


def clip(gradients, maxValue):
    for key, value in gradients.items():
        value[value > maxValue] = maxValue
        value[value < -maxValue] = -maxValue
    return gradients


def sample(parameters, char_to_ix, seed):
    rng = np.random.default_rng(seed)
    vocab_size = parameters["by"].shape[0]
    end = char_to_ix["\n"]
    x = np.zeros((vocab_size, 1))
    x[end] = 1
    a = np.zeros((parameters["Waa"].shape[0], 1))
    indices = []
    while len(indices) < MAX_LENGTH:
        a, y, _ = rnn_cell_forward(x, a, parameters)
        idx = int(np.argmax(y))
        indices.append(idx)
        if idx == end:
            break
        x = np.zeros((vocab_size, 1))
        x[idx] = 1
    if indices[-1] != end:
        indices.append(end)
    return indices


def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    vocab_size = parameters["by"].shape[0]
    a, y_hat, caches = rnn_forward(one_hot(X, vocab_size), a_prev, parameters)
    T = len(X)
    loss = 0.0
    da = np.zeros_like(a)
    dWya = np.zeros_like(parameters["Wya"])
    dby = np.zeros_like(parameters["by"])
    for t in range(T):
        loss += -np.log(y_hat[Y[t], 0, t]) / T
        dz = y_hat[:, :, t].copy()
        dz[Y[t], 0] -= 1
        dWya += np.dot(dz, a[:, :, t].T)
        dby += dz
        da[:, :, t] = np.dot(parameters["Wya"].T, dz)
    g = rnn_backward(da, caches)
    gradients = clip({"dWax": g["dWax"], "dWaa": g["dWaa"], "dWya": dWya, "dba": g["dba"], "dby": dby}, 5)
    update_parameters(parameters, gradients, learning_rate)
    return float(loss), gradients, a[:, :, -1]


def model(names, num_iterations, n_a=50, learning_rate=0.01, seed=0, on_progress=None, progress_every=2000):
    char_to_ix, ix_to_char = vocabulary(names)
    vocab_size = len(char_to_ix)
    end = char_to_ix["\n"]
    parameters = initialize_parameters(n_a, vocab_size, vocab_size, seed)
    a_prev = np.zeros((n_a, 1))
    losses = []
    for j in range(num_iterations):
        X = [end] + [char_to_ix[c] for c in names[j % len(names)]]
        Y = X[1:] + [end]
        loss, _, a_prev = optimize(X, Y, a_prev, parameters, learning_rate)
        losses.append(loss)
    return parameters, losses

"""Sample learner "ada": every exercise right, written her own way.

Expected grades: full marks on all four exercises.
"""


def clip(gradients, maxValue):
    for name in gradients:
        np.minimum(gradients[name], maxValue, out=gradients[name])
        np.maximum(gradients[name], -maxValue, out=gradients[name])
    return gradients


def sample(parameters, char_to_ix, seed):
    generator = np.random.default_rng(seed)
    vocab = parameters["by"].shape[0]
    stop = char_to_ix["\n"]
    state = np.zeros((parameters["Waa"].shape[0], 1))
    current = stop
    drawn = []
    while len(drawn) < MAX_LENGTH:
        one_hot_column = np.eye(vocab)[:, [current]]
        state, probabilities, _ = rnn_cell_forward(one_hot_column, state, parameters)
        current = int(generator.choice(vocab, p=probabilities[:, 0]))
        drawn.append(current)
        if current == stop:
            return drawn
    return drawn + [stop]


def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    vocab = parameters["by"].shape[0]
    states, probs, caches = rnn_forward(one_hot(X, vocab), a_prev, parameters)
    steps = np.arange(len(X))
    loss = float(-np.log(probs[Y, 0, steps]).sum())
    scores_grad = probs[:, 0, :].copy()
    scores_grad[Y, steps] -= 1.0
    hidden = states[:, 0, :]
    grads = rnn_backward((parameters["Wya"].T @ scores_grad)[:, None, :], caches)
    gradients = clip({"dWax": grads["dWax"], "dWaa": grads["dWaa"], "dWya": scores_grad @ hidden.T,
                      "dba": grads["dba"], "dby": scores_grad.sum(axis=1, keepdims=True)}, 5)
    update_parameters(parameters, gradients, learning_rate)
    return loss, gradients, states[:, :, len(X) - 1]


def model(names, num_iterations, n_a=50, learning_rate=0.01, seed=0, on_progress=None, progress_every=2000):
    char_to_ix, ix_to_char = vocabulary(names)
    end = char_to_ix["\n"]
    parameters = initialize_parameters(n_a, len(char_to_ix), len(char_to_ix), seed)
    state = np.zeros((n_a, 1))
    losses = []
    for iteration in range(num_iterations):
        codes = [char_to_ix[letter] for letter in names[iteration % len(names)]]
        loss, _, state = optimize([end] + codes, codes + [end], state, parameters, learning_rate)
        losses.append(loss)
        if on_progress is not None and (iteration + 1) % progress_every == 0:
            on_progress(iteration + 1, losses, parameters)
    return parameters, losses

"""Sample learner "ben": some exercises right, some wrong, one not attempted.

Expected grades: rnn_cell_forward 0 (leaves out the bias ba), rnn_forward full, lstm_cell_forward
full, lstm_forward 0 (starts the cell state at a0), rnn_cell_backward full, rnn_backward full,
lstm_cell_backward 0 (dc_prev misses the path through da_next), lstm_backward 0 (not attempted).
"""


def rnn_cell_forward(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Waa"] @ a_prev + parameters["Wax"] @ xt)
    yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def rnn_forward(x, a0, parameters):
    caches = []
    a_list, y_list = [], []
    a_t = a0
    for t in range(x.shape[2]):
        a_t, y_t, cache = rnn_cell_forward(x[:, :, t], a_t, parameters)
        a_list.append(a_t)
        y_list.append(y_t)
        caches.append(cache)
    return np.stack(a_list, axis=2), np.stack(y_list, axis=2), (caches, x)


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    concat = np.concatenate([a_prev, xt])
    ft = sigmoid(parameters["Wf"] @ concat + parameters["bf"])
    it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
    ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)


def lstm_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a = np.zeros((n_a, m, T_x))
    c = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))
    caches = []
    a_t, c_t = a0, a0
    for t in range(T_x):
        a_t, c_t, y_t, cache = lstm_cell_forward(x[:, :, t], a_t, c_t, parameters)
        a[:, :, t], c[:, :, t], y[:, :, t] = a_t, c_t, y_t
        caches.append(cache)
    return a, y, c, (caches, x)


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dz = da_next * (1 - a_next ** 2)
    return {"dxt": parameters["Wax"].T @ dz, "da_prev": parameters["Waa"].T @ dz,
            "dWax": dz @ xt.T, "dWaa": dz @ a_prev.T, "dba": dz.sum(axis=1, keepdims=True)}


def rnn_backward(da, caches):
    cell_caches, x = caches
    n_a, m, T_x = da.shape
    grads = None
    da_prev = np.zeros((n_a, m))
    dx_steps = [None] * T_x
    for t in reversed(range(T_x)):
        g = rnn_cell_backward(da[:, :, t] + da_prev, cell_caches[t])
        da_prev = g["da_prev"]
        dx_steps[t] = g["dxt"]
        if grads is None:
            grads = {k: g[k].copy() for k in ("dWax", "dWaa", "dba")}
        else:
            for k in grads:
                grads[k] += g[k]
    return {"dx": np.stack(dx_steps, axis=2), "da0": da_prev, **grads}


def lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    t = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - t ** 2)
    dot = da_next * t * ot * (1 - ot)
    dcct = dc * it * (1 - cct ** 2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 - ft)
    concat = np.concatenate([a_prev, xt])
    g = {}
    for name, d in (("f", dft), ("i", dit), ("c", dcct), ("o", dot)):
        g["dW" + name] = d @ concat.T
        g["db" + name] = d.sum(axis=1, keepdims=True)
    dconcat = sum(parameters["W" + n].T @ d for n, d in (("f", dft), ("i", dit), ("c", dcct), ("o", dot)))
    g["da_prev"], g["dxt"] = dconcat[:n_a], dconcat[n_a:]
    g["dc_prev"] = dc_next * ft
    return g

"""Sample learner "ada": all eight exercises right, written in her own way (np.dot, explicit
slicing, a dict of running sums). Expected grade: full marks on every exercise."""


def rnn_cell_forward(xt, a_prev, parameters):
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    z = np.dot(Wax, xt) + np.dot(Waa, a_prev) + ba
    a_next = np.tanh(z)
    yt_pred = softmax(np.dot(Wya, a_next) + by)
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


def rnn_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t], y_pred[:, :, t] = a_next, yt
        caches.append(cache)
    return a, y_pred, (caches, x)


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    stacked = np.vstack((a_prev, xt))
    gate = lambda name: sigmoid(np.dot(parameters["W" + name], stacked) + parameters["b" + name])
    ft, it, ot = gate("f"), gate("i"), gate("o")
    cct = np.tanh(np.dot(parameters["Wc"], stacked) + parameters["bc"])
    c_next = np.multiply(ft, c_prev) + np.multiply(it, cct)
    a_next = np.multiply(ot, np.tanh(c_next))
    yt_pred = softmax(np.dot(parameters["Wy"], a_next) + parameters["by"])
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache


def lstm_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, c = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))
    a_next, c_next = a0, np.zeros_like(a0)
    caches = []
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(x[..., t], a_next, c_next, parameters)
        a[..., t], c[..., t], y[..., t] = a_next, c_next, yt
        caches.append(cache)
    return a, y, c, (caches, x)


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dtanh = (1.0 - np.square(a_next)) * da_next
    return {
        "dxt": np.dot(parameters["Wax"].T, dtanh),
        "da_prev": np.dot(parameters["Waa"].T, dtanh),
        "dWax": np.dot(dtanh, xt.T),
        "dWaa": np.dot(dtanh, a_prev.T),
        "dba": dtanh.sum(axis=-1, keepdims=True),
    }


def rnn_backward(da, caches):
    cell_caches, x = caches
    n_a, m, T_x = da.shape
    n_x = cell_caches[0][2].shape[0]
    p = cell_caches[0][3]
    dx = np.zeros((n_x, m, T_x))
    sums = {"dWax": np.zeros_like(p["Wax"]), "dWaa": np.zeros_like(p["Waa"]), "dba": np.zeros_like(p["ba"])}
    carried = np.zeros((n_a, m))
    for t in range(T_x - 1, -1, -1):
        g = rnn_cell_backward(da[:, :, t] + carried, cell_caches[t])
        dx[:, :, t] = g["dxt"]
        carried = g["da_prev"]
        for k in sums:
            sums[k] = sums[k] + g[k]
    return {"dx": dx, "da0": carried, **sums}


def lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    th = np.tanh(c_next)
    dc_total = dc_next + da_next * ot * (1 - th * th)
    d_o = da_next * th * ot * (1 - ot)
    d_c = dc_total * it * (1 - cct * cct)
    d_i = dc_total * cct * it * (1 - it)
    d_f = dc_total * c_prev * ft * (1 - ft)
    stacked = np.vstack((a_prev, xt))
    out = {"dc_prev": dc_total * ft}
    dstacked = np.zeros_like(stacked)
    for name, d in (("f", d_f), ("i", d_i), ("c", d_c), ("o", d_o)):
        out["dW" + name] = np.dot(d, stacked.T)
        out["db" + name] = np.sum(d, axis=1).reshape(-1, 1)
        dstacked += np.dot(parameters["W" + name].T, d)
    out["da_prev"] = dstacked[:n_a, :]
    out["dxt"] = dstacked[n_a:, :]
    return out


def lstm_backward(da, caches):
    cell_caches, x = caches
    n_a, m, T_x = da.shape
    n_x = cell_caches[0][8].shape[0]
    dx = np.zeros((n_x, m, T_x))
    da_carry, dc_carry = np.zeros((n_a, m)), np.zeros((n_a, m))
    totals = None
    for t in reversed(range(T_x)):
        g = lstm_cell_backward(da[:, :, t] + da_carry, dc_carry, cell_caches[t])
        dx[:, :, t] = g["dxt"]
        da_carry, dc_carry = g["da_prev"], g["dc_prev"]
        step = {k: g[k] for k in ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")}
        totals = step if totals is None else {k: totals[k] + step[k] for k in totals}
    return {"dx": dx, "da0": da_carry, **totals}

"""Mistakes learners really make in this assignment, as edits of the reference solution cells.

Those with a sentence in public_tests/hints.py are recognised by what they return; the others
are named by the checks themselves (the gradients left as they were, X or Y off by one, the
state not carried, the parameters not updated). Every one is tested with its message
(tests/support/mutants.py).
"""
from course_tools.mistakes import Mistake

MISTAKES = (
    Mistake("clip", "clip_returns_copies",
            "for gradient in gradients.values():\n        # bound each entry, writing into the array itself\n"
            "        np.clip(gradient, -maxValue, maxValue, out=gradient)",
            "gradients = {key: np.clip(value, -maxValue, maxValue) for key, value in gradients.items()}"),
    Mistake("clip", "clip_rebinds_the_name", "np.clip(gradient, -maxValue, maxValue, out=gradient)",
            "gradient = np.clip(gradient, -maxValue, maxValue)"),
    Mistake("clip", "clip_skips_a_gradient", "for gradient in gradients.values():",
            "for gradient in list(gradients.values())[:-1]:"),
    Mistake("clip", "clip_from_zero", "np.clip(gradient, -maxValue, maxValue, out=gradient)",
            "np.clip(gradient, 0, maxValue, out=gradient)"),
    Mistake("sample", "sample_argmax", "idx = int(rng.choice(vocab_size, p=y.ravel()))", "idx = int(np.argmax(y))"),
    Mistake("sample", "sample_input_not_fed_back", "        x = np.zeros((vocab_size, 1))\n        x[idx] = 1\n", ""),
    Mistake("sample", "sample_state_not_carried", "a_prev, y, _ = rnn_cell_forward(x, a_prev, parameters)",
            "a, y, _ = rnn_cell_forward(x, a_prev, parameters)"),
    Mistake("sample", "sample_generator_per_step", "idx = int(rng.choice(",
            "idx = int(np.random.default_rng(seed).choice("),
    Mistake("sample", "sample_starts_from_zeros", "x[end] = 1  # the model reads END before the first letter", ""),
    Mistake("sample", "sample_no_end_after_cut", "    if indices[-1] != end:\n        indices.append(end)\n", ""),
    Mistake("optimize", "loss_averaged", "loss = float(loss)", "loss = float(loss) / len(X)"),
    Mistake("optimize", "loss_last_step_only", "loss -= np.log(y_hat[Y[t], 0, t])",
            "loss = -np.log(y_hat[Y[t], 0, t])"),
    Mistake("optimize", "output_gradient_without_target", "        dz[Y[t]] -= 1\n", ""),
    Mistake("optimize", "output_gradients_not_summed", "dWya += dz @ a[:, :, t].T", "dWya = dz @ a[:, :, t].T"),
    Mistake("optimize", "a_last_first_step", "a_last = a[:, :, -1]", "a_last = a[:, :, 0]"),
    Mistake("optimize", "gradients_not_clipped", "    gradients = clip(gradients, 5)\n", ""),
    Mistake("optimize", "update_before_clipping",
            "    gradients = clip(gradients, 5)\n    update_parameters(parameters, gradients, learning_rate)",
            "    update_parameters(parameters, gradients, learning_rate)\n    gradients = clip(gradients, 5)"),
    Mistake("optimize", "parameters_not_updated", "    update_parameters(parameters, gradients, learning_rate)\n", ""),
    Mistake("optimize", "update_up_the_gradient", "update_parameters(parameters, gradients, learning_rate)",
            "update_parameters(parameters, gradients, -learning_rate)"),
    Mistake("model", "target_not_shifted", "Y = X[1:] + [end]", "Y = list(X)"),
    Mistake("model", "target_without_end", "Y = X[1:] + [end]", "Y = X[1:]"),
    Mistake("model", "input_without_end", "X = [end] + [char_to_ix[ch] for ch in name]",
            "X = [char_to_ix[ch] for ch in name]"),
    Mistake("model", "state_reset_every_name", "loss, gradients, a_prev = optimize(X, Y, a_prev, parameters, learning_rate)",
            "loss, gradients, _ = optimize(X, Y, np.zeros((n_a, 1)), parameters, learning_rate)"),
    Mistake("model", "names_not_cycled", "name = names[j % len(names)]", "name = names[j]"),
    Mistake("model", "losses_smoothed", "losses.append(loss)",
            "losses.append(loss if not losses else 0.9 * losses[-1] + 0.1 * loss)"),
)

"""The likely cause of a wrong value, for the mistakes learners really make.

The check data holds, for each case, what each of these mistakes returns; when a learner's
wrong output equals it, the check adds the matching sentence to its message.
"""
HINTS = {
    "clip_rebinds_the_name": ("np.clip without out= makes a new array, and giving it to the loop's name leaves "
                              "the dict as it was: pass out=gradient so that the array itself changes."),
    "clip_skips_a_gradient": "one gradient is left unclipped: clip every array the dict holds.",
    "clip_from_zero": "values below -maxValue go to -maxValue, not to 0: the range is [-maxValue, maxValue].",
    "sample_argmax": ("the next character is drawn at random from y, rng.choice(vocab_size, p=y.ravel()); "
                      "np.argmax always takes the likeliest one."),
    "sample_input_not_fed_back": ("each step's input is the character sampled at the step before, one-hot; the "
                                  "END symbol is the input of the first step only."),
    "sample_state_not_carried": "each step must get the hidden state that the step before returned.",
    "sample_generator_per_step": ("make the generator once, before the loop: a new default_rng(seed) at every "
                                  "step draws the same number again and again."),
    "sample_starts_from_zeros": ("the first input is the END symbol, one-hot at char_to_ix['\\n'], not a "
                                 "vector of zeros."),
    "sample_no_end_after_cut": "a name cut at MAX_LENGTH characters still ends with END: append it after the loop.",
    "gradients_not_clipped": "the gradients go through clip, at 5, before the update.",
    "loss_averaged": "the loss of a name is the sum of the cross-entropy of every step, not their mean.",
    "loss_last_step_only": "the loss adds up the cross-entropy of every step, not only the last one's.",
    "output_gradient_without_target": ("the gradient of the loss on the scores z is y_hat minus the one-hot target: "
                                       "subtract 1 at the target's index."),
    "output_gradients_not_summed": ("Wya and by act at every step, so their gradients add up every step's share "
                                    "(dWya += ..., dby += ...)."),
    "a_last_first_step": "a_last is the hidden state after the last step, a[:, :, -1].",
    "losses_smoothed": "losses holds each iteration's loss as optimize returned it, not a smoothed one.",
}

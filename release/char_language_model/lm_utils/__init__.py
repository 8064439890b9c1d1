"""Helpers the character-level language model notebook imports: the names corpus and its
alphabet, a basic RNN with the first assignment's API, and the small pieces of a training run."""
from lm_utils.corpus import MAX_LENGTH, decode, load_names, vocabulary
from lm_utils.recurrent import rnn_backward, rnn_cell_forward, rnn_forward, softmax
from lm_utils.training import initial_loss, initialize_parameters, one_hot, smooth, update_parameters

__all__ = [
    "MAX_LENGTH",
    "decode",
    "load_names",
    "vocabulary",
    "rnn_backward",
    "rnn_cell_forward",
    "rnn_forward",
    "softmax",
    "initial_loss",
    "initialize_parameters",
    "one_hot",
    "smooth",
    "update_parameters",
]

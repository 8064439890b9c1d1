"""Helpers the RNN notebook imports: activations, Adam and a gradient checker."""
from rnn_utils.activations import sigmoid, softmax
from rnn_utils.adam import initialize_adam, update_parameters_with_adam
from rnn_utils.gradcheck import numerical_gradient

__all__ = [
    "sigmoid",
    "softmax",
    "initialize_adam",
    "update_parameters_with_adam",
    "numerical_gradient",
]

"""Helpers the RNN notebook imports: activations, Adam, a gradient checker, and a memory task
with a training loop and a verdict for the learner's LSTM."""
from rnn_utils.activations import sigmoid, softmax
from rnn_utils.adam import initialize_adam, update_parameters_with_adam
from rnn_utils.gradcheck import gradient_check, numerical_gradient
from rnn_utils.training import make_recall_task, train_lstm, training_verdict

__all__ = [
    "sigmoid",
    "softmax",
    "initialize_adam",
    "update_parameters_with_adam",
    "numerical_gradient",
    "gradient_check",
    "make_recall_task",
    "train_lstm",
    "training_verdict",
]

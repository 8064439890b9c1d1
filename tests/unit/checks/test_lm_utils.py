"""The language model's helpers: its RNN can stand in for the first assignment's (the same API
and the same numbers), its gradients agree with central differences, and the corpus is clean."""
import re

import numpy as np
import pytest

from course_tools.reference import notebook_namespace
from rnn_utils import numerical_gradient
from tests.support.lm_assignment import LM
from tests.support.markers import QUICK

pytestmark = QUICK


@pytest.fixture(scope="module")
def helpers():
    """The names the language model's setup cell imports from lm_utils."""
    return notebook_namespace(LM, {})


def _rnn_inputs(seed, n_x=4, n_a=3, n_y=5, m=2, T_x=6, T_back=None):
    randn = np.random.RandomState(seed).randn
    parameters = {"Wax": randn(n_a, n_x), "Waa": randn(n_a, n_a), "Wya": randn(n_y, n_a), "ba": randn(n_a, 1),
                  "by": randn(n_y, 1)}
    return randn(n_x, m, T_x), randn(n_a, m), parameters, randn(n_a, m, T_back or T_x)


@pytest.mark.parametrize("T_back", [6, 2], ids=["da as long as x", "da shorter than x"])
def test_its_rnn_gives_the_first_assignments_numbers(helpers, reference, T_back):
    """rnn_forward and rnn_backward of lm_utils against the first assignment's reference solutions:
    the same outputs, the same cache layout, the same gradient keys, shapes and values."""
    x, a0, parameters, da = _rnn_inputs(3, T_back=T_back)
    ours, theirs = helpers["rnn_forward"](x, a0, parameters), reference["rnn_forward"](x, a0, parameters)
    for name, got, expected in zip(("a", "y_pred"), ours[:2], theirs[:2]):
        assert got.shape == expected.shape, name
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14, err_msg=name)
    (our_cells, our_x), (their_cells, their_x) = ours[2], theirs[2]
    assert our_x is x and their_x is x and len(our_cells) == len(their_cells) == x.shape[2]
    for t, (ours_t, theirs_t) in enumerate(zip(our_cells, their_cells)):
        assert len(ours_t) == len(theirs_t) == 4 and ours_t[3] is parameters, f"cache {t}"
        for slot, (got, expected) in enumerate(zip(ours_t[:3], theirs_t[:3])):
            np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14, err_msg=f"cache {t}, slot {slot}")
    our_grads, their_grads = helpers["rnn_backward"](da, ours[2]), reference["rnn_backward"](da, theirs[2])
    assert list(our_grads) == list(their_grads) == ["dx", "da0", "dWax", "dWaa", "dba"]
    for key in their_grads:
        assert our_grads[key].shape == their_grads[key].shape, key
        np.testing.assert_allclose(our_grads[key], their_grads[key], rtol=1e-10, atol=1e-12, err_msg=key)


def test_its_rnn_backward_agrees_with_central_differences(helpers):
    x, a0, parameters, da = _rnn_inputs(4)

    def loss():
        return np.sum(da * helpers["rnn_forward"](x, a0, parameters)[0])

    gradients = helpers["rnn_backward"](da, helpers["rnn_forward"](x, a0, parameters)[2])
    targets = {"dx": x, "da0": a0, **{"d" + key: parameters[key] for key in ("Wax", "Waa", "ba")}}
    for key, target in targets.items():
        numeric = numerical_gradient(loss, target)
        np.testing.assert_allclose(gradients[key], numeric, rtol=1e-5, atol=1e-7, err_msg=key)


def test_the_corpus_is_one_clean_name_a_line():
    lines = (LM.source_dir / "lm_utils" / "dinosaurs.txt").read_text().splitlines()
    assert len(lines) > 1000 and lines == sorted(set(lines))
    assert all(re.fullmatch(r"[a-z]{2,}", line) for line in lines)


def test_the_alphabet_puts_end_first_and_a_shuffle_keeps_every_name(helpers):
    names = helpers["load_names"]()
    char_to_ix, ix_to_char = helpers["vocabulary"](names)
    assert char_to_ix["\n"] == 0 and len(char_to_ix) == 27 and ix_to_char[1] == "a"
    assert sorted(helpers["load_names"](shuffle_seed=1)) == names != helpers["load_names"](shuffle_seed=1)
    assert helpers["decode"]([20, 18, 5, 24, 0], ix_to_char) == "Trex"


def test_one_hot_initialisation_and_the_update_in_place(helpers):
    x = helpers["one_hot"]([0, 2, 2], 4)
    assert x.shape == (4, 1, 3) and x.sum() == 3 and x[2, 0, 1] == x[2, 0, 2] == x[0, 0, 0] == 1
    parameters = helpers["initialize_parameters"](5, 4, 4, seed=1)
    assert {key: value.shape for key, value in parameters.items()} == {
        "Wax": (5, 4), "Waa": (5, 5), "Wya": (4, 5), "ba": (5, 1), "by": (4, 1)}
    assert not parameters["ba"].any() and 0 < np.abs(parameters["Wax"]).max() < 0.1
    arrays = {key: value for key, value in parameters.items()}
    before = {key: value.copy() for key, value in parameters.items()}
    gradients = {"d" + key: np.ones_like(value) for key, value in parameters.items()}
    helpers["update_parameters"](parameters, gradients, 0.5)
    for key, value in parameters.items():
        assert value is arrays[key], f"{key} must be updated in place"
        np.testing.assert_allclose(value, before[key] - 0.5, rtol=0, atol=1e-15, err_msg=key)

"""The reference solutions of the instructor notebook reproduce the course's numbers and
their gradients agree with central differences of the forward pass."""
import numpy as np
import pytest

from course_tools.demo import demo_inputs
from tests.support.markers import QUICK
from tests.support.rnn_assignment import EXERCISES, RNN

pytestmark = QUICK

# The numbers learners see (facts.md), with the index each one is printed at.
FACTS = {
    "rnn_cell_forward": {
        ("a_next", (4,)): [0.59584544, 0.18141802, 0.61311866, 0.99808218, 0.85016201, 0.99980978, -0.18887155,
                           0.99815551, 0.6531151, 0.82872037],
        ("yt_pred", (1,)): [0.9888161, 0.01682021, 0.21140899, 0.36817467, 0.98988387, 0.88945212, 0.36920224,
                            0.9966312, 0.9982559, 0.17746526],
    },
    "rnn_forward": {
        ("a", (4, 1)): [-0.99999375, 0.77911235, -0.99861469, -0.99833267],
        ("y_pred", (1, 3)): [0.79560373, 0.86224861, 0.11118257, 0.81515947],
        ("x", (1, 3)): [-1.1425182, -0.34934272, -0.20889423, 0.58662319],  # caches[1][1][3] is x[1][3]
    },
    "lstm_cell_forward": {
        ("a_next", (4,)): [-0.66408471, 0.0036921, 0.02088357, 0.22834167, -0.85575339, 0.00138482, 0.76566531,
                           0.34631421, -0.00215674, 0.43827275],
        ("c_next", (2,)): [0.63267805, 1.00570849, 0.35504474, 0.20690913, -1.64566718, 0.11832942, 0.76449811,
                           -0.0981561, -0.74348425, -0.26810932],
        ("yt_pred", (1,)): [0.79913913, 0.15986619, 0.22412122, 0.15606108, 0.97057211, 0.31146381, 0.00943007,
                            0.12666353, 0.39380172, 0.07828381],
        ("c_next", (3,)): [-0.16263996, 1.03729328, 0.72938082, -0.54101719, 0.02752074, -0.30821874, 0.07651101,
                           -1.03752894, 1.41219977, -0.37647422],  # cache[1][3] is c_next[3]
    },
    "lstm_forward": {
        ("a", (4, 3, 6)): 0.172117767533,
        ("y", (1, 4, 3)): 0.950873461850,
        ("x", (1, 1)): [0.82797464, 0.23009474, 0.76201118, -0.22232814, -0.20075807, 0.18656139, 0.41005165],
        ("c", (1, 2, 1)): -0.855544916718,
    },
    "rnn_cell_backward": {
        ("dxt", (1, 2)): -1.3872130506, ("da_prev", (2, 3)): -0.152399493774, ("dWax", (3, 1)): 0.410772824935,
        ("dWaa", (1, 2)): 1.15034506685, ("dba", (4,)): [0.20023491],
    },
    "rnn_backward": {
        ("dx", (1, 2)): [-2.07101689, -0.59255627, 0.02466855, 0.01483317], ("da0", (2, 3)): -0.314942375127,
        ("dWax", (3, 1)): 11.2641044965, ("dWaa", (1, 2)): 2.30333312658, ("dba", (4,)): [-0.74747722],
    },
    "lstm_cell_backward": {
        ("dxt", (1, 2)): 3.23055911511, ("da_prev", (2, 3)): -0.0639621419711, ("dc_prev", (2, 3)): 0.797522038797,
        ("dWf", (3, 1)): -0.147954838164, ("dWi", (1, 2)): 1.05749805523, ("dWc", (3, 1)): 2.30456216369,
        ("dWo", (1, 2)): 0.331311595289, ("dbf", (4,)): [0.18864637], ("dbi", (4,)): [-0.40142491],
        ("dbc", (4,)): [0.25587763], ("dbo", (4,)): [0.13893342],
    },
    "lstm_backward": {
        ("dx", (1, 2)): [0.00218254, 0.28205375, -0.48292508, -0.43281115], ("da0", (2, 3)): 0.312770310257,
        ("dWf", (3, 1)): -0.0809802310938, ("dWi", (1, 2)): 0.40512433093, ("dWc", (3, 1)): -0.0793746735512,
        ("dWo", (1, 2)): 0.038948775763, ("dbf", (4,)): [-0.15745657], ("dbi", (4,)): [-0.50848333],
        ("dbc", (4,)): [-0.42510818], ("dbo", (4,)): [-0.17958196],
    },
}


def _case(inputs):
    return RNN.checks.Case("test", {key: value.copy() for key, value in inputs.items()})


def run_demo(reference, exercise):
    """Every input and output of the reference on the exercise's demo case, by name."""
    inputs = demo_inputs(RNN, exercise)
    return {**inputs, **RNN.instructor.OUTPUTS[exercise](reference, _case(inputs))}


@pytest.mark.parametrize("exercise", EXERCISES)
def test_reference_reproduces_the_course_numbers(reference, exercise):
    values = run_demo(reference, exercise)
    for (name, index), expected in FACTS[exercise].items():
        got = values[name][index]
        expected = np.asarray(expected)
        assert np.shape(got) == expected.shape, f"{exercise}: shape of {name}{list(index)}"
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-8, err_msg=f"{exercise}: {name}{list(index)}")


def test_lstm_forward_and_rnn_forward_cache_layout(reference):
    """The caches hold (list of cell caches, x) and each cell cache has the course's layout."""
    case = _case(demo_inputs(RNN, "lstm_forward"))
    a, y, c, caches = reference["lstm_forward"](case["x"], case["a0"], case.parameters())
    assert len(caches) == 2 and len(caches[0]) == 7 and len(caches[0][0]) == 10
    np.testing.assert_allclose(caches[1], case["x"], rtol=0, atol=0, err_msg="caches[1] is x")
    np.testing.assert_allclose(caches[0][3][1], c[:, :, 3], rtol=0, atol=0, err_msg="cache t holds c_next")
    case = _case(demo_inputs(RNN, "rnn_forward"))
    a, y, caches = reference["rnn_forward"](case["x"], case["a0"], case.parameters())
    assert len(caches[0]) == 4 and len(caches[0][0]) == 4
    np.testing.assert_allclose(caches[0][2][1], a[:, :, 1], rtol=0, atol=0, err_msg="cache t holds a_prev")


GRADIENT_KEYS = {
    "rnn_cell_backward": ("dxt", "da_prev", "dWax", "dWaa", "dba"),
    "rnn_backward": ("dx", "da0", "dWax", "dWaa", "dba"),
    "lstm_cell_backward": ("dxt", "da_prev", "dc_prev", "dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"),
    "lstm_backward": ("dx", "da0", "dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"),
}
SHAPES = {
    "course sizes": dict(n_x=3, n_a=5, n_y=2, m=10, T_x=4),
    "m = 1": dict(n_x=3, n_a=5, n_y=2, m=1, T_x=3),
    "T_x = 1": dict(n_x=3, n_a=5, n_y=2, m=4, T_x=1),
    "n_a > n_x": dict(n_x=2, n_a=6, n_y=3, m=3, T_x=3),
    "n_a < n_x, n_y = 1": dict(n_x=7, n_a=2, n_y=1, m=2, T_x=5),
    "da shorter than x": dict(n_x=3, n_a=4, n_y=2, m=3, T_x=6, T_back=3),
}


@pytest.mark.parametrize("exercise", GRADIENT_KEYS)
@pytest.mark.parametrize("shape_name", SHAPES)
def test_backward_matches_central_differences(reference, exercise, shape_name):
    """Every gradient of the reference backward pass agrees with central differences (float64)."""
    case = RNN.instructor.cases.shaped_case(exercise, seed=3, **SHAPES[shape_name])
    values = RNN.instructor.OUTPUTS[exercise](reference, _case(case))
    for key in GRADIENT_KEYS[exercise]:
        analytic, numeric = values[key], values["numeric." + key]
        assert analytic.shape == numeric.shape, f"{exercise} ({shape_name}): shape of {key}"
        scale = max(1.0, float(np.max(np.abs(numeric))))
        np.testing.assert_allclose(analytic, numeric, rtol=1e-7, atol=1e-8 * scale,
                                   err_msg=f"{exercise} ({shape_name}): {key} against central differences")

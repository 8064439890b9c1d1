"""The grader's codec: arrays and containers cross exactly; nothing that could run code does."""
import numpy as np
import pytest

from course_tools.sandboxed.codec import decode, dumps, encode, loads
from tests.support.markers import QUICK

pytestmark = QUICK


def roundtrip(value):
    return decode(loads(dumps(encode(value))))


@pytest.mark.parametrize("array", [
    np.arange(12, dtype=np.float64).reshape(3, 4) / 7,
    np.array([[1 + 2j]], dtype=np.complex128),
    np.arange(5, dtype=np.int32),
    np.array([True, False]),
    np.zeros((2, 0, 3)),
    np.asfortranarray(np.arange(6.0).reshape(2, 3)),
    np.arange(10.0)[::3],
])
def test_arrays_cross_exactly(array):
    got = roundtrip(array)
    assert got.shape == array.shape and got.dtype == array.dtype
    np.testing.assert_array_equal(got, array, err_msg="values changed on the way")
    assert got.flags.writeable


def test_containers_keep_their_kind():
    value = {"a": (np.ones(2), [1, 2.5, None, "x"]), 3: True}
    got = roundtrip(value)
    assert type(got["a"]) is tuple and type(got["a"][1]) is list and got[3] is True
    np.testing.assert_array_equal(got["a"][0], np.ones(2))


def test_object_arrays_and_unknown_types_become_named_markers():
    assert repr(roundtrip(np.array([object()]))) == "<numpy array of dtype object>"
    assert repr(roundtrip(lambda: 1)) == "<function>"


@pytest.mark.parametrize("message", [
    {"type": "array", "dtype": "O", "shape": [1], "data": ""},
    {"type": "array", "dtype": "not a dtype", "shape": [1], "data": ""},
    {"type": "array", "dtype": "<f8", "shape": [3], "data": "AAAA"},
    {"type": "array", "dtype": "<f8", "shape": [1]},
])
def test_a_malformed_array_message_is_reported_not_trusted(message):
    assert repr(decode(message)).startswith("<")

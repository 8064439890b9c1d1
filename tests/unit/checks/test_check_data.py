"""The committed check data of each assignment is what the generator builds from its source
notebook today."""
import zipfile

import numpy as np
import pytest

from course_tools import check_data
from tests.support.lm_assignment import LM
from tests.support.rnn_assignment import RNN

ASSIGNMENTS = pytest.mark.parametrize("assignment", [RNN, LM], ids=lambda assignment: assignment.id)


@ASSIGNMENTS
def test_committed_check_data_is_in_sync_with_the_reference(assignment):
    fresh = check_data.build(assignment)
    with np.load(assignment.check_data_path, allow_pickle=False) as committed:
        assert sorted(committed.files) == sorted(fresh), "the set of stored arrays changed: rerun the generator"
        for key, value in fresh.items():
            stored = committed[key]
            assert stored.shape == value.shape, f"{key}: shape"
            # central differences amplify rounding, so they get a looser bound than exact values
            atol = 1e-9 if "/numeric." in key else 1e-12
            np.testing.assert_allclose(stored, value, rtol=1e-10, atol=atol,
                                       err_msg=f"{key}: rerun python -m course_tools.check_data")


@ASSIGNMENTS
def test_check_data_holds_plain_arrays_for_every_exercise(assignment):
    with zipfile.ZipFile(assignment.check_data_path) as archive:
        names = archive.namelist()
    assert all(name.endswith(".npy") for name in names)
    for exercise in assignment.exercises:
        cases = {name.split("/")[1] for name in names if name.startswith(exercise + "/")}
        assert {"demo", "sizes"} <= cases, f"{exercise}: cases {cases}"
    with np.load(assignment.check_data_path, allow_pickle=False) as data:  # loads without pickle: numbers only
        assert all(data[key].dtype == np.float64 for key in data.files)


@ASSIGNMENTS
def test_rebuild_is_byte_identical(assignment):
    assert check_data.serialise(check_data.build(assignment)) == check_data.serialise(check_data.build(assignment))


def test_the_demo_records_numbers_index_lists_and_names():
    """The language model's demos pass a seed, a learning rate, index lists and a list of names:
    each is recorded, as an array, under its parameter's name."""
    from course_tools.demo import demo_inputs

    optimize = demo_inputs(LM, "optimize")
    assert optimize["X"].tolist() == [0, 20, 18, 5, 24] and optimize["learning_rate"].shape == ()
    model = demo_inputs(LM, "model")
    assert LM.checks.Case("demo", model).texts("names") == ["sue", "rex", "ava"]
    assert float(demo_inputs(LM, "sample")["seed"]) == 2

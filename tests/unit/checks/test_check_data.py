"""The committed check data is what the generator builds from the source notebook today."""
import zipfile

import numpy as np

from course_tools import check_data
from tests.support.rnn_assignment import CHECK_DATA, EXERCISES, RNN


def test_committed_check_data_is_in_sync_with_the_reference():
    fresh = check_data.build(RNN)
    with np.load(CHECK_DATA, allow_pickle=False) as committed:
        assert sorted(committed.files) == sorted(fresh), "the set of stored arrays changed: rerun the generator"
        for key, value in fresh.items():
            stored = committed[key]
            assert stored.shape == value.shape, f"{key}: shape"
            # central differences amplify rounding, so they get a looser bound than exact values
            atol = 1e-9 if "/numeric." in key else 1e-12
            np.testing.assert_allclose(stored, value, rtol=1e-10, atol=atol,
                                       err_msg=f"{key}: rerun python -m course_tools.check_data")


def test_check_data_holds_plain_arrays_for_every_exercise():
    with zipfile.ZipFile(CHECK_DATA) as archive:
        names = archive.namelist()
    assert all(name.endswith(".npy") for name in names)
    for exercise in EXERCISES:
        cases = {name.split("/")[1] for name in names if name.startswith(exercise + "/")}
        assert {"demo", "sizes"} <= cases, f"{exercise}: cases {cases}"
    with np.load(CHECK_DATA, allow_pickle=False) as data:  # loads without pickle: numbers only
        assert all(data[key].dtype == np.float64 for key in data.files)


def test_rebuild_is_byte_identical():
    assert check_data.serialise(check_data.build(RNN)) == check_data.serialise(check_data.build(RNN))

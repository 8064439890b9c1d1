"""An assignment as the engine reads it from its folder (course_tools/assignment.py)."""
import shutil
import sys

import nbformat
import numpy as np
import pytest

from course_tools.assignment import ROOT, load_assignment
from course_tools.demo import demo_inputs
from course_tools.reference import load_reference
from tests.support.expected import POINTS
from tests.support.markers import QUICK
from tests.support.rnn_assignment import ASSIGNMENT, EXERCISES, RNN, SOURCE_DIR

pytestmark = QUICK


def test_exercises_and_points_come_from_the_notebooks_metadata():
    assert RNN.exercises == tuple(POINTS), "the course's eight exercises, in order"
    assert RNN.points == {name: float(points) for name, points in POINTS.items()}, "the course's points"
    assert RNN.exercise_of("lstm_cell_forward_test") == "lstm_cell_forward"
    assert RNN.exercise_of("rnn_forward_test") == "rnn_forward", "the longest name that fits"
    assert RNN.exercise_of("setup") is None and RNN.exercise_of("rnn_types_many_to_one") is None


def test_one_course_folder_is_one_assignment_however_it_is_written():
    assert load_assignment(ASSIGNMENT) is load_assignment(ASSIGNMENT, str(ROOT)) is load_assignment(ASSIGNMENT, ROOT / ".")
    with pytest.raises(ValueError, match="course_root"):
        load_assignment(ASSIGNMENT, "")
    with pytest.raises(LookupError, match="no assignment 'nothing_here'"):
        load_assignment("nothing_here")


def test_the_checks_load_under_a_name_of_their_own_and_match_the_notebook():
    assert RNN.checks.__name__.startswith("course_assignment_rnn_step_by_step_")
    assert tuple(RNN.checks.EXERCISES) == EXERCISES
    assert RNN.instructor_module("figures").IMAGES == SOURCE_DIR / "images"


def test_while_its_code_runs_public_tests_names_its_checks_and_then_nothing_is_left_over():
    path_before, modules_before = list(sys.path), {name: sys.modules.get(name) for name in ("public_tests",)}
    with RNN.importable():
        import public_tests
        import public_tests.compare

        assert public_tests is RNN.checks and public_tests.compare is RNN.checks.compare
        assert sys.path[0] == str(SOURCE_DIR)
    assert sys.path == path_before
    assert {name: sys.modules.get(name) for name in modules_before} == modules_before


def _copy_with(tmp_path, edit):
    """A course holding a copy of the RNN assignment whose notebook ``edit`` changed."""
    folder = tmp_path / "source" / ASSIGNMENT
    shutil.copytree(SOURCE_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    nb = nbformat.read(str(folder / f"{ASSIGNMENT}.ipynb"), as_version=4)
    edit(nb)
    nbformat.write(nb, str(folder / f"{ASSIGNMENT}.ipynb"))
    return load_assignment(ASSIGNMENT, tmp_path)


def test_a_grade_cell_outside_the_exercises_is_refused(tmp_path):
    def add_stray_grade_cell(nb):
        cell = nbformat.v4.new_code_cell("assert True")
        cell.metadata["nbgrader"] = {"grade": True, "grade_id": "bonus", "locked": True, "points": 5,
                                     "schema_version": 3, "solution": False, "task": False}
        nb.cells.append(cell)

    with pytest.raises(ValueError, match=r"\['bonus'\] belong to no exercise"):
        _copy_with(tmp_path, add_stray_grade_cell).exercises


def test_a_copy_of_an_assignment_elsewhere_is_loaded_on_its_own(tmp_path):
    copy = _copy_with(tmp_path, lambda nb: None)
    assert copy.checks is not RNN.checks and copy.checks.__name__ != RNN.checks.__name__
    assert copy.exercises == RNN.exercises


def test_the_demo_case_is_recorded_from_the_demo_cell():
    inputs = demo_inputs(RNN, "rnn_cell_backward")  # draws Wax before Waa, then da_next after the forward step
    assert sorted(inputs) == ["a_prev", "da_next", "param.Waa", "param.Wax", "param.Wya", "param.ba", "param.by",
                              "xt"]
    with np.load(RNN.check_data_path) as data:
        for name, value in inputs.items():
            stored = data[f"rnn_cell_backward/demo/{name}"]
            assert stored.shape == value.shape, name
            np.testing.assert_array_equal(stored, value, err_msg=name)


def test_the_reference_functions_come_from_the_solution_cells():
    reference = load_reference(RNN)
    assert sorted(reference) == sorted(EXERCISES)
    assert all(function.__code__.co_filename.startswith(f"<{ASSIGNMENT} {name} #") for name, function in reference.items())

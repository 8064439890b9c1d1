"""The kit's nbgrader preprocessors on their own, on small notebooks, without a course run
(course_tools/grading/nbgrader_plugins.py). HaltingExecute has its own tests (test_kernels.py);
the CSV export and the whole chain are tested by real runs (tests/e2e)."""
import copy

import nbformat
import pytest
from traitlets.config import Config

from course_tools.grading.hidden import hidden_cases
from course_tools.grading.nbgrader_plugins import (DropDuplicateIds, JudgeExercises, PrepareGrading,
                                                   RestoreMissingCells, TolerantNotebookExporter)
from tests.support.markers import QUICK
from tests.support.rnn_assignment import ASSIGNMENT, EXERCISES, RELEASE_DIR, RNN, ROOT, filled
from tests.support.sandboxing import course_confinement

pytestmark = QUICK
RELEASE_NOTEBOOK = RELEASE_DIR / f"{ASSIGNMENT}.ipynb"


def _resources(folder=RELEASE_DIR):
    return {"nbgrader": {"assignment": ASSIGNMENT, "notebook": ASSIGNMENT}, "metadata": {"path": str(folder)}}


def _grade_ids(nb):
    return [cell.metadata["nbgrader"]["grade_id"] for cell in nb.cells if "nbgrader" in cell.metadata]


def test_an_unreadable_file_is_graded_as_the_release_with_a_note(tmp_path):
    folder = tmp_path / ASSIGNMENT
    folder.mkdir()
    broken = folder / f"{ASSIGNMENT}.ipynb"
    broken.write_text('{"cells": [')
    exporter = TolerantNotebookExporter(release_root=str(RELEASE_DIR.parent))
    text, resources = exporter.from_filename(str(broken))
    nb = nbformat.reads(text, as_version=4)
    assert nb.cells[0].source.startswith("**This notebook file could not be read** (")
    assert _grade_ids(nb) == _grade_ids(nbformat.read(str(RELEASE_NOTEBOOK), as_version=4))
    assert resources["metadata"] == {"name": ASSIGNMENT, "path": str(folder)}
    assert broken.read_text() == '{"cells": [', "the learner's file is kept as it is"


def test_a_copied_grade_cell_loses_its_grading_role_and_the_last_copy_keeps_it():
    nb = nbformat.read(str(RELEASE_NOTEBOOK), as_version=4)
    test_cell = next(i for i, c in enumerate(nb.cells) if _grade_ids_of(c) == "rnn_forward_test")
    nb.cells.insert(test_cell, copy.deepcopy(nb.cells[test_cell]))  # the learner copied the check cell
    foreign = nbformat.v4.new_code_cell("x = 1")
    foreign.metadata["nbgrader"] = {"grade_id": "elsewhere", "schema_version": 1, "grade": True}
    nb.cells.append(foreign)
    nb, _ = DropDuplicateIds().preprocess(nb, _resources())
    assert _grade_ids(nb).count("rnn_forward_test") == 1
    assert "nbgrader" not in nb.cells[test_cell].metadata and "nbgrader" in nb.cells[test_cell + 1].metadata
    assert "nbgrader" not in nb.cells[-1].metadata, "metadata of another schema version"


def _grade_ids_of(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def test_deleted_locked_and_graded_cells_come_back_in_their_place():
    release = nbformat.read(str(RELEASE_NOTEBOOK), as_version=4)
    nb = copy.deepcopy(release)
    gone = {"setup", "rnn_forward_demo", "rnn_forward_test", "where_you_stand"}
    nb.cells = [cell for cell in nb.cells if _grade_ids_of(cell) not in gone]
    nb, _ = RestoreMissingCells(release_root=str(RELEASE_DIR.parent)).preprocess(nb, _resources())
    assert _grade_ids(nb) == _grade_ids(release)


def test_prepare_grading_computes_the_hidden_cases_of_the_graded_assignment():
    hidden_cases.cache_clear()
    nb = nbformat.read(str(RELEASE_NOTEBOOK), as_version=4)
    prepare = PrepareGrading(config=Config(course_confinement().config), course_root=str(ROOT))
    assert prepare.preprocess(nb, _resources()) == (nb, _resources())
    assert hidden_cases.cache_info().currsize == len(EXERCISES)
    assert all(len(hidden_cases(RNN, name)) == 4 for name in EXERCISES)


@pytest.fixture(scope="module")
def judged(tmp_path_factory, solutions):
    """The release with the two RNN forward passes answered, one of them wrong, judged."""
    folder = tmp_path_factory.mktemp("judged") / ASSIGNMENT
    folder.mkdir()
    wrong = solutions["rnn_forward"].replace("a[:, :, t] = a_t", "a[:, :, t] = a_t * 2")
    nb = filled({"rnn_cell_forward": solutions["rnn_cell_forward"], "rnn_forward": wrong})
    for name in ("public_tests", "rnn_utils"):  # the submission's folder, as nbgrader prepares it
        (folder / name).symlink_to(RELEASE_DIR / name)
    for cell in nb.cells:  # the kernel run left an error in every check cell
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.outputs = [nbformat.v4.new_output("error", ename="NameError", evalue="x", traceback=["x"])]
    judge = JudgeExercises(config=Config(course_confinement().config), course_root=str(ROOT), call_seconds=5)
    nb, _ = judge.preprocess(nb, _resources(folder))
    return {_grade_ids_of(cell): cell.outputs for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("grade")}


def test_a_right_exercise_gets_a_graded_note_in_place_of_the_errors(judged):
    [note] = judged["rnn_cell_forward_test"]
    assert note.output_type == "stream" and note.name == "stdout"
    assert note.text.startswith("Graded: rnn_cell_forward: all 6 input sets passed, hidden ones included.")


def test_a_wrong_exercise_gets_its_message_in_short_lines(judged):
    [error] = judged["rnn_forward_test"]
    assert error.output_type == "error" and error.ename == "CheckFailure"
    assert error.evalue.startswith("Graded: rnn_forward") and error.traceback[0].startswith("Graded: rnn_forward")
    assert all(len(line) <= 78 for line in error.traceback), error.traceback


def test_an_exercise_not_answered_fails_with_its_name(judged):
    [error] = judged["lstm_cell_forward_test"]
    assert error.output_type == "error" and "lstm_cell_forward" in error.evalue

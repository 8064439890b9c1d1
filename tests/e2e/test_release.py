"""Each committed release is exactly what nbgrader generates, and carries no solution."""
import filecmp
from pathlib import Path

import nbformat
import pytest

from tests.support.lm_assignment import LM
from tests.support.markers import GRADED_COURSE, QUICK
from tests.support.notebooks import solution_lines
from tests.support.rnn_assignment import RNN

ASSIGNMENTS = pytest.mark.parametrize("assignment", [RNN, LM], ids=lambda assignment: assignment.id)
HELPERS = {RNN.id: ("rnn_utils", "public_tests"), LM.id: ("lm_utils", "public_tests")}


def files_under(folder):
    return sorted(p.relative_to(folder).as_posix() for p in Path(folder).rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


@GRADED_COURSE
@ASSIGNMENTS
def test_committed_release_equals_a_fresh_generate_assignment(course_run, assignment):
    fresh, committed = course_run.kit_root / "release" / assignment.id, assignment.release_dir
    assert files_under(fresh) == files_under(committed), "regenerate the release with nbgrader generate_assignment"
    for name in files_under(fresh):
        assert filecmp.cmp(fresh / name, committed / name, shallow=False), f"release/{assignment.id}/{name} is stale"


@ASSIGNMENTS
def test_release_carries_the_helpers_of_the_source(assignment):
    """The checks' machinery, linked from another assignment in the source, is a plain file in
    the release, with the same content."""
    for package in HELPERS[assignment.id]:
        source_files = files_under(assignment.source_dir / package)
        assert source_files and source_files == files_under(assignment.release_dir / package)
        for name in source_files:
            released = assignment.release_dir / package / name
            assert not released.is_symlink(), f"{released} is a link"
            assert filecmp.cmp(assignment.source_dir / package / name, released, shallow=False), name


@QUICK
@ASSIGNMENTS
def test_release_holds_no_solution_code(assignment):
    lines = solution_lines(assignment.solution_sources())
    assert len(lines) > 20, "the solution cells should be found"
    release = assignment.release_dir
    nb = nbformat.read(str(release / f"{assignment.id}.ipynb"), as_version=4)
    texts = {f"cell {c.metadata.get('nbgrader', {}).get('grade_id', i)}": c.source for i, c in enumerate(nb.cells)}
    texts.update({name: (release / name).read_text() for name in files_under(release) if name.endswith(".py")})
    for where, text in texts.items():
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text, where
        leaked = [line for line in lines if line in text]
        assert not leaked, f"{where} contains solution code: {leaked[:3]}"
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            assert "raise NotImplementedError()" in cell.source


@QUICK
def test_the_language_models_release_holds_no_line_of_the_first_assignments_solutions():
    """lm_utils gives learners a working RNN with the first assignment's API, written its own
    way: no solution line of the first assignment is in the second's release."""
    lines = solution_lines(RNN.solution_sources())
    texts = {name: (LM.release_dir / name).read_text() for name in files_under(LM.release_dir)
             if name.endswith((".py", ".ipynb"))}
    leaked = {name: [line for line in lines if line in text] for name, text in texts.items()}
    assert not any(leaked.values()), {name: found[:3] for name, found in leaked.items() if found}

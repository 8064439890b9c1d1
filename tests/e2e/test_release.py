"""The committed release is exactly what nbgrader generates, and carries no solution."""
import filecmp
from pathlib import Path

import nbformat

from tests.support.markers import GRADED_COURSE, QUICK
from tests.support.notebooks import solution_lines
from tests.support.rnn_assignment import ASSIGNMENT, RELEASE_DIR, SOURCE_DIR


def files_under(folder):
    return sorted(p.relative_to(folder).as_posix() for p in Path(folder).rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


@GRADED_COURSE
def test_committed_release_equals_a_fresh_generate_assignment(course_run):
    fresh = course_run.kit_root / "release" / ASSIGNMENT
    assert files_under(fresh) == files_under(RELEASE_DIR), "regenerate the release with nbgrader generate_assignment"
    for name in files_under(fresh):
        assert filecmp.cmp(fresh / name, RELEASE_DIR / name, shallow=False), f"release/{ASSIGNMENT}/{name} is stale"


def test_release_carries_the_helpers_of_the_source():
    for package in ("rnn_utils", "public_tests"):
        source_files = files_under(SOURCE_DIR / package)
        assert source_files and source_files == files_under(RELEASE_DIR / package)


@QUICK
def test_release_holds_no_solution_code(solutions):
    lines = solution_lines(solutions)
    assert len(lines) > 60, "the solution cells should be found"
    nb = nbformat.read(str(RELEASE_DIR / f"{ASSIGNMENT}.ipynb"), as_version=4)
    texts = {f"cell {c.metadata.get('nbgrader', {}).get('grade_id', i)}": c.source for i, c in enumerate(nb.cells)}
    texts.update({name: (RELEASE_DIR / name).read_text() for name in files_under(RELEASE_DIR) if name.endswith(".py")})
    for where, text in texts.items():
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text, where
        leaked = [line for line in lines if line in text]
        assert not leaked, f"{where} contains solution code: {leaked[:3]}"
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            assert "raise NotImplementedError()" in cell.source

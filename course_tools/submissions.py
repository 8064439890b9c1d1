"""Build submission notebooks the way a learner would: the release with answers typed in."""
import ast
import shutil
from pathlib import Path

import nbformat


def answers_from_file(path, exercises):
    """Read a learner's answers from a Python file: each top-level ``def`` named after one of
    the ``exercises`` becomes that exercise's solution cell, comments and all."""
    text = Path(path).read_text()
    lines = text.splitlines()
    answers = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef) and node.name in exercises:
            answers[node.name] = "\n".join(lines[node.lineno - 1:node.end_lineno])
    return answers


def fill_release(answers, release_notebook):
    """The release notebook with the solution cell of each answered exercise replaced."""
    return fill_notebook(nbformat.read(str(release_notebook), as_version=4), answers)


def fill_notebook(nb, answers):
    """Type answers into a released notebook (changed in place and returned): each answered
    exercise's solution cell gets the answer as its source."""
    unused = set(answers)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in answers:
            cell.source = answers[grade_id]
            unused.discard(grade_id)
    if unused:
        raise ValueError(f"the release has no solution cell for {', '.join(sorted(unused))}")
    return nb


def submit(course_root, student, release_dir, notebook=None):
    """Place a submission of the assignment released in ``release_dir`` (named after the
    assignment) under ``submitted/<student>/<assignment>/`` of a course directory.

    Like a learner's folder, it holds everything the release holds; ``notebook`` (a notebook
    node) replaces the release notebook, and None leaves it untouched. Returns the folder.
    """
    assignment_id = Path(release_dir).name
    folder = Path(course_root) / "submitted" / student / assignment_id
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(release_dir, folder)
    if notebook is not None:
        nbformat.write(notebook, str(folder / f"{assignment_id}.ipynb"))
    return folder

"""The reference solutions, read from the solution cells of the instructor notebook.

The source notebook is the only place the solutions are written; everything that needs them
(the check-data generator, the tests) loads them from there.
"""
import nbformat
import numpy as np

from course_tools.layout import EXERCISES, SOURCE_NOTEBOOK
from rnn_utils import sigmoid, softmax


def solution_cells(notebook_path=SOURCE_NOTEBOOK):
    """Map each exercise name to the source of its solution cell."""
    nb = nbformat.read(str(notebook_path), as_version=4)
    cells = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") in EXERCISES:
            cells[meta["grade_id"]] = cell.source
    missing = [name for name in EXERCISES if name not in cells]
    if missing:
        raise ValueError(f"{notebook_path}: no solution cell for {', '.join(missing)}")
    return cells


def load_reference(notebook_path=SOURCE_NOTEBOOK):
    """Execute the solution cells and return a namespace holding the eight functions.

    The namespace is the one the notebook's setup cell provides (np, softmax, sigmoid), so
    the functions call each other exactly as they do in the notebook.
    """
    namespace = {"np": np, "softmax": softmax, "sigmoid": sigmoid}
    for name, source in solution_cells(notebook_path).items():
        exec(compile(source, f"<solution {name}>", "exec"), namespace)
    return {name: namespace[name] for name in EXERCISES}

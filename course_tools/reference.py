"""The reference solutions, read from the solution cells of the instructor notebook.

The source notebook is the only place the solutions are written; everything that needs them
(the check-data generator, the tests) loads them from there.
"""
import itertools
import linecache

import nbformat
import numpy as np

from course_tools.layout import EXERCISES, SOURCE_NOTEBOOK
from rnn_utils import sigmoid, softmax

_LOADS = itertools.count(1)  # numbers each load, so that linecache keeps every load's text


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


def load_functions(sources):
    """Execute solution-cell sources in one namespace, as a notebook kernel would, and return
    the eight functions by name.

    The namespace starts as the notebook's setup cell leaves it (np, softmax, sigmoid), so the
    functions call each other by name exactly as they do in the notebook. Each source is
    registered with ``linecache``, as IPython does with a cell, so a crash can quote its line.
    """
    namespace = {"np": np, "softmax": softmax, "sigmoid": sigmoid}
    load = next(_LOADS)
    for name, source in sources.items():
        filename = f"<solution {name} #{load}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), namespace)
    return {name: namespace[name] for name in EXERCISES}


def load_reference(notebook_path=SOURCE_NOTEBOOK):
    """The eight reference functions of the instructor notebook."""
    return load_functions(solution_cells(notebook_path))

"""The reference solutions, read from the solution cells of an assignment's source notebook.

The source notebook is the only place the solutions are written; everything that needs them
(the check-data generator, the hidden cases, the tests) loads them from there.
"""
import itertools
import linecache

_LOADS = itertools.count(1)  # numbers each load, so that linecache keeps every load's text


def load_functions(assignment, sources):
    """The exercises' functions by name, from solution-cell ``sources`` (see notebook_namespace)."""
    namespace = notebook_namespace(assignment, sources)
    return {name: namespace[name] for name in assignment.exercises}


def notebook_namespace(assignment, sources):
    """Execute the setup cell, then solution-cell sources, in one namespace, as a notebook
    kernel would, and return the namespace.

    The functions call each other and the helpers by name exactly as they do in the notebook.
    Each source is registered with ``linecache``, as IPython does with a cell, so a crash can
    quote its line.
    """
    load = next(_LOADS)
    namespace = {}
    assignment.load_packages()  # before the setup cell imports the checks
    with assignment.importable():
        for name, source in {"setup": assignment.cell_source("setup"), **sources}.items():
            filename = f"<{assignment.id} {name} #{load}>"
            linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
            exec(compile(source, filename, "exec"), namespace)
    return namespace


def load_reference(assignment):
    """The reference functions of an assignment's source notebook."""
    return load_functions(assignment, assignment.solution_sources())

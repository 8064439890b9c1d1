"""What to tell a learner whose function crashed: the line of their own code that raised, and,
for the crashes learners often meet, the likely cause.

The likely cause is only given when the line and the arrays it names show it for sure: a
weight matrix multiplied with ``*``, two arrays of one shape given to a matrix product (a
gradient missing its transpose, or a product meant entry by entry), an in-place ``+=`` into a
running total of another shape or of integers, the pair ``caches`` indexed as if it were the
list of cell caches.
"""
import linecache
import re

import numpy as np

from .report import CAUSE, WIDTH

_NAME = r"([A-Za-z_]\w*)(?:\.T)?"
_TIMES = re.compile(_NAME + r"\s*\*(?!\*)\s*" + _NAME + r"|np\.multiply\(\s*" + _NAME + r"\s*,\s*" + _NAME)
_MATMUL = re.compile(_NAME + r"\s*@\s*" + _NAME + r"|np\.dot\(\s*" + _NAME + r"\s*,\s*" + _NAME)
_TARGET = re.compile(r"^\s*([A-Za-z_]\w*)\s*(\+?=)(?!=)")


def _learner_frame(error, namespace):
    """The innermost frame of the traceback that runs the learner's own code (whose globals
    are ``namespace``), as (frame, line number), or None."""
    found = None
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_globals is namespace:
            found = tb.tb_frame, tb.tb_lineno
        tb = tb.tb_next
    return found


def _pairs(pattern, line):
    """The (left, right) operand names of each match of ``pattern`` on ``line``."""
    for match in pattern.finditer(line):
        names = [name for name in match.groups() if name]
        yield names[0], names[1]


def _array(variables, name):
    """The local numpy array called ``name``, or None."""
    value = variables.get(name)
    return value if type(value) is np.ndarray else None


def _cause(error, line, variables):
    """The likely cause of a crash on ``line``, or None when it is not clear."""
    text = str(error)
    target = _TARGET.match(line)
    if "could not be broadcast together" in text:
        for pair in _pairs(_TIMES, line):
            weights = [name for name in pair if name.startswith("W")]
            if weights and all(_array(variables, name) is not None for name in pair):
                weight, other = (pair[0], pair[1]) if pair[0] in weights else (pair[1], pair[0])
                return (f"{weight} is a weight matrix, shape {_array(variables, weight).shape}: it acts on "
                        f"{other} through a matrix product, `@` or np.dot, not `*` (which multiplies entry "
                        f"by entry).")
    if "not aligned" in text or "matmul" in text:
        for first, second in _pairs(_MATMUL, line):
            a, b = _array(variables, first), _array(variables, second)
            if a is None or b is None or a.shape != b.shape or len(set(a.shape)) == 1:
                continue
            if target and target.group(1).startswith("dW"):
                return (f"{first} and {second} both have shape {a.shape}: a weight gradient sums over the "
                        f"m examples, so the second factor of its product is transposed, {first} @ {second}.T.")
            return (f"{first} and {second} both have shape {a.shape}, and a matrix product (`@`, np.dot) "
                    f"cannot take them: to multiply them entry by entry, as a gate scales a state, use `*`.")
    if target and target.group(2) == "+=" and _array(variables, target.group(1)) is not None:
        name = target.group(1)
        total = _array(variables, name)
        if "non-broadcastable output operand" in text:
            column = " (a bias gradient is a column, (n_a, 1))" if name.startswith("db") else ""
            return (f"{name} has shape {total.shape}, and `+=` cannot give it another shape: create the "
                    f"running total with the shape of what is added to it{column}.")
        if "Cannot cast ufunc" in text and np.issubdtype(total.dtype, np.integer):
            return (f"{name} holds integers (dtype {total.dtype}): create it with np.zeros(shape) and no "
                    f"dtype, so that it holds floats.")
    caches = variables.get("caches")
    if isinstance(error, IndexError) and re.search(r"\bcaches\[", line) and isinstance(caches, (tuple, list)) \
            and len(caches) == 2:
        return "caches is the pair (list of cell caches, x): take each step's cache from the list, cell_caches[t]."
    return None


def crash_details(error, namespace):
    """Lines to add to the message about a crash: where in the learner's code it happened and,
    when it is clear, the likely cause. Empty when the crash is not in the learner's code."""
    found = _learner_frame(error, namespace)
    if found is None:
        return ""
    frame, number = found
    line = linecache.getline(frame.f_code.co_filename, number).strip()
    if not line:
        return ""
    name = frame.f_code.co_name
    where = "In your code" if name.startswith("<") else f"In your {name}"
    shown = line if len(line) <= WIDTH - 4 else line[:WIDTH - 5] + "…"
    details = f"\n{where}, line {number} of its cell:\n    {shown}"
    try:
        cause = _cause(error, line, frame.f_locals)
    except Exception:  # the learner's objects may misbehave; the location is enough then
        cause = None
    return details + (f"\n{CAUSE} {cause}" if cause else "")

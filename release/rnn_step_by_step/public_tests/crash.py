"""What to tell a learner whose function crashed: the line of their own code that raised, and,
for the crashes learners often meet, the likely cause.

The likely cause is only given when the line and the arrays it names show it for sure: a
weight matrix multiplied with ``*``, two arrays of the same shape given to a matrix product,
an in-place ``+=`` into a running total of the wrong shape.
"""
import linecache
import re

import numpy as np

_PRODUCT = r"([A-Za-z_]\w*)\s*{op}\s*([A-Za-z_]\w*)"
_TIMES = re.compile(_PRODUCT.format(op=r"\*(?!\*)"))
_MATMUL = re.compile(_PRODUCT.format(op="@"))
_DOT = re.compile(r"np\.dot\(\s*([A-Za-z_]\w*)\s*,\s*([A-Za-z_]\w*)\s*\)")
_ADD_INTO = re.compile(r"^\s*([A-Za-z_]\w*)\s*\+=")


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


def _shape(variables, name):
    """The shape of the local array ``name``, or None."""
    value = variables.get(name)
    return value.shape if type(value) is np.ndarray else None


def _cause(error, line, variables):
    """The likely cause of a crash on ``line``, or None when it is not clear."""
    text = str(error)
    if "could not be broadcast together" in text:
        for pair in _TIMES.findall(line):
            weights = [name for name in pair if name.startswith("W") and _shape(variables, name)]
            if weights and all(_shape(variables, name) for name in pair):
                weight = weights[0]
                other = pair[1] if pair[0] == weight else pair[0]
                return (f"{weight} is a weight matrix, shape {_shape(variables, weight)}: it acts on {other} "
                        f"through a matrix product, `@` or np.dot, not `*` (which multiplies entry by entry).")
    if "not aligned" in text or "matmul" in text:
        for first, second in _MATMUL.findall(line) + _DOT.findall(line):
            shape = _shape(variables, first)
            if shape is not None and shape == _shape(variables, second) and len(set(shape)) > 1:
                return (f"{first} and {second} both have shape {shape}, and a matrix product (`@`, np.dot) "
                        f"cannot take them: to multiply them entry by entry, as a gate scales a state, use `*`.")
    if "non-broadcastable output operand" in text:
        total = _ADD_INTO.match(line)
        if total and _shape(variables, total.group(1)) is not None:
            name = total.group(1)
            return (f"{name} has shape {_shape(variables, name)}, and `+=` cannot give it another shape: "
                    f"create the running total with the shape of what is added to it "
                    f"(a bias gradient is a column, (n_a, 1)).")
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
    details = f"\nIn your {frame.f_code.co_name}, line {number} of its cell:\n    {line}"
    try:
        cause = _cause(error, line, frame.f_locals)
    except Exception:  # the learner's objects may misbehave; the location is enough then
        cause = None
    return details + (f"\nLikely cause: {cause}" if cause else "")

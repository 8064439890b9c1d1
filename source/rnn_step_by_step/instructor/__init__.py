"""What the grading engine needs to know about this assignment beyond its notebook and its
checks; it never ships (``CourseDirectory.ignore`` keeps it out of the release and of every
grading copy). See docs/adding-an-assignment.md for what each name must be.

- ``visible_inputs(exercise)`` and ``hidden_inputs(exercise)``: the cases besides the demo
  (whose inputs the engine records from the notebook's demo cell);
- ``OUTPUTS[exercise](reference, case)``: the arrays a check compares against;
- ``MISTAKES``: the known mistakes, recognised by the hints of the same name.
"""
from .cases import hidden_inputs, visible_inputs
from .mistakes import MISTAKES
from .outputs import OUTPUTS

__all__ = ["MISTAKES", "OUTPUTS", "hidden_inputs", "visible_inputs"]

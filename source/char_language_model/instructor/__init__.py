"""What the grading engine needs to know about this assignment beyond its notebook and its
checks; it never ships. See docs/adding-an-assignment.md for what each name must be.

- ``visible_inputs(exercise)`` and ``hidden_inputs(exercise)``: the cases besides the demo;
- ``OUTPUTS[exercise](reference, case)``: the arrays a check compares against;
- ``MISTAKES``: the known mistakes, recognised by the hints of the same name.
"""
from .cases import hidden_inputs, visible_inputs
from .mistakes import MISTAKES
from .outputs import OUTPUTS

__all__ = ["MISTAKES", "OUTPUTS", "hidden_inputs", "visible_inputs"]

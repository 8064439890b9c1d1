"""A known mistake: an edit of a reference solution cell that learners really make.

An assignment lists its mistakes in ``instructor/mistakes.py`` (they quote solution code, so
they never ship); the check-data generator runs each one on every case and stores what it
returns, so that a check that fails can recognise the mistake and name its likely cause with
the sentence of the same name in the assignment's ``public_tests/hints.py``.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Mistake:
    exercise: str
    name: str
    old: str
    new: str

    def apply(self, sources):
        """The solution sources with this mistake made in the function's code (not its
        docstring); fails if the reference text moved."""
        source = sources[self.exercise]
        body = source.index('"""', source.index('"""') + 3) + 3  # just after the docstring
        code = source[body:]
        if self.old not in code:
            raise ValueError(f"mistake {self.name}: {self.old!r} is not in the {self.exercise} solution")
        return {**sources, self.exercise: source[:body] + code.replace(self.old, self.new)}


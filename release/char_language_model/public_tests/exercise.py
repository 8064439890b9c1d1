"""What a check is made of, and the loop that runs the visible checks in the notebook.

Each exercise is described once by an :class:`Exercise`: how to build its arguments from a
case, which cell function a stand-in replaces while it runs, and how to judge what it
returned. The notebook's check runs the learner's function and judges the result in the
same process; the instructor's grader runs it in a separate process and judges here.
"""
from .compare import CheckFailure, matches
from .data import load_cases
from .hints import HINTS
from .report import CAUSE
from .running import call, note_if_own_differs, passed, standing_in


class Exercise:
    """One graded function.

    Parameters
    ----------
    name : str
        The function's name, e.g. "rnn_forward".
    arg_names : tuple of str
        Names of its arguments, for messages.
    arguments : callable(case) -> tuple
        The arguments to call it with on one case.
    judge : callable(case, args, result)
        Raises CheckFailure if ``result`` is wrong for this case.
    outputs : tuple of str
        Names of the values it returns (in order for a tuple, keys for a dict) that a known
        mistake can be recognised by.
    cell : str or None
        The cell function a sequence function calls by name, replaced by a stand-in.
    stand_in : callable(case, args) -> callable, optional
        Builds the stand-in for ``cell`` on one case.
    cell_probe : callable(case, args) -> (tuple, object), optional
        Arguments for the learner's own cell function and what it should return, to tell
        the learner when it is wrong although this exercise passed.
    in_place : tuple of str
        Names of the arguments the function is meant to change in place (its judge sees them
        as the call left them); any other argument changed in place fails the check.
    outputs_of : callable(result) -> dict, optional
        The returned values by name, for a function whose result is not a tuple or dict of
        arrays (a list of indices, a float loss): each becomes an array named in ``outputs``.
    """

    def __init__(self, name, arg_names, arguments, judge, outputs, cell=None, stand_in=None, cell_probe=None,
                 in_place=(), outputs_of=None):
        self.name, self.arg_names, self.arguments, self.judge = name, arg_names, arguments, judge
        self.outputs, self.cell, self.stand_in, self.cell_probe = outputs, cell, stand_in, cell_probe
        self.in_place, self.outputs_of = in_place, outputs_of

    def stand_in_on(self, case, args):
        """The stand-in for the cell function on one case, or None if there is no cell."""
        return self.stand_in(case, args) if self.cell else None

    def named_outputs(self, result):
        """The returned values by name, as far as ``result`` has them: a dict's by key, a
        tuple's in order, or the one value a function with a single output returns (or what
        ``outputs_of`` makes of it; nothing if the result is not what it expects)."""
        if self.outputs_of is not None:
            try:
                return self.outputs_of(result)
            except Exception:
                return {}
        if isinstance(result, dict):
            return {name: result[name] for name in self.outputs if name in result}
        if isinstance(result, (tuple, list)):
            return dict(zip(self.outputs, result))
        return {self.outputs[0]: result} if len(self.outputs) == 1 else {}

    def diagnose(self, case, result):
        """The likely cause of a wrong result: the hint of the known mistake whose outputs on
        this case the result reproduces exactly (its stored wrong values, and the right values
        everywhere else), or None."""
        got = self.named_outputs(result)
        for mistake, hint in HINTS.items():
            prefix = f"mistake.{mistake}."
            fingerprint = {key[len(prefix):]: value for key, value in case.items() if key.startswith(prefix)}
            if fingerprint and all(name in got and matches(got[name], fingerprint[name] if name in fingerprint
                                                           else case[name])
                                   for name in self.outputs if name in fingerprint or name in case):
                return hint
        return None

    def assess(self, case, args, result):
        """Judge one result; a failure names the likely cause when it is a known mistake."""
        try:
            self.judge(case, args, result)
        except CheckFailure as failure:
            hint = self.diagnose(case, result)
            if hint is None:
                raise
            raise CheckFailure(f"{failure} {CAUSE} {hint}") from None

    def check(self, target, cases=None):
        """Run ``target`` on every case and judge it; print one line when all is right."""
        cases = load_cases(self.name) if cases is None else cases
        own_cell = None
        for case in cases:
            args = self.arguments(case)
            with standing_in(target, self.cell, self.stand_in_on(case, args)) as own_cell:
                result = call(self.name, case, target, *args, names=self.arg_names, in_place=self.in_place)
            self.assess(case, args, result)
        passed(self.name, cases)
        if self.cell_probe is not None:
            probe_args, expected = self.cell_probe(case, self.arguments(case))
            note_if_own_differs(self.name, self.cell, own_cell, probe_args, expected)

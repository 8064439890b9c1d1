"""What a check is made of, and the loop that runs the visible checks in the notebook.

Each exercise is described once by an :class:`Exercise`: how to build its arguments from a
case, which cell function a stand-in replaces while it runs, and how to judge what it
returned. The notebook's check runs the learner's function and judges the result in the
same process; the instructor's grader runs it in a separate process and judges here.
"""
from public_tests.data import load_cases
from public_tests.running import call, note_if_own_differs, passed, standing_in


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
    cell : str or None
        The cell function a sequence function calls by name, replaced by a stand-in.
    stand_in : callable(case, args) -> callable, optional
        Builds the stand-in for ``cell`` on one case.
    cell_probe : callable(case, args) -> (tuple, object), optional
        Arguments for the learner's own cell function and what it should return, to tell
        the learner when it is wrong although this exercise passed.
    """

    def __init__(self, name, arg_names, arguments, judge, cell=None, stand_in=None, cell_probe=None):
        self.name, self.arg_names, self.arguments, self.judge = name, arg_names, arguments, judge
        self.cell, self.stand_in, self.cell_probe = cell, stand_in, cell_probe

    def check(self, target, cases=None):
        """Run ``target`` on every case and judge it; print one line when all is right."""
        cases = load_cases(self.name) if cases is None else cases
        own_cell = None
        for case in cases:
            args = self.arguments(case)
            if self.cell is None:
                result = call(self.name, case, target, *args, names=self.arg_names)
            else:
                with standing_in(target, self.cell, self.stand_in(case, args)) as own_cell:
                    result = call(self.name, case, target, *args, names=self.arg_names)
            self.judge(case, args, result)
        passed(self.name, cases)
        if self.cell_probe is not None:
            probe_args, expected = self.cell_probe(case, self.arguments(case))
            note_if_own_differs(self.name, self.cell, own_cell, probe_args, expected)

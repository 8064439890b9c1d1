"""Failures of the grader itself, told apart from failures a submission causes.

A grading can fail because of the submission (no notebook, a file nbgrader cannot use) or
because of the grader's own parts: a kernel or a judge worker that did not start, a gradebook
that stayed locked or could not be reached, a grading process that was lost. The first kind
fails again until the learner changes something; the second is worth another try.
"""


class GraderTrouble(Exception):
    """Grading could not be done for a reason that is not the submission's; another try may
    succeed."""


# How the grader's own failures show in nbgrader's log: the name of the exception, as the last
# line of a traceback reads "Name: message". SQLAlchemy's OperationalError, InterfaceError and
# DisconnectionError mean a gradebook that is locked or unreachable; ZMQError a kernel's channel.
GRADER_TROUBLE_NAMES = ("GraderTrouble", "OperationalError", "InterfaceError", "DisconnectionError", "ZMQError")

"""The course's confinement settings, as nbgrader_config.py gives them, for tests that start
sandboxes without nbgrader."""
from traitlets.config import Config

from course_tools.grading.sandbox import Confinement
from course_tools.nbgrader_cli import course_config
from tests.support.rnn_assignment import ROOT


def course_confinement(**changes):
    """A Confinement configured by the kit's nbgrader_config.py, with ``changes``."""
    config = Config(course_config(ROOT))
    for name, value in changes.items():
        setattr(config.Confinement, name, value)
    return Confinement(config=config)

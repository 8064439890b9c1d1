"""nbgrader's filesystem exchange on the course's hub, where the exchange root is root's.

``setup_server`` copies this module into the shared environment and names its classes in that
environment's ``nbgrader_config.py`` (``c.ExchangeFactory``), so every user's nbgrader uses them.

nbgrader expects the exchange root to be writable by everyone (0777): every command checks
that it is, and releasing an assignment makes it so. Then any learner can create the folder of
a course that does not exist yet and own it. Here the root belongs to root and is 0755, the
course's folders are made by ``setup_server``, and these classes:

- only check that the root exists and can be entered; they never create it or change its mode;
- point "(view feedback)" at the feedback page rather than its folder (the extension of
  ``deploy/labextension`` then opens it);
- close each submission folder to everyone but its owner and the instructor (0750). nbgrader
  makes it 0777, so anyone who learned its name could read or change a submission; the
  course's ``inbound`` is set-group-id, so the folder belongs to the instructor's group, and
  the instructor reads it through that group (Debian gives every user a group of their own).
"""
import os

from nbgrader.exchange.default import (ExchangeFetchAssignment, ExchangeFetchFeedback, ExchangeList,
                                       ExchangeReleaseAssignment, ExchangeReleaseFeedback, ExchangeSubmit)
from nbgrader.utils import check_directory

SUBMISSION_FOLDER_MODE = 0o750


class AdministeredRoot:
    """The exchange root is the administrator's: check it, never make or change it."""

    def ensure_root(self):
        if not check_directory(self.root, read=True, execute=True):
            self.fail(f"The course exchange {self.root} is missing or closed; ask the hub's administrator "
                      "to run deploy/setup_server.py")


class FetchAssignment(AdministeredRoot, ExchangeFetchAssignment):
    pass


class FetchFeedback(AdministeredRoot, ExchangeFetchFeedback):
    pass


class List(AdministeredRoot, ExchangeList):
    """The Assignments panel's list: for a submission of one notebook, its fetched feedback is
    the page itself, not its folder, so "(view feedback)" takes the learner to that page."""

    def parse_assignments(self):
        assignments = super().parse_assignments()
        for group in assignments:
            for submission in group.get("submissions", []):
                pages = [notebook["local_feedback_path"] for notebook in submission.get("notebooks", [])
                         if notebook.get("local_feedback_path")]
                if submission.get("local_feedback_path") and len(submission.get("notebooks", [])) == len(pages) == 1:
                    submission["local_feedback_path"] = os.path.abspath(pages[0])
        return assignments


class ReleaseAssignment(AdministeredRoot, ExchangeReleaseAssignment):
    pass


class ReleaseFeedback(AdministeredRoot, ExchangeReleaseFeedback):
    pass


class Submit(AdministeredRoot, ExchangeSubmit):
    """Submit, then close the submission folder to all but its owner and the instructor's group."""

    def copy_files(self):
        super().copy_files()
        os.chmod(os.path.join(self.inbound_path, self.assignment_filename), SUBMISSION_FOLDER_MODE)


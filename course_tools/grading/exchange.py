"""Collecting from nbgrader's filesystem exchange: a submission counts only for its owner.

nbgrader's own collect, finding a submission folder that one account made in another's name,
logs a warning and collects it, so a learner can replace another's work. ``OwnerCheckedCollect``
(``c.ExchangeFactory.collect``) refuses any submission that is not wholly its student's: a
folder or file owned by another account, a link, or anything but files and folders. For each
student it collects the newest submission they do own, so a forged one changes nothing of
theirs. Every refusal is logged as an error naming the folder, the claimed student and the
real owner, and the collect then ends as failed (the formgrader shows an error, the command
exits with 1) after collecting everything else.

It implements the two steps of nbgrader's exchange interface (``init_src`` and
``copy_files``) itself, so it depends on nothing private of nbgrader's collect.
"""
import os
import pwd
import shutil
import stat
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatchcase

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.utils import check_directory, ignore_patterns, parse_utc


def owner_name(uid):
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def refusal(folder, student):
    """Why the submission folder ``folder`` cannot count as ``student``'s, or None."""
    claim = f"it claims to be {student}'s, but"
    owner = owner_name(os.lstat(folder).st_uid)
    if not os.path.isdir(folder) or os.path.islink(folder):
        return f"{claim} it is not a folder (owned by {owner})"
    if owner != student:  # made by another account: what it holds is theirs too
        return f"{claim} the folder is owned by {owner}"
    entries = []
    problems = []

    def unreadable(error):
        problems.append(f"{error.filename} cannot be read")

    for parent, folders, files in os.walk(folder, onerror=unreadable):  # links are not followed
        entries += [os.path.join(parent, name) for name in folders + files]
    for path in entries:
        info = os.lstat(path)
        where = os.path.relpath(path, folder)
        if stat.S_ISLNK(info.st_mode):
            problems.append(f"{where} is a link")
        elif not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
            problems.append(f"{where} is neither a file nor a folder")
        elif owner_name(info.st_uid) != student:
            problems.append(f"{where} is owned by {owner_name(info.st_uid)}")
    if not problems:
        return None
    shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
    return f"{claim} {shown}"


@dataclass
class Submission:
    """One folder in the exchange's inbound: ``<student>+<assignment>+<timestamp>[+<random>]``."""
    path: str
    student: str
    timestamp: datetime
    refused: str = None


class OwnerCheckedCollect(ExchangeCollect):
    """nbgrader's collect, refusing submissions made in another account's name."""

    def ensure_root(self):
        # collecting only reads the exchange: the root need not be writable by the instructor
        if not check_directory(self.root, read=True, execute=True):
            self.fail(f"The exchange {self.root} does not exist or cannot be read")

    def init_src(self):
        if not self.coursedir.course_id:
            self.fail("No course id specified. Re-run with --course flag.")
        self.inbound_path = os.path.join(self.root, self.coursedir.course_id, "inbound")
        if not check_directory(self.inbound_path, read=True, execute=True):
            self.fail(f"Course not found, or its inbound cannot be read: {self.inbound_path}")
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
            try:
                self.duedate = gradebook.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                self.duedate = None
        self.refused, self.src_records = [], []
        by_student = {}
        for submission in self._submissions():
            if self.check_owner:
                submission.refused = refusal(submission.path, submission.student)
            if submission.refused:
                self.refused.append(submission)
            else:
                by_student.setdefault(submission.student, []).append(submission)
        for submissions in by_student.values():
            self.src_records.append(self._chosen(submissions))

    def _submissions(self):
        """The submission folders in inbound that match the assignment and student (globs, as
        nbgrader's ``--assignment`` and ``--student`` are)."""
        assignment, student = self.coursedir.assignment_id, self.coursedir.student_id or "*"
        for name in sorted(os.listdir(self.inbound_path)):
            parts = name.rsplit("+", 3)
            if len(parts) == 4 and not fnmatchcase(parts[1], assignment):  # a '+' in the user name
                parts = name.rsplit("+", 2)
            if len(parts) < 3 or not fnmatchcase(parts[1], assignment) or not fnmatchcase(parts[0], student):
                continue
            path = os.path.join(self.inbound_path, name)
            try:
                yield Submission(path, parts[0], parse_utc(parts[2]))
            except ValueError:
                yield Submission(path, parts[0], None, f"its name holds no valid time ({parts[2]!r})")

    def _chosen(self, submissions):
        """The newest submission, or with before_duedate the newest one made in time, if any."""
        newest_first = sorted(submissions, key=lambda submission: submission.timestamp, reverse=True)
        if self.before_duedate and self.duedate is not None:
            in_time = [submission for submission in newest_first if submission.timestamp <= self.duedate]
            if in_time:
                return in_time[0]
        return newest_first[0]

    def copy_files(self):
        assignment = self.coursedir.assignment_id
        for submission in self.refused:
            self._report_refused(submission)
        self.log.info("Collecting %d submissions of %r", len(self.src_records), assignment)
        accepted = [submission for submission in self.src_records if self._collect(submission)]
        if self.refused:
            self.fail(f"{len(self.refused)} submission(s) of {assignment!r} refused: "
                      + " | ".join(f"{os.path.basename(s.path)}: {s.refused}" for s in self.refused)
                      + f". The other {len(accepted)} were collected or already there.")

    def _report_refused(self, submission):
        self.log.error("Refused %s: %s. Nothing of it was collected.", submission.path, submission.refused)

    def _refuse(self, submission, reason):
        submission.refused = reason
        self.refused.append(submission)
        self._report_refused(submission)
        return False

    def _collect(self, submission):
        """Copy one accepted submission into submitted/ (True), unless a link turns up (False)."""
        student, assignment = submission.student, self.coursedir.assignment_id
        dest = self.coursedir.format_path(self.coursedir.submitted_directory, student, assignment)
        if os.path.isdir(dest):
            existing = self.coursedir.get_existing_timestamp(dest)
            newer = existing is None or submission.timestamp > existing
            if not ((self.update and newer) or (self.before_duedate and existing != submission.timestamp)):
                self.log.info("Submission of %s already collected%s", student,
                              "" if self.update else " (use --update to replace it with a newer one)")
                return True
        # copied beside its place, links kept as links, then checked again: a link made
        # after the check above is found in the copy, and the copy is dropped
        staging = f"{dest}.collecting"
        shutil.rmtree(staging, ignore_errors=True)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        try:
            shutil.copytree(submission.path, staging, symlinks=True,
                            ignore=ignore_patterns(exclude=self.coursedir.ignore, include=self.coursedir.include,
                                                   max_file_size=self.coursedir.max_file_size, log=self.log))
        except (OSError, shutil.Error) as error:
            shutil.rmtree(staging, ignore_errors=True)
            return self._refuse(submission, f"it could not be copied ({error})")
        links = [os.path.join(parent, name) for parent, folders, files in os.walk(staging)
                 for name in folders + files if os.path.islink(os.path.join(parent, name))]
        if links:
            shutil.rmtree(staging)
            return self._refuse(submission, f"it holds a link ({os.path.relpath(links[0], staging)})")
        replaced = os.path.isdir(dest)
        if replaced:
            shutil.rmtree(dest)
        os.rename(staging, dest)
        self.log.info("%s submission: %s %s", "Updated" if replaced else "Collected", student, assignment)
        return True

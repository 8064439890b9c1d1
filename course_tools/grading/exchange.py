"""Collecting from nbgrader's filesystem exchange: a submission counts only for its owner.

nbgrader's own collect, finding a submission folder that one account made in another's name,
logs a warning and collects it, so a learner can replace another's work. ``OwnerCheckedCollect``
(``c.ExchangeFactory.collect``) refuses any submission that is not wholly its student's: a
folder or file owned by another account, a link, a file with other names (hard links),
anything but files and folders, folders nested too deep, or more than ``max_dir_size``. For
each student it collects the newest submission they do own, so a forged one changes nothing
of theirs. Every refusal is logged as an error naming the folder, the claimed student and the
reason; the refused folder is then moved aside in inbound (``.refused-<name>``, which no collect
reads again, as nbgrader's own skips names that begin with a dot), and the collect ends as
failed (the formgrader shows an error, the command exits with 1) after collecting everything
else. Run again, it collects as usual.

The learner still owns her folder while it is collected and may change it at any moment, so
it is read through file descriptors opened without following links, each entry checked on
the descriptor that is then copied: what is checked is what is copied.

It implements the two steps of nbgrader's exchange interface (``init_src`` and
``copy_files``) itself, so it depends on nothing private of nbgrader's collect.
"""
import errno
import os
import pwd
import shutil
import stat
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatchcase

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.utils import check_directory, parse_utc

MAX_DEPTH = 32  # folders inside a submission
REFUSED_PREFIX = ".refused-"
OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK  # a link fails to open; a pipe opens without waiting


class Refused(Exception):
    """A submission that cannot count as its student's; the message says why."""


def owner_name(uid):
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


@dataclass
class Limits:
    """What a submission may hold (nbgrader's ``ignore``, ``include``, ``max_file_size`` and
    ``max_dir_size``; sizes in bytes)."""
    ignore: tuple
    include: tuple
    max_file_bytes: int
    max_total_bytes: int


class SubmissionReader:
    """Reads one submission folder entry by entry, refusing what is not wholly its student's,
    and writes a copy of it when given a destination."""

    def __init__(self, student, limits, log, check_owner=True):
        self.student, self.limits, self.log, self.check_owner = student, limits, log, check_owner
        try:
            self.uid = pwd.getpwnam(student).pw_uid
        except KeyError:
            self.uid = None  # no such account: nothing can be theirs
        self.total = 0

    def read(self, folder, dest=None):
        try:
            top = os.open(folder, OPEN_FLAGS | os.O_DIRECTORY)
        except OSError as error:
            raise Refused("it is a link or not a folder" if error.errno in (errno.ELOOP, errno.ENOTDIR)
                          else f"it cannot be opened ({error.strerror})") from None
        try:
            self._own(os.fstat(top), "the folder")
            self._folder(top, "", dest, depth=0)
        finally:
            os.close(top)

    def _own(self, info, where):
        if self.check_owner and info.st_uid != self.uid:
            raise Refused(f"{where} is owned by {owner_name(info.st_uid)}")

    def _folder(self, folder_fd, where, dest, depth):
        if depth > MAX_DEPTH:
            raise Refused(f"its folders are nested more than {MAX_DEPTH} deep")
        if dest is not None:
            os.mkdir(dest, 0o755)
        for name in sorted(os.listdir(folder_fd)):
            path = os.path.join(where, name)
            if any(fnmatchcase(name, pattern) for pattern in self.limits.ignore):
                continue
            try:
                entry = os.open(name, OPEN_FLAGS, dir_fd=folder_fd)
            except OSError as error:
                raise Refused(f"{path} is a link" if error.errno == errno.ELOOP
                              else f"{path} cannot be opened ({error.strerror})") from None
            try:
                info = os.fstat(entry)
                target = None if dest is None else os.path.join(dest, name)
                if stat.S_ISDIR(info.st_mode):
                    self._own(info, path)
                    self._folder(entry, path, target, depth + 1)
                elif stat.S_ISREG(info.st_mode):
                    self._file(entry, info, path, target)
                else:
                    raise Refused(f"{path} is neither a file nor a folder")
            finally:
                os.close(entry)

    def _file(self, entry, info, path, target):
        self._own(info, path)
        if info.st_nlink != 1:
            raise Refused(f"{path} has other names (hard links)")
        if not any(fnmatchcase(os.path.basename(path), pattern) for pattern in self.limits.include):
            return
        if info.st_size > self.limits.max_file_bytes:
            self.log.warning("Left out %s of %s's submission: %d bytes, more than max_file_size",
                             path, self.student, info.st_size)
            return
        self.total += info.st_size
        if self.total > self.limits.max_total_bytes:
            raise Refused(f"it holds more than max_dir_size ({self.limits.max_total_bytes} bytes)")
        if target is None:
            return
        left = info.st_size  # the size it had when opened: what it grows by later is not read
        with open(target, "xb") as copy:
            while left > 0:
                chunk = os.read(entry, min(left, 1 << 20))
                if not chunk:
                    break
                copy.write(chunk)
                left -= len(chunk)


def submission_time(folder):
    """The time in a collected submission's ``timestamp.txt``, or None if it has none that reads."""
    try:
        with open(os.path.join(folder, "timestamp.txt")) as file:
            return parse_utc(file.read().strip())
    except (OSError, ValueError, OverflowError):
        return None


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

    @property
    def limits(self):
        return Limits(ignore=tuple(self.coursedir.ignore), include=tuple(self.coursedir.include),
                      max_file_bytes=1000 * self.coursedir.max_file_size,
                      max_total_bytes=1000 * self.coursedir.max_dir_size)

    def _refusal(self, submission, dest=None):
        """Why the submission cannot count as its student's, or None; with ``dest``, it is
        copied there as it is read."""
        student = submission.student
        try:
            SubmissionReader(student, self.limits, self.log, check_owner=self.check_owner).read(submission.path, dest)
        except Refused as refusal:
            return f"it claims to be {student}'s, but {refusal}"
        except Exception as error:  # whatever one folder does, the others are collected
            return f"it could not be read ({type(error).__name__}: {error})"
        return None

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
            if not submission.refused:
                submission.refused = self._refusal(submission)  # checked only: nothing is copied yet
            if submission.refused:
                self.refused.append(submission)
            else:
                by_student.setdefault(submission.student, []).append(submission)
        for submissions in by_student.values():
            self.src_records.append(self._chosen(submissions))

    def _submissions(self):
        """The submission folders in inbound that match the assignment and student (globs, as
        nbgrader's ``--assignment`` and ``--student`` are); names beginning with a dot are not
        submissions (nbgrader's glob skips them too)."""
        assignment, student = self.coursedir.assignment_id, self.coursedir.student_id or "*"
        for name in sorted(os.listdir(self.inbound_path)):
            if name.startswith("."):
                continue
            parts = name.rsplit("+", 3)
            if len(parts) == 4 and not fnmatchcase(parts[1], assignment):  # a '+' in the user name
                parts = name.rsplit("+", 2)
            if len(parts) < 3 or not fnmatchcase(parts[1], assignment) or not fnmatchcase(parts[0], student):
                continue
            path = os.path.join(self.inbound_path, name)
            try:
                yield Submission(path, parts[0], parse_utc(parts[2]))
            except (ValueError, OverflowError):
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
        aside = os.path.join(self.inbound_path, REFUSED_PREFIX + os.path.basename(submission.path))
        try:  # the instructor owns inbound: a folder in it can be renamed, if not removed
            os.rename(submission.path, aside)
            moved = f"; moved aside to {os.path.basename(aside)}"
        except OSError as error:
            moved = f"; it stays where it is ({error.strerror})"
        self.log.error("Refused %s: %s. Nothing of it was collected%s.", submission.path, submission.refused, moved)

    def _collect(self, submission):
        """Copy one accepted submission into submitted/ (True), unless it turns out not to be
        wholly its student's after all (False: refused)."""
        student, assignment = submission.student, self.coursedir.assignment_id
        dest = self.coursedir.format_path(self.coursedir.submitted_directory, student, assignment)
        if os.path.isdir(dest):
            existing = submission_time(dest)
            newer = existing is None or submission.timestamp > existing
            if not ((self.update and newer) or (self.before_duedate and existing != submission.timestamp)):
                self.log.info("Submission of %s already collected%s", student,
                              "" if self.update else " (use --update to replace it with a newer one)")
                return True
        staging = f"{dest}.collecting"  # beside its place; it replaces the old copy only when whole
        shutil.rmtree(staging, ignore_errors=True)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        refusal = self._refusal(submission, staging)
        if refusal:
            shutil.rmtree(staging, ignore_errors=True)
            submission.refused = refusal
            self.refused.append(submission)
            self._report_refused(submission)
            return False
        replaced = os.path.isdir(dest)
        if replaced:
            shutil.rmtree(dest)
        os.rename(staging, dest)
        self.log.info("%s submission: %s %s", "Updated" if replaced else "Collected", student, assignment)
        return True

"""The filesystem exchange with the kit's classes, through real nbgrader commands.

``OwnerCheckedCollect`` (course_tools/grading/exchange.py, in the kit's config) and the hub's
exchange classes (deploy/course_exchange.py). Submissions owned by different accounts are
made with chown, so the tests need root (CI runs as root); the accounts are the system's own
(nobody, daemon, bin, sys), which every Debian has.
"""
import os
import pwd
import shutil
import stat
from datetime import datetime, timedelta, timezone

import pytest

from course_tools.nbgrader_cli import run_nbgrader
from course_tools.scratch import copy_course
from deploy import course_exchange

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root: it makes files owned by other accounts")

COURSE, ASSIGNMENT = "exchange-test", "ps1"
HUB_EXCHANGE = {f"--ExchangeFactory.{step}=course_exchange.{name}"
                for step, name in {"release_assignment": "ReleaseAssignment", "submit": "Submit",
                                   "fetch_assignment": "FetchAssignment"}.items()}


def _stamp(minutes):
    when = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc) + timedelta(minutes=minutes)
    return when.strftime("%Y-%m-%d %H:%M:%S.%f %Z")


def _uid(user):
    return pwd.getpwnam(user).pw_uid


def _submission(inbound, claimed, minutes, owner, text, files_owner=None):
    """A submission folder as ``nbgrader submit`` leaves it, owned by ``owner``."""
    folder = inbound / f"{claimed}+{ASSIGNMENT}+{_stamp(minutes)}+{owner}{minutes}"
    folder.mkdir()
    (folder / "timestamp.txt").write_text(_stamp(minutes))
    (folder / "answers.ipynb").write_text(text)
    for path in (folder, *folder.iterdir()):
        os.lchown(path, _uid(owner), _uid(owner))
    if files_owner:
        os.chown(folder / "answers.ipynb", _uid(files_owner), _uid(files_owner))
    return folder


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """A course whose inbound holds honest, forged and tampered submissions, collected twice."""
    base = tmp_path_factory.mktemp("exchange")
    course = copy_course(base / "course")
    inbound = base / "exchange" / COURSE / "inbound"
    inbound.mkdir(parents=True)
    _submission(inbound, "nobody", 0, "nobody", "nobody's own")
    forged = _submission(inbound, "nobody", 10, "daemon", "daemon, as nobody")  # newer than nobody's
    _submission(inbound, "daemon", 5, "daemon", "daemon's own")
    tampered = _submission(inbound, "bin", 5, "bin", "changed by sys", files_owner="sys")
    linked = _submission(inbound, "sys", 5, "sys", "sys's")
    (linked / "solutions.ipynb").symlink_to(course / "source")
    os.lchown(linked / "solutions.ipynb", _uid("sys"), _uid("sys"))
    piped = inbound / f"man+{ASSIGNMENT}+{_stamp(5)}+pipe"
    piped.mkdir()
    os.mkfifo(piped / "answers.ipynb")  # a copy that opened it would wait for ever
    for path in (piped, piped / "answers.ipynb"):
        os.chown(path, _uid("man"), _uid("man"))
    args = ["collect", ASSIGNMENT, "--update", f"--Exchange.root={base / 'exchange'}",
            f"--CourseDirectory.course_id={COURSE}"]
    first = run_nbgrader(course, *args, check=False, capture=True)
    submitted = {student: (course / "submitted" / student / ASSIGNMENT / "answers.ipynb").read_text()
                 for student in ("nobody", "daemon")}
    second = run_nbgrader(course, *args, check=False, capture=True)
    listing = sorted(os.listdir(course / "submitted"))
    return first, second, submitted, listing, {"forged": forged, "tampered": tampered, "linked": linked,
                                               "piped": piped}


def test_each_student_gets_their_own_newest_submission(collected):
    _, _, submitted, listing, _ = collected
    assert submitted == {"nobody": "nobody's own", "daemon": "daemon's own"}
    assert listing == ["daemon", "nobody"]


@pytest.mark.parametrize("kind, reason", [
    ("forged", "it claims to be nobody's, but the folder is owned by daemon"),
    ("tampered", "it claims to be bin's, but answers.ipynb is owned by sys"),
    ("linked", "it claims to be sys's, but solutions.ipynb is a link"),
    ("piped", "it claims to be man's, but answers.ipynb is neither a file nor a folder"),
])
def test_a_submission_not_wholly_its_students_is_refused_with_the_reason(collected, kind, reason):
    first, _, _, _, folders = collected
    assert f"Refused {folders[kind]}: {reason}. Nothing of it was collected." in first.stderr


def test_the_collect_fails_plainly_and_the_same_way_when_run_again(collected):
    first, second, _, _, _ = collected
    for run in (first, second):
        assert run.returncode == 1
        assert f"4 submission(s) of '{ASSIGNMENT}' refused" in run.stderr
        assert "The other 2 were collected or already there." in run.stderr
    assert "Collected submission: nobody" in first.stderr and "already collected" in second.stderr


def _hub_exchange(tmp_path):
    """A course and an exchange laid out as deploy/setup_server.py does: the root root's, 0755."""
    course = copy_course(tmp_path / "course")
    release = course / "release" / ASSIGNMENT
    release.mkdir(parents=True)
    (release / "answers.ipynb").write_text("{}")
    root = tmp_path / "exchange"
    (root / COURSE / "inbound").mkdir(parents=True)
    os.chmod(root, 0o755)
    os.chmod(root / COURSE / "inbound", 0o3733)
    learner = tmp_path / "learner"
    learner.mkdir()
    for folder in (course, learner):  # importable there, as it is in the hub's shared environment
        shutil.copy(course_exchange.__file__, folder)
    return course, learner, root


def _nbgrader(folder, root, *args, classes=HUB_EXCHANGE):
    return run_nbgrader(folder, *args, f"--Exchange.root={root}", f"--CourseDirectory.course_id={COURSE}",
                        *classes, check=False, capture=True)


def test_nbgrader_would_open_the_exchange_root_to_everyone(tmp_path):
    """Why the hub has its own classes: nbgrader's release makes the root 0777 (if this fails,
    nbgrader changed, and deploy/course_exchange.py may no longer be needed)."""
    course, _, root = _hub_exchange(tmp_path)
    result = _nbgrader(course, root, "release_assignment", ASSIGNMENT, classes=())
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(root.stat().st_mode) == 0o777


def test_the_hubs_classes_keep_the_root_closed_and_each_submission_private(tmp_path):
    course, learner, root = _hub_exchange(tmp_path)
    released = _nbgrader(course, root, "release_assignment", ASSIGNMENT)
    assert released.returncode == 0, released.stderr
    fetched = _nbgrader(learner, root, "fetch_assignment", ASSIGNMENT)
    submitted = _nbgrader(learner, root, "submit", ASSIGNMENT)
    assert fetched.returncode == submitted.returncode == 0, fetched.stderr + submitted.stderr
    assert stat.S_IMODE(root.stat().st_mode) == 0o755
    [folder] = (root / COURSE / "inbound").iterdir()
    assert stat.S_IMODE(folder.stat().st_mode) == course_exchange.SUBMISSION_FOLDER_MODE == 0o750


def test_the_hubs_classes_name_the_missing_exchange(tmp_path):
    _, learner, _ = _hub_exchange(tmp_path)
    result = _nbgrader(learner, tmp_path / "no-exchange", "fetch_assignment", ASSIGNMENT)
    assert result.returncode == 1
    assert f"The course exchange {tmp_path / 'no-exchange'} is missing or closed; ask the hub's administrator" \
        in result.stderr

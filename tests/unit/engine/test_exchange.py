"""The filesystem exchange with the kit's classes, through real nbgrader commands.

``OwnerCheckedCollect`` (course_tools/grading/exchange.py, in the kit's config) and the hub's
exchange classes (deploy/course_exchange.py). Submissions owned by different accounts are
made with chown, so the tests need root (CI runs as root); the accounts are the system's own
(nobody, daemon, bin, sys, man, lp, news, uucp, proxy), which every Debian has.
"""
import os
import pwd
import shutil
import stat
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from course_tools.nbgrader_cli import run_nbgrader
from course_tools.scratch import copy_course
from deploy import course_exchange
from deploy.setup_server import EXCHANGE_CLASSES
from tests.support.markers import QUICK

pytestmark = [QUICK, pytest.mark.skipif(os.geteuid() != 0,
                                        reason="needs root: it makes files owned by other accounts")]

COURSE, ASSIGNMENT = "exchange-test", "ps1"
HUB_EXCHANGE = [f"--ExchangeFactory.{step}=course_exchange.{name}" for step, name in EXCHANGE_CLASSES.items()]


def _stamp(minutes):
    when = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc) + timedelta(minutes=minutes)
    return when.strftime("%Y-%m-%d %H:%M:%S.%f %Z")


def _uid(user):
    return pwd.getpwnam(user).pw_uid


def _own(path, user):
    for entry in (path, *path.rglob("*")):
        os.lchown(entry, _uid(user), _uid(user))


def _submission(inbound, claimed, minutes, owner, text, files_owner=None):
    """A submission folder as ``nbgrader submit`` leaves it, owned by ``owner``."""
    folder = inbound / f"{claimed}+{ASSIGNMENT}+{_stamp(minutes)}+{owner}{minutes}"
    folder.mkdir()
    (folder / "timestamp.txt").write_text(_stamp(minutes))
    (folder / "answers.ipynb").write_text(text)
    _own(folder, owner)
    if files_owner:
        os.chown(folder / "answers.ipynb", _uid(files_owner), _uid(files_owner))
    return folder


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """A course whose inbound holds honest, forged and tampered submissions, collected, then
    collected again with --update after a newer honest one."""
    base = tmp_path_factory.mktemp("exchange")
    course = copy_course(base / "course")
    inbound = base / "exchange" / COURSE / "inbound"
    inbound.mkdir(parents=True)
    _submission(inbound, "nobody", 0, "nobody", "nobody's first")
    _submission(inbound, "nobody", 5, "nobody", "nobody's newest own")
    folders = {"forged": _submission(inbound, "nobody", 10, "daemon", "daemon, as nobody")}  # newer than nobody's
    _submission(inbound, "daemon", 5, "daemon", "daemon's own")
    folders["tampered"] = _submission(inbound, "bin", 5, "bin", "changed by sys", files_owner="sys")
    folders["linked"] = linked = _submission(inbound, "sys", 5, "sys", "sys's")
    (linked / "solutions.ipynb").symlink_to(course / "source")
    _own(linked, "sys")
    folders["piped"] = piped = _submission(inbound, "man", 5, "man", "man's")
    (piped / "answers.ipynb").unlink()
    os.mkfifo(piped / "answers.ipynb")  # a copy that opened it would wait for ever
    _own(piped, "man")
    folders["hard-linked"] = hard = _submission(inbound, "lp", 5, "lp", "lp's")
    os.link(hard / "answers.ipynb", hard / "copy.ipynb")  # 1,000 of these would cost the instructor 1,000 copies
    folders["deep"] = deep = _submission(inbound, "news", 5, "news", "news's")
    (deep / "/".join(["d"] * 40)).mkdir(parents=True)
    _own(deep, "news")
    folders["timeless"] = _submission(inbound, "uucp", 5, "uucp", "uucp's")
    folders["timeless"] = folders["timeless"].rename(inbound / f"uucp+{ASSIGNMENT}+9999-12-31 23:59:59 -86399+x")
    folders["a link"] = inbound / f"proxy+{ASSIGNMENT}+{_stamp(5)}+link"
    folders["a link"].symlink_to(course / "source")
    os.lchown(folders["a link"], _uid("proxy"), _uid("proxy"))
    args = ["collect", ASSIGNMENT, f"--Exchange.root={base / 'exchange'}", f"--CourseDirectory.course_id={COURSE}"]
    runs = {"first": run_nbgrader(course, *args, check=False, capture=True)}
    submitted = course / "submitted"
    copies = {student: (submitted / student / ASSIGNMENT / "answers.ipynb").read_text() for student in ("nobody", "daemon")}
    _submission(inbound, "daemon", 20, "daemon", "daemon's second")
    runs["again"] = run_nbgrader(course, *args, "--update", check=False, capture=True)
    return SimpleNamespace(runs=runs, copies=copies, folders=folders, inbound=sorted(os.listdir(inbound)),
                           collected=sorted(os.listdir(submitted)),
                           updated=(submitted / "daemon" / ASSIGNMENT / "answers.ipynb").read_text())


def test_each_student_gets_their_own_newest_submission(collected):
    assert collected.copies == {"nobody": "nobody's newest own", "daemon": "daemon's own"}
    assert collected.collected == ["daemon", "nobody"]


REFUSALS = {
    "forged": "it claims to be nobody's, but the folder is owned by daemon",
    "tampered": "it claims to be bin's, but answers.ipynb is owned by sys",
    "linked": "it claims to be sys's, but solutions.ipynb is a link",
    "piped": "it claims to be man's, but answers.ipynb is neither a file nor a folder",
    "hard-linked": "it claims to be lp's, but answers.ipynb has other names (hard links)",
    "deep": "it claims to be news's, but its folders are nested more than 32 deep",
    "timeless": "its name holds no valid time ('9999-12-31 23:59:59 -86399')",
    "a link": "it claims to be proxy's, but it is a link or not a folder",
}


@pytest.mark.parametrize("kind", REFUSALS)
def test_a_submission_not_wholly_its_students_is_refused_with_the_reason_and_moved_aside(collected, kind):
    folder = collected.folders[kind]
    assert (f"Refused {folder}: {REFUSALS[kind]}. Nothing of it was collected; moved aside to .refused-{folder.name}"
            in collected.runs["first"].stderr), collected.runs["first"].stderr
    assert f".refused-{folder.name}" in collected.inbound and folder.name not in collected.inbound


def test_the_collect_fails_plainly_once_then_collects_as_usual(collected):
    """Run again with --update after daemon submitted once more: nothing is refused, daemon's
    newer submission replaces the collected one, nobody's stays."""
    first, again = collected.runs["first"], collected.runs["again"]
    assert first.returncode == 1
    assert f"{len(REFUSALS)} submission(s) of '{ASSIGNMENT}' refused" in first.stderr
    assert "The other 2 were collected or already there." in first.stderr
    assert "Collected submission: nobody" in first.stderr
    assert again.returncode == 0 and "Refused" not in again.stderr, again.stderr
    assert "Submission of nobody already collected\n" in again.stderr
    assert "Updated submission: daemon" in again.stderr and collected.updated == "daemon's second"


def _hub_exchange(tmp_path):
    """A course and an exchange laid out as deploy/setup_server.py does: the root root's, 0755.
    The course folder holds a release only (these steps read no gradebook and no kit config)."""
    course = tmp_path / "course"
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

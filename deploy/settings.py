"""The hub's course settings (``deploy/course.json``): who teaches, who learns, where things live.

``setup_server.py`` and ``jupyterhub_config.py`` read the same file, so the server is set up
for exactly the users and paths the hub serves. ``RNN_COURSE_SETTINGS`` names another file.
"""
import json
import os
import pwd
from dataclasses import dataclass
from pathlib import Path

KIT_ROOT = Path(__file__).resolve().parent.parent
SETTINGS_VARIABLE = "RNN_COURSE_SETTINGS"
DEFAULT_SETTINGS = Path(__file__).with_name("course.json")
REQUIRED = ("course_id", "instructor", "students")
OPTIONAL = {"admins": [], "env_dir": "/opt/rnn-course", "exchange_root": "/srv/nbgrader/exchange",
            "hub_dir": "/srv/jupyterhub", "bind_url": "http://:8000", "course_dir": None,
            "idle_timeout_minutes": 60}
STUDENT_KEYS = {"id", "first_name", "last_name"}


class SettingsError(ValueError):
    """The settings file is missing, unreadable or inconsistent."""


@dataclass(frozen=True)
class CourseSettings:
    """One course on one hub.

    Attributes
    ----------
    course_id : str
        nbgrader's course id; the exchange folder of the course has this name.
    instructor : str
        System user who owns the course directory and runs the formgrader.
    students : tuple of str
        System users who take the course.
    names : dict of str to (str, str)
        First and last name of each student whose entry gives them (the formgrader shows them).
    admins : tuple of str
        Hub administrators: they alone may manage other users' servers. The instructor is one
        only if named here.
    env_dir : Path
        Shared installation: ``python/`` (the course's packages, read-only for users) and
        ``proxy/`` (configurable-http-proxy).
    exchange_root : Path
        nbgrader's filesystem exchange.
    hub_dir : Path
        The hub's own state: its database and cookie secret.
    bind_url : str
        Public URL the hub listens on.
    course_dir : Path
        The instructor's nbgrader course directory (default: ``~instructor/<course_id>``).
    idle_timeout_minutes : float
        A server with no activity for this long is stopped (0: never).
    """
    course_id: str
    instructor: str
    students: tuple
    names: dict
    admins: tuple
    env_dir: Path
    exchange_root: Path
    hub_dir: Path
    bind_url: str
    course_dir: Path
    idle_timeout_minutes: int

    @property
    def users(self):
        """The instructor and the students: the users the course's folders are made for."""
        return (self.instructor, *self.students)

    @property
    def roster(self):
        """Everyone who may log in to the hub or have a server there."""
        return frozenset((*self.users, *self.admins))

    @property
    def python_env(self):
        return self.env_dir / "python"

    def env_bin(self, program):
        return self.python_env / "bin" / program

    @property
    def proxy_command(self):
        return self.env_dir / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"

    @property
    def exchange_course(self):
        return self.exchange_root / self.course_id


def _home(user):
    try:
        return Path(pwd.getpwnam(user).pw_dir)
    except KeyError:
        return Path("/home") / user


def load_settings(path=None):
    """Read and check a settings file (default: ``$RNN_COURSE_SETTINGS``, else ``deploy/course.json``)."""
    path = Path(path or os.environ.get(SETTINGS_VARIABLE) or DEFAULT_SETTINGS)
    try:
        raw = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise SettingsError(f"cannot read course settings {path}: {error}") from error
    missing = [key for key in REQUIRED if key not in raw]
    unknown = sorted(set(raw) - set(REQUIRED) - set(OPTIONAL))
    if missing or unknown:
        raise SettingsError(f"{path}: missing keys {missing}, unknown keys {unknown}")
    values = {**OPTIONAL, **raw}
    students, names = _students(path, values["students"])
    if values["instructor"] in students or len(set(students)) != len(students):
        raise SettingsError(f"{path}: the instructor and the students must be distinct users")
    return CourseSettings(
        course_id=values["course_id"], instructor=values["instructor"], students=students, names=names,
        admins=tuple(values["admins"]), env_dir=Path(values["env_dir"]),
        exchange_root=Path(values["exchange_root"]), hub_dir=Path(values["hub_dir"]),
        bind_url=values["bind_url"],
        course_dir=Path(values["course_dir"] or _home(values["instructor"]) / values["course_id"]),
        idle_timeout_minutes=_minutes(path, values["idle_timeout_minutes"]))


def _students(path, entries):
    """Each student is a user name, or ``{"id": ..., "first_name": ..., "last_name": ...}``."""
    students, names = [], {}
    for entry in entries:
        if isinstance(entry, str):
            students.append(entry)
            continue
        if not isinstance(entry, dict) or "id" not in entry or set(entry) - STUDENT_KEYS:
            raise SettingsError(f"{path}: a student is a user name or an object with the keys "
                                f"{sorted(STUDENT_KEYS)}, not {entry!r}")
        students.append(entry["id"])
        names[entry["id"]] = (entry.get("first_name", ""), entry.get("last_name", ""))
    return tuple(students), names


def _minutes(path, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise SettingsError(f"{path}: idle_timeout_minutes is a number of minutes (0: never), not {value!r}")
    return value

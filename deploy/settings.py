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
            "hub_dir": "/srv/jupyterhub", "bind_url": "http://:8000", "course_dir": None}


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
    admins : tuple of str
        Hub administrators (they may also be the instructor).
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
    """
    course_id: str
    instructor: str
    students: tuple
    admins: tuple
    env_dir: Path
    exchange_root: Path
    hub_dir: Path
    bind_url: str
    course_dir: Path

    @property
    def users(self):
        return (self.instructor, *self.students)

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
    students = tuple(values["students"])
    if values["instructor"] in students or len(set(students)) != len(students):
        raise SettingsError(f"{path}: the instructor and the students must be distinct users")
    return CourseSettings(
        course_id=values["course_id"], instructor=values["instructor"], students=students,
        admins=tuple(values["admins"]), env_dir=Path(values["env_dir"]),
        exchange_root=Path(values["exchange_root"]), hub_dir=Path(values["hub_dir"]),
        bind_url=values["bind_url"],
        course_dir=Path(values["course_dir"] or _home(values["instructor"]) / values["course_id"]))

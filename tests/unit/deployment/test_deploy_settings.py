"""The hub's course settings (deploy/settings.py) and the set-up's refusals and care, without a hub."""
import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
from types import SimpleNamespace

import pytest

from deploy.settings import DEFAULT_SETTINGS, KIT_ROOT, SettingsError, load_settings
from deploy.setup_server import SetupError, _write_owned, create_exchange
from tests.support.markers import QUICK

pytestmark = QUICK


def write(tmp_path, **values):
    path = tmp_path / "course.json"
    path.write_text(json.dumps(values))
    return path


def test_the_bundled_settings_describe_one_instructor_and_two_students():
    settings = load_settings(DEFAULT_SETTINGS)
    assert settings.users == ("instructor", "student1", "student2")
    assert settings.admins == () and settings.roster == {"instructor", "student1", "student2"}
    assert settings.names == {"student1": ("Ada", "Lovelace"), "student2": ("Alan", "Turing")}
    assert settings.idle_timeout_minutes == 60
    assert str(settings.exchange_course) == "/srv/nbgrader/exchange/rnn-step-by-step"
    assert str(settings.env_bin("jupyterhub")) == "/opt/rnn-course/python/bin/jupyterhub"
    assert settings.proxy_command.name == "configurable-http-proxy"


def test_the_course_directory_defaults_to_the_instructors_home(tmp_path):
    settings = load_settings(write(tmp_path, course_id="c1", instructor="root", students=["s"]))
    assert str(settings.course_dir) == os.path.join(os.path.expanduser("~root"), "c1")


def test_students_may_be_plain_names_or_carry_their_names(tmp_path):
    settings = load_settings(write(tmp_path, course_id="c", instructor="t", admins=["dean"],
                                   students=["s1", {"id": "s2", "first_name": "Grace", "last_name": "Hopper"}]))
    assert settings.students == ("s1", "s2") and settings.names == {"s2": ("Grace", "Hopper")}
    assert settings.roster == {"t", "s1", "s2", "dean"}


def test_the_settings_variable_names_another_file(tmp_path, monkeypatch):
    monkeypatch.setenv("RNN_COURSE_SETTINGS", str(write(tmp_path, course_id="c2", instructor="t", students=[])))
    assert load_settings().course_id == "c2"


@pytest.mark.parametrize("values, message", [
    ({"instructor": "t", "students": []}, "missing keys ['course_id']"),
    ({"course_id": "c", "instructor": "t", "students": [], "exchange": "/x"}, "unknown keys ['exchange']"),
    ({"course_id": "c", "instructor": "t", "students": ["t"]}, "must be distinct"),
    ({"course_id": "c", "instructor": "t", "students": ["s", "s"]}, "must be distinct"),
    ({"course_id": "c", "instructor": "t", "students": [{"name": "s"}]}, "a student is a user name or an object"),
    ({"course_id": "c", "instructor": "t", "students": [], "idle_timeout_minutes": "1h"}, "a number of minutes"),
    ({"course_id": "c", "instructor": "t", "students": [], "idle_timeout_minutes": -5}, "a number of minutes"),
])
def test_inconsistent_settings_are_refused_with_the_reason(tmp_path, values, message):
    with pytest.raises(SettingsError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_settings(write(tmp_path, **values))


def test_unreadable_settings_name_the_file(tmp_path):
    (tmp_path / "course.json").write_text("{not json")
    with pytest.raises(SettingsError, match="cannot read course settings .*course.json"):
        load_settings(tmp_path / "course.json")


@pytest.mark.parametrize("instructor, students, refusal", [
    ("no-such-teacher-x", [], "no system user 'no-such-teacher-x': create it first (adduser no-such-teacher-x)"),
    # submissions are read through the instructor's group: sync and nobody share nogroup
    ("sync", ["nobody"], "the instructor's group nogroup also holds nobody, who could then read every submission"),
])
def test_setup_refuses_unfit_users_before_changing_anything(tmp_path, instructor, students, refusal):
    if os.geteuid() != 0:
        pytest.skip("the set-up refuses to run without root before it looks at users")
    path = write(tmp_path, course_id="c", instructor=instructor, students=students,
                 exchange_root=str(tmp_path / "exchange"), hub_dir=str(tmp_path / "hub"))
    result = subprocess.run([sys.executable, "-m", "deploy.setup_server", "--settings", str(path)],
                            cwd=KIT_ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert refusal in result.stderr
    assert not (tmp_path / "exchange").exists() and not (tmp_path / "hub").exists()


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root: it writes files owned by other accounts")


def _nobody_with_home(home):
    nobody = pwd.getpwnam("nobody")
    return SimpleNamespace(pw_dir=str(home), pw_uid=nobody.pw_uid, pw_gid=nobody.pw_gid, pw_name="nobody")


@needs_root
def test_setup_writes_a_users_settings_as_theirs(tmp_path):
    account = _nobody_with_home(tmp_path)
    _write_owned(tmp_path / ".jupyter" / "labconfig" / "page_config.json", "{}\n", account)
    written = tmp_path / ".jupyter" / "labconfig" / "page_config.json"
    assert written.read_text() == "{}\n"
    assert {path.stat().st_uid for path in (written, written.parent, written.parent.parent)} == {account.pw_uid}


@needs_root
@pytest.mark.parametrize("link", [".jupyter", ".jupyter/labconfig", ".jupyter/labconfig/page_config.json"])
def test_setup_follows_no_link_a_user_put_in_their_home(tmp_path, link):
    """A student could point a settings folder or file at the shared environment, which root
    would then change and hand over to them."""
    home, target = tmp_path / "home", tmp_path / "site-packages"
    (home / ".jupyter" / "labconfig").mkdir(parents=True)
    target.mkdir()
    linked = home / link
    if linked.is_dir():
        shutil.rmtree(linked)
    linked.symlink_to(target)
    with pytest.raises(SetupError, match="is a link"):
        _write_owned(home / ".jupyter" / "labconfig" / "page_config.json", "{}\n", _nobody_with_home(home))
    assert os.listdir(target) == [] and target.stat().st_uid == 0


@needs_root
def test_setup_refuses_a_course_folder_a_learner_made_in_the_open_exchange(tmp_path):
    """As left by nbgrader's own 0777 root: a learner's folder, with inbound a link to somewhere."""
    settings = load_settings(write(tmp_path, course_id="c", instructor="daemon", students=[],
                                   exchange_root=str(tmp_path / "exchange")))
    squatted = tmp_path / "exchange" / "c"
    squatted.mkdir(parents=True)
    (squatted / "inbound").symlink_to(tmp_path)
    os.chown(squatted, pwd.getpwnam("nobody").pw_uid, -1)
    with pytest.raises(SetupError, match=f"{squatted} is not a folder of root or the instructor"):
        create_exchange(settings)
    os.chown(squatted, 0, 0)
    with pytest.raises(SetupError, match=f"{squatted / 'inbound'} is a link"):
        create_exchange(settings)
    assert tmp_path.stat().st_uid == 0 and stat.S_IMODE(tmp_path.stat().st_mode) != 0o3733

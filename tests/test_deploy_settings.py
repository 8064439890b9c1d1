"""The hub's course settings (deploy/settings.py) and the set-up's refusals, without a hub."""
import json
import os
import subprocess
import sys

import pytest

from deploy.settings import DEFAULT_SETTINGS, KIT_ROOT, SettingsError, load_settings


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


def test_setup_names_the_users_it_needs_before_changing_anything(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("the set-up refuses to run without root before it looks at users")
    path = write(tmp_path, course_id="c", instructor="no-such-teacher-x", students=[],
                 exchange_root=str(tmp_path / "exchange"), hub_dir=str(tmp_path / "hub"))
    result = subprocess.run([sys.executable, "-m", "deploy.setup_server", "--settings", str(path)],
                            cwd=KIT_ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "no system user 'no-such-teacher-x': create it first (adduser no-such-teacher-x)" in result.stderr
    assert not (tmp_path / "exchange").exists() and not (tmp_path / "hub").exists()


def test_setup_refuses_an_instructor_whose_group_holds_a_student(tmp_path):
    """Submissions are read through the instructor's group: sync and nobody share nogroup."""
    if os.geteuid() != 0:
        pytest.skip("the set-up refuses to run without root before it looks at users")
    path = write(tmp_path, course_id="c", instructor="sync", students=["nobody"],
                 exchange_root=str(tmp_path / "exchange"), hub_dir=str(tmp_path / "hub"))
    result = subprocess.run([sys.executable, "-m", "deploy.setup_server", "--settings", str(path)],
                            cwd=KIT_ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "the instructor's group nogroup also holds nobody, who could then read every submission" in result.stderr
    assert not (tmp_path / "exchange").exists() and not (tmp_path / "hub").exists()

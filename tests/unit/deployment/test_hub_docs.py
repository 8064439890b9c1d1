"""docs/hub.md and deploy/jupyterhub_config.py say what the set-up does: the exchange's modes, the hub's admins."""
import json
import re
import runpy
import sys
from pathlib import PurePosixPath

import pytest
from traitlets.config import Config

from deploy.course_exchange import SUBMISSION_FOLDER_MODE
from deploy.settings import DEFAULT_SETTINGS, KIT_ROOT, SETTINGS_VARIABLE, load_settings
from deploy.setup_server import EXCHANGE_COURSE_MODES, EXCHANGE_ROOT_MODE
from tests.support.markers import QUICK

pytestmark = QUICK

HUB_DOC = KIT_ROOT / "docs" / "hub.md"
HUB_CONFIG = KIT_ROOT / "deploy" / "jupyterhub_config.py"


def _resolved(path, settings):
    if path.startswith("…/exchange/"):
        return PurePosixPath(settings.exchange_root.parent, path.removeprefix("…/"))
    if path.startswith("…/"):
        return PurePosixPath(settings.exchange_course, path.removeprefix("…/"))
    return PurePosixPath(path)


def _doc_exchange_modes():
    """{path relative to the exchange root (a <placeholder> part as *): mode} from the table of
    docs/hub.md, whose paths are the defaults of deploy/course.json and "…/" abbreviates the one above."""
    settings = load_settings(DEFAULT_SETTINGS)
    table = next(block for block in HUB_DOC.read_text().split("\n\n") if block.startswith("| what | where"))
    modes = {}
    for row in table.splitlines()[2:]:
        what, where, who = (cell.strip() for cell in row.strip("|").split(" | "))
        paths = [_resolved(path, settings) for path in re.findall(r"`([^`]+)`", where)]
        inside = [path for path in paths if path.is_relative_to(settings.exchange_root)]
        if not inside:
            continue
        assert len(paths) == 1, f"the row {what!r} of docs/hub.md should name one folder: {where!r}"
        relative = inside[0].relative_to(settings.exchange_root)
        key = "/".join("*" if part.startswith("<") else part for part in relative.parts) or "."
        octal = re.findall(r"\b[0-7]{3,4}\b", who)
        assert len(octal) == 1, f"the row {what!r} of docs/hub.md should state one octal mode: {who!r}"
        modes[key] = int(octal[0], 8)
    return modes


def test_the_hub_doc_states_each_exchange_mode_the_setup_sets():
    """Every exchange folder the code gives a mode is a row of docs/hub.md's table, with that mode, and no other row."""
    course_id = load_settings(DEFAULT_SETTINGS).course_id
    expected = {".": EXCHANGE_ROOT_MODE, f"{course_id}/inbound/*": SUBMISSION_FOLDER_MODE}
    expected.update({str(PurePosixPath(course_id, name)): mode for name, mode in EXCHANGE_COURSE_MODES.items()})
    assert {key: oct(mode) for key, mode in _doc_exchange_modes().items()} == \
        {key: oct(mode) for key, mode in expected.items()}


def _admin_users(tmp_path, monkeypatch, admins):
    """The hub's admin_users, executing deploy/jupyterhub_config.py on a course.json naming ``admins``."""
    settings = tmp_path / "course.json"
    settings.write_text(json.dumps({"course_id": "c", "instructor": "instructor", "students": ["student1"],
                                    "admins": admins}))
    monkeypatch.setenv(SETTINGS_VARIABLE, str(settings))
    monkeypatch.setattr(sys, "path", list(sys.path))  # the config puts the kit first on it
    config = Config()
    runpy.run_path(str(HUB_CONFIG), init_globals={"get_config": lambda: config})
    return set(config.Authenticator.admin_users)


@pytest.mark.parametrize("admins, expected", [([], set()), (["instructor"], {"instructor"}),
                                              (["someone"], {"someone"})])
def test_the_hubs_admins_are_those_of_course_json_only(tmp_path, monkeypatch, admins, expected):
    """The instructor is a hub admin only when course.json's admins names them."""
    assert _admin_users(tmp_path, monkeypatch, admins) == expected

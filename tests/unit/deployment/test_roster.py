"""The hub's authenticator admits the course's roster and no one else (deploy/roster.py)."""
import asyncio
import pwd
from types import SimpleNamespace

import pytest

from deploy.roster import RosterAuthenticator
from tests.support.markers import QUICK

pytestmark = QUICK

ON_ROSTER = pwd.getpwuid(0).pw_name  # an account that exists on every machine
OFF_ROSTER = pwd.getpwnam("nobody").pw_name


@pytest.fixture
def authenticator():
    # as if an admin had added the outsider: JupyterHub then lists them in allowed_users
    return RosterAuthenticator(roster={ON_ROSTER}, allowed_users={ON_ROSTER, OFF_ROSTER})


def test_only_the_roster_may_log_in_whoever_else_is_allowed(authenticator):
    assert authenticator.check_allowed(ON_ROSTER) and not authenticator.check_allowed(OFF_ROSTER)


def test_adding_a_user_outside_the_roster_is_refused_with_the_reason(authenticator):
    with pytest.raises(ValueError, match="nobody is not on the course's roster"):
        asyncio.run(authenticator.add_user(SimpleNamespace(name=OFF_ROSTER)))


def test_a_user_on_the_roster_with_a_system_account_is_added(authenticator):
    asyncio.run(authenticator.add_user(SimpleNamespace(name=ON_ROSTER)))


def test_no_name_outside_the_roster_is_valid(authenticator):
    """What a rename through the API is checked with."""
    assert authenticator.validate_username(ON_ROSTER) and not authenticator.validate_username(OFF_ROSTER)

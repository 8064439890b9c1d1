"""Who may be on the course's hub: the roster of ``deploy/course.json`` and no one else.

JupyterHub lets an admin add any user through the admin panel or the REST API, and
``PAMAuthenticator`` accepts any system account so added. ``RosterAuthenticator`` keeps the
system passwords (PAM) but refuses to add, log in, keep or rename anyone to a name outside the
roster, so no server can ever be started for such an account (``validate_username``,
``check_allowed`` and ``add_user`` are JupyterHub's documented hooks for this).
"""
from jupyterhub.auth import PAMAuthenticator
from traitlets import Set


class RosterAuthenticator(PAMAuthenticator):
    """PAM logins for the course's instructor, students and admins only."""

    roster = Set(help="User names on the course's roster (deploy/course.json)").tag(config=True)

    def validate_username(self, username):
        # JupyterHub checks every name it is given with this, renames through the API included
        # (PATCH /users/<name> {"name": ...}), which calls no other hook
        return username in self.roster and super().validate_username(username)

    def check_allowed(self, username, authentication=None):
        return username in self.roster and super().check_allowed(username, authentication)

    async def add_user(self, user):
        # called for a new user from the admin panel or the API (which then answers 400 with
        # this message and creates no one), and for every user in the database at start-up
        # (where, with delete_invalid_users, anyone no longer on the roster is removed)
        if user.name not in self.roster:
            raise ValueError(f"{user.name} is not on the course's roster (deploy/course.json)")
        await super().add_user(user)

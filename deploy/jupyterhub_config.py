"""JupyterHub configuration of the RNN course (docs/hub.md: "Run the course on JupyterHub").

Start the hub as root, after ``deploy/setup_server.py`` has set up the server:

    sudo /opt/rnn-course/python/bin/jupyterhub -f deploy/jupyterhub_config.py

The course's roster logs in with their system accounts (PAM) and nobody else can; each gets a
JupyterLab server running as that account, from the shared environment: the course's packages
are in every kernel, and nbgrader's exchange permissions are enforced by the operating system.
Only the admins of ``course.json`` may manage other users' servers, and an idle server stops.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from deploy.roster import RosterAuthenticator  # noqa: E402
from deploy.settings import load_settings  # noqa: E402

settings = load_settings()
c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

c.JupyterHub.bind_url = settings.bind_url
c.JupyterHub.db_url = f"sqlite:///{settings.hub_dir / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(settings.hub_dir / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.command = [str(settings.proxy_command)]
c.ConfigurableHTTPProxy.pid_file = str(settings.hub_dir / "jupyterhub-proxy.pid")

# Who may log in: the course's roster, with their system passwords (PAM). No one else can be
# added, by an admin or through the API, and a user dropped from the roster is removed at the
# next start. Only the admins named in course.json are hub admins.
c.JupyterHub.authenticator_class = RosterAuthenticator
c.RosterAuthenticator.roster = set(settings.roster)
c.Authenticator.allowed_users = set(settings.users)
c.Authenticator.admin_users = set(settings.admins)
c.Authenticator.allow_existing_users = False
c.Authenticator.delete_invalid_users = True

# Each user's server runs as their system user (LocalProcessSpawner, the default), from the
# shared environment. nbgrader calls alembic for its gradebook, so that environment's bin/
# comes first on PATH.
c.Spawner.cmd = [str(settings.env_bin("jupyterhub-singleuser"))]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {"PATH": f"{settings.python_env / 'bin'}:/usr/local/bin:/usr/bin:/bin"}

# The formgrader on JupyterHub 4.1 and later: jupyterhub-singleuser sends
# "Content-Security-Policy: frame-ancestors 'none'" unless told otherwise, and JupyterLab shows
# the formgrader in a frame of its own page, which then stays blank. Allow frames of the same
# origin (the user's own server) and nothing else.
SAME_ORIGIN_FRAMES = {"headers": {"Content-Security-Policy": "frame-ancestors 'self'"}}
c.Spawner.args = [f"--ServerApp.tornado_settings={json.dumps(SAME_ORIGIN_FRAMES)}"]

# The idle culler: a server with no activity for idle_timeout_minutes is stopped (its user's
# files stay; logging in again starts a new one). It looks every quarter of the timeout,
# between 5 s and 5 min.
if settings.idle_timeout_minutes:
    timeout = round(settings.idle_timeout_minutes * 60)
    c.JupyterHub.services = [{"name": "idle-culler", "command": [
        str(settings.env_bin("python")), "-m", "jupyterhub_idle_culler", f"--timeout={timeout}",
        f"--cull-every={max(5, min(300, timeout // 4))}"]}]
    c.JupyterHub.load_roles = [{"name": "idle-culler", "services": ["idle-culler"],
                                "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]}]

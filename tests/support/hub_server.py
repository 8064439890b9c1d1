"""A real JupyterHub on loopback for the deployment tests, set up by ``deploy/setup_server.py``
for system users that this module creates, with passwords (the tests run as root, as CI does).

The kit is deployed as the README says, from a copy of its own (``BASE/kit``, in place of
``/opt/rnn-course-kit``). The hub loads that copy's ``deploy/jupyterhub_config.py`` unchanged,
PAM logins included; a test config on top only picks free ports and adds a service whose token
drives the hub's REST API.
"""
import contextlib
import fcntl
import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests
import websocket

from deploy.settings import KIT_ROOT, load_settings
from tests.support.ports import free_port

BASE = Path("/tmp/rnn-course-hub-test")  # under /tmp: the course's users cannot enter root's folders
LOCK = Path("/tmp/rnn-course-hub-test.lock")
ENV_DIR = BASE / "env"  # kept between runs: set-up reinstalls it only when requirements.txt changes
DEPLOYED_KIT = BASE / "kit"  # the kit's own copy on the server, as the README clones it
SYSTEM_PYTHON = "/usr/bin/python3"
INSTRUCTOR = "rnnhub-teacher"
# Mallory's submission attacks its grader; Cleo fetches the assignment and looks around
STUDENTS = ("rnnhub-ada", "rnnhub-ben", "rnnhub-mallory", "rnnhub-cleo")
NAMES = {"rnnhub-ada": ("Ada", "Byron"), "rnnhub-ben": ("Ben", "Okafor"), "rnnhub-mallory": ("Mallory", "Kent"),
         "rnnhub-cleo": ("Cleo", "Duval")}
OUTSIDER = "rnnhub-outsider"  # has an account on the server, but is not on the course's roster
ACCOUNTS = (INSTRUCTOR, *STUDENTS, OUTSIDER)
COURSE_ID = "rnn-step-by-step"
NOT_DEPLOYED = shutil.ignore_patterns(".git", ".venv", ".samples", "test-output", "__pycache__", ".pytest_cache")


def home_of(user):
    return BASE / "home" / user


def hub_prerequisites_missing():
    """Why this machine cannot run the hub tests, or None."""
    if os.geteuid() != 0:
        return "needs root: it creates system users and runs the hub as root (CI runs as root)"
    if not shutil.which("npm"):
        return "needs Node.js and npm for configurable-http-proxy (Debian: apt-get install nodejs, then npm if missing)"
    if not os.path.exists(SYSTEM_PYTHON) or \
            subprocess.run([SYSTEM_PYTHON, "-c", "import ensurepip, venv"], capture_output=True).returncode:
        return f"needs {SYSTEM_PYTHON} with venv (Debian: apt-get install python3-venv)"
    return None


def _remove_user(user):
    """The user, their processes, their home and what they left at the top of /tmp."""
    subprocess.run(["pkill", "-KILL", "-u", user], capture_output=True)
    with contextlib.suppress(KeyError):
        uid = pwd.getpwnam(user).pw_uid
        for entry in Path("/tmp").iterdir():
            if entry.lstat().st_uid != uid:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink()
    subprocess.run(["userdel", "--remove", user], capture_output=True)


def create_users():
    """The course's accounts and one outsider, each with a password of its own; returns them."""
    passwords = {}
    for user in ACCOUNTS:
        _remove_user(user)
        subprocess.run(["useradd", "--create-home", "--home-dir", str(home_of(user)), "--shell", "/bin/bash",
                        "--user-group", user], check=True)
        passwords[user] = secrets.token_urlsafe(12)
    subprocess.run(["chpasswd"], input="".join(f"{user}:{password}\n" for user, password in passwords.items()),
                   text=True, check=True)
    return passwords


def remove_users():
    for user in ACCOUNTS:
        _remove_user(user)


def deploy_kit():
    """The kit's copy on the server, as ``git clone`` leaves it (without the checkout's own
    environment, scratch courses and outputs)."""
    shutil.copytree(KIT_ROOT, DEPLOYED_KIT, ignore=NOT_DEPLOYED, symlinks=True)


def write_settings(port, **changes):
    """The course settings of the test server: fresh folders under BASE, the kept environment."""
    path = BASE / "course.json"
    students = [{"id": user, "first_name": NAMES[user][0], "last_name": NAMES[user][1]} for user in STUDENTS]
    path.write_text(json.dumps({
        "course_id": COURSE_ID, "instructor": INSTRUCTOR, "students": students, "admins": [],
        "env_dir": str(ENV_DIR), "exchange_root": str(BASE / "exchange"), "hub_dir": str(BASE / "hub"),
        "bind_url": f"http://127.0.0.1:{port}", "idle_timeout_minutes": 60, **changes}, indent=2))
    return path


def run_setup(settings_path, python=SYSTEM_PYTHON):
    """``deploy/setup_server.py`` as an administrator runs it: the system Python, from the kit's copy."""
    return subprocess.run([SYSTEM_PYTHON, "-m", "deploy.setup_server", "--settings", str(settings_path),
                           "--python", str(python)], cwd=DEPLOYED_KIT, capture_output=True, text=True)


def login(url, user, password):
    """Log in on the hub's login page as a browser does; the response (a redirect on success)."""
    session = requests.Session()
    session.get(f"{url}/hub/login", timeout=30).raise_for_status()
    return session.post(f"{url}/hub/login", timeout=60, allow_redirects=False,
                        data={"username": user, "password": password, "_xsrf": session.cookies.get("_xsrf", "")})


class Hub:
    """The running hub: its REST API with the test service's token, and each user's server.
    ``restart`` starts it again with changed settings."""

    def __init__(self, settings_path, port, passwords, began):
        self.settings_path, self.port, self.passwords = settings_path, port, passwords
        self.began = began  # time.time() before the deployment's first file was written
        self.url = f"http://127.0.0.1:{port}"
        self.token = secrets.token_hex(32)
        self.log_path = BASE / "hub" / "hub.log"
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"token {self.token}"
        self.process = None

    @property
    def settings(self):
        return load_settings(self.settings_path)

    def start(self):
        config = BASE / "hub" / "test_jupyterhub_config.py"
        config.write_text(_test_hub_config(self.token, free_port(), free_port()))
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                [self.settings.env_bin("jupyterhub"), "-f", config], cwd=self.settings.hub_dir, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
                env={**os.environ, "RNN_COURSE_SETTINGS": str(self.settings_path),
                     "PATH": f"{self.settings.python_env / 'bin'}:/usr/local/bin:/usr/bin:/bin"})
        _wait_for_hub(self)

    def stop(self):
        if self.process is not None:
            _stop(self.process)
            self.process = None

    def restart(self, **settings_changes):
        self.stop()
        write_settings(self.port, **settings_changes)
        self.start()

    def log_text(self):
        return self.log_path.read_text(errors="replace")

    def log_tail(self, lines=60):
        return "\n".join(self.log_text().splitlines()[-lines:])

    def api(self, method, path, expect_ok=True, token=None, **kwargs):
        headers = {"Authorization": f"token {token}"} if token else {}
        response = self.http.request(method, f"{self.url}/hub/api{path}", timeout=60, headers=headers, **kwargs)
        if not expect_ok:
            return response
        assert response.ok, f"hub API {method} {path}: {response.status_code} {response.text[:500]}"
        return response.json() if response.content else None

    def start_servers(self, users, timeout=240):
        for user in users:
            self.api("POST", f"/users/{user}/server")
        deadline = time.monotonic() + timeout
        waiting = set(users)
        while waiting and time.monotonic() < deadline:
            for user in list(waiting):
                server = self.api("GET", f"/users/{user}").get("servers", {}).get("")
                if server and server.get("ready"):
                    waiting.discard(user)
            time.sleep(0.5)
        assert not waiting, f"servers of {sorted(waiting)} did not start:\n{self.log_tail()}"

    def server(self, user, token=None):
        return UserServer(f"{self.url}/user/{user}", token or self.token)


class UserServer:
    """One user's Jupyter server behind the hub's proxy: the REST calls JupyterLab makes."""

    def __init__(self, url, token):
        self.url, self.token = url, token
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"token {token}"

    def request(self, method, path, expect_ok=True, timeout=300, **kwargs):
        response = self.http.request(method, f"{self.url}/{path}", timeout=timeout, **kwargs)
        if expect_ok:
            assert response.ok, f"{method} {self.url}/{path}: {response.status_code} {response.text[:1000]}"
        return response

    def post_json(self, path, **kwargs):
        return self.request("POST", path, **kwargs).json()

    def assignment_action(self, action, assignment):
        """The student's Assignments panel: fetch, submit or fetch_feedback."""
        return self.post_json(f"assignments/{action}", data={"course_id": COURSE_ID, "assignment_id": assignment})

    def read_notebook(self, path):
        return self.request("GET", f"api/contents/{path}", params={"content": 1}).json()["content"]

    def save_notebook(self, path, notebook):
        self.request("PUT", f"api/contents/{path}", json={"type": "notebook", "format": "json", "content": notebook})

    def listing(self, path):
        return [entry["name"] for entry in self.request("GET", f"api/contents/{path}").json()["content"]]

    def read_text(self, path):
        return self.request("GET", f"api/contents/{path}", params={"format": "text", "content": 1}).json()["content"]

    def run_code(self, code, timeout=120):
        """Run code in a new kernel of this server, as its user would; return what it prints."""
        kernel = self.post_json("api/kernels", json={"name": "python3"})
        ws_url = self.url.replace("http://", "ws://") + f"/api/kernels/{kernel['id']}/channels"
        socket = websocket.create_connection(ws_url, header=[f"Authorization: token {self.token}"], timeout=timeout)
        try:
            msg_id = uuid.uuid4().hex
            socket.send(json.dumps({
                "header": {"msg_id": msg_id, "username": "test", "session": uuid.uuid4().hex,
                           "msg_type": "execute_request", "version": "5.3"},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                            "allow_stdin": False, "stop_on_error": True}}))
            printed, errors = [], []
            while True:
                message = json.loads(socket.recv())
                if message.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = message["msg_type"], message["content"]
                if kind == "stream":
                    printed.append(content["text"])
                elif kind == "error":
                    errors.append("\n".join(content["traceback"]))
                elif kind == "status" and content["execution_state"] == "idle":
                    break
        finally:
            socket.close()
            self.request("DELETE", f"api/kernels/{kernel['id']}", expect_ok=False)
        assert not errors, "the code raised:\n" + "\n".join(errors)
        return "".join(printed)


def _test_hub_config(service_token, hub_port, proxy_port):
    """The deployed config, with free ports and a service token for the test."""
    return f"""
c = get_config()  # noqa: F821
load_subconfig({str(DEPLOYED_KIT / 'deploy' / 'jupyterhub_config.py')!r})  # noqa: F821
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_port}"
c.Spawner.start_timeout = c.Spawner.http_timeout = 180  # a loaded 2-core CI machine starts servers slowly
c.JupyterHub.services = [*c.JupyterHub.get("services", []),
                         {{"name": "deployment-test", "api_token": {service_token!r}}}]
c.JupyterHub.load_roles = [*c.JupyterHub.get("load_roles", []), {{
    "name": "deployment-test", "services": ["deployment-test"],
    "scopes": ["admin:users", "admin:servers", "access:servers", "tokens"]}}]
"""


@contextlib.contextmanager
def running_hub():
    """Users, set-up and a running hub; everything but the shared environment removed after."""
    missing = hub_prerequisites_missing()
    if missing:
        pytest.skip(missing)
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two test runs on one machine take turns: same users, same folders
        yield from _hub_session()


def _hub_session():
    began = time.time()
    remove_users()
    for leftover in ("home", "exchange", "hub", "kit"):
        shutil.rmtree(BASE / leftover, ignore_errors=True)
    (BASE / "home").mkdir(parents=True)
    os.chmod(BASE, 0o755)
    os.chmod(BASE / "home", 0o755)
    hub = None
    try:
        passwords = create_users()
        deploy_kit()
        port = free_port()
        settings_path = write_settings(port)
        setup = run_setup(settings_path)
        assert setup.returncode == 0, f"deploy/setup_server.py failed:\n{setup.stdout}\n{setup.stderr}"
        hub = Hub(settings_path, port, passwords, began)
        hub.start()
        yield hub, setup.stdout
    finally:
        if hub is not None:
            hub.stop()
        remove_users()


def _wait_for_hub(hub, timeout=120):
    deadline = time.monotonic() + timeout
    process = hub.process
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the hub exited ({process.returncode}):\n{hub.log_tail()}"
        with contextlib.suppress(requests.ConnectionError):
            if requests.get(f"{hub.url}/hub/api/", timeout=5).ok:
                return
        time.sleep(0.5)
    raise AssertionError(f"the hub did not answer in {timeout} s:\n{hub.log_tail()}")


def _stop(process):
    """Stop the hub (it stops the users' servers and its proxy), then anything left in its group."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()

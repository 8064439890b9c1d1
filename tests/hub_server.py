"""A real JupyterHub on loopback for the deployment tests, set up by ``deploy/setup_server.py``
for system users that this module creates (the tests run as root, as CI does).

The hub loads ``deploy/jupyterhub_config.py`` unchanged; a test config on top swaps PAM for
JupyterHub's test authenticator and adds a service whose token drives the hub's REST API.
"""
import contextlib
import fcntl
import json
import os
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
from tests.ports import free_port

BASE = Path("/tmp/rnn-course-hub-test")  # under /tmp: the course's users cannot enter root's folders
LOCK = Path("/tmp/rnn-course-hub-test.lock")
ENV_DIR = BASE / "env"  # kept between runs: set-up reinstalls it only when requirements.txt changes
SYSTEM_PYTHON = "/usr/bin/python3"
INSTRUCTOR = "rnnhub-teacher"
STUDENTS = ("rnnhub-ada", "rnnhub-ben", "rnnhub-mallory")  # Mallory's submission attacks its grader
COURSE_ID = "rnn-step-by-step"


def home_of(user):
    return BASE / "home" / user


def hub_prerequisites_missing():
    """Why this machine cannot run the hub tests, or None."""
    if os.geteuid() != 0:
        return "needs root: it creates system users and runs the hub as root (CI runs as root)"
    if not shutil.which("npm"):
        return "needs Node.js and npm for configurable-http-proxy (Debian: apt-get install nodejs npm)"
    if not os.path.exists(SYSTEM_PYTHON) or \
            subprocess.run([SYSTEM_PYTHON, "-c", "import ensurepip, venv"], capture_output=True).returncode:
        return f"needs {SYSTEM_PYTHON} with venv (Debian: apt-get install python3-venv)"
    return None


def _remove_user(user):
    subprocess.run(["pkill", "-KILL", "-u", user], capture_output=True)
    subprocess.run(["userdel", "--remove", user], capture_output=True)


def create_users():
    for user in (INSTRUCTOR, *STUDENTS):
        _remove_user(user)
        subprocess.run(["useradd", "--create-home", "--home-dir", str(home_of(user)), "--shell", "/bin/bash",
                        "--user-group", user], check=True)


def remove_users():
    for user in (INSTRUCTOR, *STUDENTS):
        _remove_user(user)


def write_settings(port):
    """The course settings of the test server: fresh folders under BASE, the kept environment."""
    path = BASE / "course.json"
    path.write_text(json.dumps({
        "course_id": COURSE_ID, "instructor": INSTRUCTOR, "students": list(STUDENTS), "admins": [INSTRUCTOR],
        "env_dir": str(ENV_DIR), "exchange_root": str(BASE / "exchange"), "hub_dir": str(BASE / "hub"),
        "bind_url": f"http://127.0.0.1:{port}"}, indent=2))
    return path


def run_setup(settings_path):
    """``deploy/setup_server.py`` as an administrator runs it: the system Python, from the kit."""
    return subprocess.run([SYSTEM_PYTHON, "-m", "deploy.setup_server", "--settings", str(settings_path),
                           "--python", SYSTEM_PYTHON], cwd=KIT_ROOT, capture_output=True, text=True)


class Hub:
    """The running hub: its REST API with the test service's token, and each user's server."""

    def __init__(self, settings_path, url, token, password, log_path):
        self.settings_path, self.settings = settings_path, load_settings(settings_path)
        self.url, self.token, self.password, self.log_path = url, token, password, log_path
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"token {token}"

    def log_tail(self, lines=60):
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def api(self, method, path, **kwargs):
        response = self.http.request(method, f"{self.url}/hub/api{path}", timeout=60, **kwargs)
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


def _test_hub_config(service_token, password, hub_port, proxy_port):
    """The deployed config, with the test authenticator (one password for every user) and a
    service token for the test."""
    return f"""
c = get_config()  # noqa: F821
load_subconfig({str(KIT_ROOT / 'deploy' / 'jupyterhub_config.py')!r})  # noqa: F821
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_port}"
c.Spawner.start_timeout = c.Spawner.http_timeout = 180  # a loaded 2-core CI machine starts servers slowly
c.JupyterHub.services = [{{"name": "deployment-test", "api_token": {service_token!r}}}]
c.JupyterHub.load_roles = [{{"name": "deployment-test", "services": ["deployment-test"],
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
    remove_users()
    for leftover in ("home", "exchange", "hub"):
        shutil.rmtree(BASE / leftover, ignore_errors=True)
    (BASE / "home").mkdir(parents=True)
    os.chmod(BASE, 0o755)
    os.chmod(BASE / "home", 0o755)
    hub_process = None
    try:
        create_users()
        port = free_port()
        settings_path = write_settings(port)
        setup = run_setup(settings_path)
        assert setup.returncode == 0, f"deploy/setup_server.py failed:\n{setup.stdout}\n{setup.stderr}"
        settings = load_settings(settings_path)
        token, password = secrets.token_hex(32), secrets.token_hex(16)
        config = BASE / "hub" / "test_jupyterhub_config.py"
        config.write_text(_test_hub_config(token, password, free_port(), free_port()))
        log_path = BASE / "hub" / "hub.log"
        with open(log_path, "w") as log:
            hub_process = subprocess.Popen(
                [settings.env_bin("jupyterhub"), "-f", config], cwd=settings.hub_dir, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
                env={**os.environ, "RNN_COURSE_SETTINGS": str(settings_path),
                     "PATH": f"{settings.python_env / 'bin'}:/usr/local/bin:/usr/bin:/bin"})
        hub = Hub(settings_path, f"http://127.0.0.1:{port}", token, password, log_path)
        _wait_for_hub(hub, hub_process)
        yield hub, setup.stdout
    finally:
        if hub_process is not None:
            _stop(hub_process)
        remove_users()


def _wait_for_hub(hub, process, timeout=120):
    deadline = time.monotonic() + timeout
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

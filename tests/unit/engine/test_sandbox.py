"""Learner code in a grading kernel, launched or forked, is confined: it runs as nobody in a copy
of its own submission, sees nothing else of the course, reaches no network, meets every limit,
and leaves nothing running; where no sandbox can start, grading refuses and names the fix."""
import json
import os
import shutil
import sys

import nbformat
import psutil
import pytest
from nbclient import NotebookClient

from course_tools.grade_class.zygote import ForkedKernelManager, become_subreaper
from course_tools.grading.kernels import PrivateSocketKernelManager
from course_tools.grading.sandbox import FIX, Confinement, Sandbox, SandboxUnavailable
from tests.support.markers import QUICK
from tests.support.ports import Listener
from tests.support.rnn_assignment import ASSIGNMENT, RELEASE_DIR
from tests.support.sandboxing import course_confinement

pytestmark = QUICK

DISTRIBUTION_BWRAP = "/usr/bin/bwrap"  # Debian's bubblewrap package (.ci/run installs it)
# (kernel manager, bwrap): the kit's launched and forked kernels with the pinned wheel's bwrap,
# and launched kernels with the distribution's
KERNELS = [(PrivateSocketKernelManager, ""),
           pytest.param(ForkedKernelManager, "", marks=pytest.mark.skipif(not become_subreaper(),
                                                                         reason="forked kernels need Linux")),
           pytest.param(PrivateSocketKernelManager, DISTRIBUTION_BWRAP, marks=pytest.mark.skipif(
               not os.access(DISTRIBUTION_BWRAP, os.X_OK), reason="no bubblewrap package (apt-get install bubblewrap)"))]

PROBE = r'''
import json, os, socket, subprocess
seen = {"uid": [os.getuid(), os.getgid()], "cwd": os.getcwd(), "entries": sorted(os.listdir(".")),
        "tmp": sorted(os.listdir("/tmp")), "env": sorted(os.environ),
        "visible": [path for path in SECRETS if os.path.exists(path)],
        "home": sorted(os.listdir(HOME)) if os.path.isdir(HOME) else None}
try:
    socket.create_connection(("127.0.0.1", PORT), timeout=2).close()
    seen["network"] = "connected"
except OSError as error:
    seen["network"] = type(error).__name__
def refused(action):
    try:
        action()
    except (OSError, MemoryError) as error:
        return type(error).__name__
    return "allowed"
seen["write_helper"] = refused(lambda: open("public_tests/__init__.py", "a").write("# mine"))
seen["write_new_file"] = refused(lambda: open("notes.txt", "w").write("mine"))
seen["huge_file"] = refused(lambda: open("/tmp/huge", "wb").write(b"x" * (70 << 20)))
os.remove("/tmp/huge")
def fill_tmp():
    for n in range(1000):
        with open(f"/tmp/fill{n}", "wb") as handle:
            handle.write(b"x" * (1 << 20))
seen["fill_tmp"] = refused(fill_tmp)
seen["tmp_mb"] = len([name for name in os.listdir("/tmp") if name.startswith("fill")])
seen["memory"] = refused(lambda: bytearray(3 << 30))
children = []
def fork_many():
    for n in range(400):
        pid = os.fork()
        if pid == 0:
            import time
            time.sleep(30)
            os._exit(0)
        children.append(pid)
seen["processes"] = [refused(fork_many), len(children)]
for pid in children:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
files = []
def open_many():
    for n in range(1000):
        files.append(open(os.devnull))
seen["open_files"] = [refused(open_many), len(files)]
for handle in files:
    handle.close()
subprocess.Popen(["setsid", "sleep", MARK])  # a detached process, to outlive the grading
print("SEEN " + json.dumps(seen))
'''


@pytest.fixture(scope="module")
def loopback_server():
    """An HTTP server on 127.0.0.1 that records whoever connects."""
    listener = Listener()
    yield listener
    listener.close()


def a_course_with_one_submission(root):
    """A course folder with a gradebook, a source notebook and one learner's autograded folder."""
    folder = root / "autograded" / "ada" / ASSIGNMENT
    shutil.copytree(RELEASE_DIR, folder)
    (root / "gradebook.db").write_text("the gradebook")
    (root / "source" / ASSIGNMENT).mkdir(parents=True)
    (root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").write_text("the solutions")
    (folder / "link_to_gradebook").symlink_to(root / "gradebook.db")
    return folder


@pytest.mark.parametrize("manager, bwrap", KERNELS)
def test_a_grading_kernel_is_confined(manager, bwrap, tmp_path, loopback_server, monkeypatch):
    port = loopback_server.port
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "the instructor's token")  # as on the hub
    folder = a_course_with_one_submission(tmp_path)
    mark = f"9{os.getpid() % 1000}.{tmp_path.stat().st_ino % 1000}"
    secrets = [str(tmp_path), str(tmp_path / "gradebook.db"), str(tmp_path / "source"),
               str(RELEASE_DIR.parent.parent / "course_tools"), "link_to_gradebook/.."]
    home = os.path.expanduser("~")
    source = (PROBE.replace("SECRETS", repr(secrets)).replace("PORT", str(port)).replace("MARK", repr(mark))
              .replace("HOME", repr(home)))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    confinement = course_confinement(bwrap=bwrap)
    NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(folder)}},
                   kernel_manager_class=manager, config=confinement.config).execute()
    text = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    seen = json.loads(text.split("SEEN ", 1)[1])
    assert seen["uid"] == [65534, 65534]
    assert seen["cwd"] == f"/home/learner/{ASSIGNMENT}"
    assert seen["entries"] == sorted(os.listdir(folder)), "the copy: the submission and the release's helpers"
    interpreter = {os.path.relpath(p, "/tmp").split(os.sep)[0] for p in (sys.base_prefix, sys.prefix)
                   if p.startswith("/tmp/")}  # an environment installed under /tmp stays in sight
    sockets = [name for name in seen["tmp"] if name not in interpreter]
    assert len(sockets) == 1 and sockets[0].startswith("rnn-kernel-"), "only its own socket folder"
    assert seen["visible"] == []
    # the grader's home: at most the folders on the way to the interpreter, if it lies there
    on_the_way = {os.path.relpath(p, home).split(os.sep)[0] for p in (sys.base_prefix, sys.prefix)
                  if p.startswith(home + os.sep)}
    assert seen["home"] is None or set(seen["home"]) <= on_the_way, seen["home"]
    assert "JUPYTERHUB_API_TOKEN" not in seen["env"] and "KIT_ROOT" not in seen["env"], "the grader's variables"
    assert seen["network"] in ("ConnectionRefusedError", "OSError") and not loopback_server.connections
    assert seen["write_helper"] == "OSError" and seen["write_new_file"] == "allowed"
    assert seen["huge_file"] == "OSError"  # past the file size limit
    assert seen["fill_tmp"] == "OSError" and seen["tmp_mb"] <= confinement.scratch_mb + 1  # the last one empty
    assert seen["memory"] == "MemoryError"
    assert seen["processes"][0] == "BlockingIOError" and seen["processes"][1] < confinement.processes
    assert seen["open_files"][0] == "OSError" and seen["open_files"][1] < confinement.open_files
    left = [p.pid for p in psutil.process_iter(["cmdline"]) if p.info["cmdline"] == ["sleep", mark]]
    assert not left, "a process the kernel started outlived it"


def test_where_no_sandbox_can_start_grading_refuses_and_names_the_fix():
    with pytest.raises(SandboxUnavailable) as refused:
        Confinement(bwrap="/nonexistent/bwrap").check()
    assert FIX in str(refused.value) and "apt-get install bubblewrap" in str(refused.value)
    assert "c.Confinement.enabled = False" in str(refused.value)


def test_with_confinement_turned_off_the_command_is_run_as_it_is(tmp_path):
    with Sandbox(Confinement(enabled=False), RELEASE_DIR) as sandbox:
        assert sandbox.command(["python", "-c", "pass"]) == ["python", "-c", "pass"]
        assert sandbox.workdir == str(sandbox.copy) and (sandbox.copy / f"{ASSIGNMENT}.ipynb").exists()

"""Grading kernels talk over Unix domain sockets in a private folder of their own: nbgrader's
configuration selects the kit's kernel manager, no TCP port is picked, the folder is readable
by its owner only and is gone once the kernel is (also when the kernel dies, and when its
manager was killed: the next kernel started removes it)."""
import json
import os
import stat
import subprocess
import tempfile

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from course_tools.grade_class.zygote import ForkedKernelManager, become_subreaper
from course_tools.grading.kernels import SOCKET_FOLDER_PREFIX, PrivateSocketKernelManager
from course_tools.grading.nbgrader_plugins import HaltingExecute
from course_tools.nbgrader_cli import course_config
from tests.support.markers import QUICK
from tests.support.rnn_assignment import ROOT

pytestmark = QUICK

# what the kernel sees of its own connection: the file, its folder and the sockets it listens on
PROBE = """
import json, os, stat, psutil
from ipykernel.kernelapp import IPKernelApp
app = IPKernelApp.instance()
folder = os.path.dirname(app.abs_connection_file)
print(json.dumps({
    "connection": json.load(open(app.abs_connection_file)),
    "folder": folder, "mode": stat.S_IMODE(os.stat(folder).st_mode),
    "unix": sorted({c.laddr for c in psutil.Process().net_connections("unix") if c.laddr}),
}))
"""

MANAGERS = [PrivateSocketKernelManager]
if become_subreaper():
    MANAGERS.append(ForkedKernelManager)


def run(cells, tmp_path, manager):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
    NotebookClient(nb, timeout=20, kernel_name="python3", kernel_manager_class=manager,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    return nb


def test_the_feedback_run_built_from_the_course_configuration_uses_the_private_socket_manager():
    # nbgrader's Execute passes its own kernel manager as an argument; the kit's must win
    assert HaltingExecute(config=course_config(str(ROOT))).kernel_manager_class is PrivateSocketKernelManager
    assert issubclass(ForkedKernelManager, PrivateSocketKernelManager)  # grade-class's forked kernels too


@pytest.mark.parametrize("manager", MANAGERS, ids=lambda m: m.__name__)
def test_a_kernel_listens_on_unix_sockets_in_a_private_folder_removed_after(tmp_path, manager):
    seen = json.loads(run([PROBE], tmp_path, manager).cells[0].outputs[0]["text"])
    connection, folder = seen["connection"], seen["folder"]
    assert connection["transport"] == "ipc"
    assert connection["ip"] == os.path.join(folder, "kernel")
    assert os.path.basename(folder).startswith(SOCKET_FOLDER_PREFIX)
    assert seen["mode"] & 0o777 == stat.S_IRWXU  # 0700: nobody else can reach the sockets
    ports = [connection[f"{name}_port"] for name in ("shell", "iopub", "stdin", "control", "hb")]
    assert sorted(seen["unix"]) == sorted(f"{folder}/kernel-{port}" for port in ports)
    assert not os.path.exists(folder)


@pytest.mark.parametrize("manager", MANAGERS, ids=lambda m: m.__name__)
def test_the_folder_goes_with_a_kernel_that_dies(tmp_path, manager):
    folders = []

    class Recording(manager):
        async def start_kernel(self, **kwargs):
            result = await super().start_kernel(**kwargs)
            folders.append(self.socket_folder)
            return result

    with pytest.raises(DeadKernelError):
        run(["import os; os._exit(3)"], tmp_path, Recording)
    assert len(folders) == 1 and folders[0].startswith(tempfile.gettempdir())
    assert not os.path.exists(folders[0])


def test_the_next_kernel_removes_the_folder_of_a_killed_manager(tmp_path):
    ended = subprocess.Popen(["true"])
    ended.wait()  # a process id that no longer runs, as a killed grading's
    orphaned = tempfile.mkdtemp(prefix=f"{SOCKET_FOLDER_PREFIX}{ended.pid}-")
    alive = tempfile.mkdtemp(prefix=f"{SOCKET_FOLDER_PREFIX}{os.getpid()}-")  # a manager still running
    try:
        run(["pass"], tmp_path, PrivateSocketKernelManager)
        assert not os.path.exists(orphaned)
        assert os.path.exists(alive)
    finally:
        os.rmdir(alive)

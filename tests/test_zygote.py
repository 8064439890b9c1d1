"""Kernels forked from the zygote are the kernels jupyter_client would launch: same sys.path,
working directory, environment and modules, a parent they watch, fresh random seeds; and they
are stopped, interrupted and found dead the same way."""
import json
import os

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from course_tools.grade_class.zygote import ForkedKernelManager, become_subreaper

pytestmark = pytest.mark.skipif(not become_subreaper(), reason="forked kernels need Linux's child subreaper")

PROBE = """
import json, os, sys
import numpy as np
from ipykernel.kernelapp import IPKernelApp
app = IPKernelApp.instance()
print(json.dumps({
    "path": sys.path, "cwd": os.getcwd(), "argv": sys.argv[1:2],
    "env": {k: v for k, v in os.environ.items() if k != "JPY_PARENT_PID"},
    "parent": [app.parent_handle, os.getppid()], "watching_parent": app.poller is not None,
    "session_leader": os.getsid(0) == os.getpid(),
    "course_modules": sorted(m for m in sys.modules if m.startswith("course_tools")),
    "random": np.random.rand(),
}))
"""


def run(cells, tmp_path, timeout=20, **client_options):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}},
                            **client_options)
    client.execute()
    return nb


def probe(tmp_path, **client_options):
    nb = run([PROBE], tmp_path, **client_options)
    return json.loads(nb.cells[0].outputs[0]["text"])


def test_a_forked_kernel_is_set_up_like_a_launched_one(tmp_path):
    launched = probe(tmp_path)
    forked = probe(tmp_path, kernel_manager_class=ForkedKernelManager)
    for key in ("path", "cwd", "argv", "env", "watching_parent", "session_leader", "course_modules"):
        assert forked[key] == launched[key], key
    assert forked["parent"] == [os.getpid(), os.getpid()]  # adopted by this process, and watching it
    assert forked["course_modules"] == []


def test_each_forked_kernel_draws_its_own_random_seed(tmp_path):
    draws = {probe(tmp_path, kernel_manager_class=ForkedKernelManager)["random"] for _ in range(2)}
    assert len(draws) == 2


def test_a_forked_kernel_that_dies_is_seen_dead(tmp_path):
    with pytest.raises(DeadKernelError):
        run(["import os; os._exit(3)", "print('never')"], tmp_path, kernel_manager_class=ForkedKernelManager)


def test_a_forked_kernel_is_interrupted_at_its_timeout(tmp_path):
    nb = run(["import time\ntry:\n    time.sleep(60)\nexcept KeyboardInterrupt:\n    print('interrupted')"],
             tmp_path, kernel_manager_class=ForkedKernelManager, timeout=2, allow_errors=True,
             interrupt_on_timeout=True)
    texts = [o.get("text", "") + o.get("evalue", "") for o in nb.cells[0].outputs]
    assert any("interrupted" in t or "Timeout" in t or "timed out" in t.lower() for t in texts), texts


def test_no_forked_kernel_outlives_its_notebook(tmp_path):
    nb = run(["import os; print(os.getpid())"], tmp_path, kernel_manager_class=ForkedKernelManager)
    pid = int(nb.cells[0].outputs[0]["text"])
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)

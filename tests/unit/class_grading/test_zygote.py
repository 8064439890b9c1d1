"""Kernels forked from the zygote are the kernels the kit's kernel manager launches (confined,
over Unix sockets): same sys.path, working directory, environment and modules, fresh random
seeds; and they are stopped, interrupted and found dead the same way."""
import json
import os
import time

import nbformat
import psutil
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from course_tools.grade_class.zygote import ForkedKernelManager, become_subreaper
from course_tools.grading.kernels import PrivateSocketKernelManager
from tests.support.markers import QUICK

pytestmark = [QUICK, pytest.mark.skipif(not become_subreaper(),
                                        reason="forked kernels need Linux's child subreaper")]

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
    launched = probe(tmp_path, kernel_manager_class=PrivateSocketKernelManager)
    forked = probe(tmp_path, kernel_manager_class=ForkedKernelManager)
    for key in ("path", "cwd", "argv", "env", "watching_parent", "session_leader", "course_modules"):
        assert forked[key] == launched[key], key
    # confined, neither sees its grader: each is in a PID namespace that ends with its grader
    assert forked["parent"][0] == launched["parent"][0] == 0
    assert forked["cwd"] == f"/home/learner/{tmp_path.name}"
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


def test_no_forked_kernel_outlives_its_notebook_nor_what_it_started(tmp_path):
    marker = f"{os.getpid() % 1000}.{tmp_path.stat().st_ino % 1000}"  # a sleep nobody else runs
    nb = run([f"import os, subprocess\nsubprocess.Popen(['setsid', 'sleep', '3{marker}'])\nprint(os.getpid())"],
             tmp_path, kernel_manager_class=ForkedKernelManager)
    assert nb.cells[0].outputs[0]["text"].strip() == "1"  # the first process of its own PID namespace
    time.sleep(0.2)
    left = [p.info for p in psutil.process_iter(["pid", "cmdline"]) if p.info["cmdline"] == ["sleep", f"3{marker}"]]
    assert not left
    ours = {p.pid for p in psutil.Process().children(recursive=True)}
    kernels = [p.info for p in psutil.process_iter(["pid", "cmdline", "status"]) if p.pid in ours
               and p.info["status"] != psutil.STATUS_ZOMBIE and "ipykernel_launcher" in " ".join(p.info["cmdline"] or [])]
    assert not kernels

"""Start a graded notebook's processes as forks of one that has already imported what they need.

The zygote itself (``course_tools/sandboxed/zygote.py``) runs confined, as learner code does
(``course_tools/grading/sandbox.py``): in a sandbox that sees the interpreter, the system and
the temporary folder; each of its forks confines itself to its own grading's copy and sockets
before it runs anything of the learner's. This module is the grading process's side: it starts
the zygote, asks it for kernels and judge workers, and adopts them.

A fork is made the grading process's own child: the zygote forks a middle process that forks
the real one and exits at once, and the grading process is a "child subreaper" (Linux), so it
adopts the orphan and waits for it as for any child. Where that is unavailable, everything is
launched as usual; kernels are launched as usual too where jupyter_client or ipykernel is not
the version forked kernels were written for (``speedups.WRITTEN_FOR``). Only grade-class's
grading processes fork (``use_forked_processes``, called by ``grader._api_for``); the kernel
manager takes its part through jupyter_client's public provisioner interface.
"""
import atexit
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

from course_tools.grading.judge_worker import SANDBOXED_PACKAGE
from course_tools.grading.sandbox import Confinement, Sandbox
from course_tools.sandboxed.zygote import KERNEL_MODULE, MAX_REQUEST

PR_SET_CHILD_SUBREAPER = 36
EXIT_POLL_SECONDS = 0.005

_subreaper = False  # whether this process has become a child subreaper


# -- the grading process's side ------------------------------------------------------------

def become_subreaper():
    """Ask Linux to hand this process the orphans of its descendants; False where it can't."""
    global _subreaper
    if not _subreaper and sys.platform.startswith("linux"):
        try:
            _subreaper = ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
        except (OSError, AttributeError):
            _subreaper = False
    return _subreaper


def use_forked_processes(config, kernels=True, judge_workers=True):
    """In this grading process (grade-class's, which opts in): make nbgrader's kernels and the
    judge's workers forks of a zygote, where possible; the zygote is confined as ``config``
    says. Kernels are forked only with the versions of jupyter_client and ipykernel they were
    written for (``speedups.WRITTEN_FOR``; else one line on standard error, and they are
    launched as usual)."""
    from course_tools.grade_class.speedups import guarded

    if not become_subreaper():
        return
    Zygote.confinement = Confinement(config=config)
    if kernels and guarded("forked_kernels"):
        config.HaltingExecute.kernel_manager = f"{__name__}.ForkedKernelManager"
    if judge_workers:  # the kit's own hook (judge_worker.JudgeWorker.launch), in this process only
        from course_tools.grading.judge_worker import JudgeWorker

        JudgeWorker.launch = staticmethod(fork_module)


def reap_orphans():
    """Collect any exited process handed to this subreaper that nobody waits for (e.g. what a
    learner's code left running in a kernel). Call only when no subprocess of ours is running."""
    if not _subreaper:
        return
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


class AdoptedProcess:
    """What jupyter_client and the judge need of a Popen, for a process this one adopted."""

    def __init__(self, pid, stdin=None, stdout=None):
        self.pid, self.returncode = pid, None
        self.stdin, self.stdout, self.stderr = stdin, stdout, None

    def poll(self):
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped elsewhere: it has ended, its status is lost
                self.returncode = -1
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(EXIT_POLL_SECONDS)
        return self.returncode

    def send_signal(self, signum):
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self):
        self.send_signal(signal.SIGTERM)

    def kill(self):
        self.send_signal(signal.SIGKILL)


class Zygote:
    """The grading process's handle on its zygote (started on first use, again if it died),
    confined by ``Zygote.confinement``."""

    _instance = None
    _lock = threading.Lock()
    confinement = None  # set by use_forked_processes

    def __init__(self):
        self._socket, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        confinement = self.confinement or Confinement()
        confinement.check()
        self.sandbox = Sandbox(confinement, None, tools=[SANDBOXED_PACKAGE], shared=[tempfile.gettempdir()])
        atexit.register(self.sandbox.remove)  # if killed instead, the next grader removes it
        env = self.sandbox.tool_environment()
        argv = [sys.executable, "-m", "sandboxed.zygote", str(theirs.fileno())]
        self.process = subprocess.Popen(self.sandbox.command(argv, env=env, forks_sandboxes=True),
                                        pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
                                        **self.sandbox.popen_options(env))
        theirs.close()

    @classmethod
    def shared(cls):
        with cls._lock:
            if cls._instance is None or cls._instance.process.poll() is not None:
                cls._instance = cls()
            return cls._instance

    def fork(self, request, fds=()):
        """Have the zygote fork a process for ``request``; return its pid."""
        with self._lock:
            socket.send_fds(self._socket, [json.dumps(request).encode()], list(fds))
            reply = self._socket.recv(MAX_REQUEST)
        if not reply:
            raise RuntimeError("the zygote stopped")
        return json.loads(reply)["pid"]


def fork_module(sandbox, env):
    """The judge's worker, ``python -m sandboxed.judge_worker WORKDIR``, as ``launch_with_popen``
    starts it in ``sandbox`` (pipes on its standard input and output, its standard error
    discarded), but forked: an AdoptedProcess."""
    stdin_read, stdin_write = os.pipe()
    stdout_read, stdout_write = os.pipe()
    try:
        pid = Zygote.shared().fork({"kind": "module", "module": "sandboxed.judge_worker", "args": [sandbox.workdir],
                                    "env": env, "cwd": sandbox.workdir, "adopter": os.getpid(),
                                    "grading": sandbox.fork_spec()}, fds=(stdin_read, stdout_write))
    finally:
        os.close(stdin_read)
        os.close(stdout_write)
    return AdoptedProcess(pid, stdin=os.fdopen(stdin_write, "wb"), stdout=os.fdopen(stdout_read, "rb"))


def _forkable(cmd, kwargs):
    """True for the standard ``python -m ipykernel_launcher ...`` of this very interpreter,
    with the standard streams left as they are."""
    return (len(cmd) >= 3 and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable)
            and cmd[1:3] == ["-m", KERNEL_MODULE]
            and all(kwargs.get(name) is None for name in ("stdin", "stdout", "stderr")))


def _kernel_classes():
    """The provisioner and manager classes, made on first use (jupyter_client is imported only
    by the processes that start kernels)."""
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.provisioning import LocalProvisioner

    from course_tools.grading.kernels import PrivateSocketKernelManager

    class ForkedKernelProvisioner(LocalProvisioner):
        """The local provisioner, with kernels forked from the zygote instead of launched."""

        async def launch_kernel(self, cmd, **kwargs):
            if not _forkable(cmd, kwargs):  # launched as the kit's manager launches it: confined
                return await super().launch_kernel(self.parent.confined(cmd), **kwargs)
            sandbox = self.parent.sandbox
            env = dict(kwargs.get("env") or os.environ)
            if sandbox.confined:  # as the confined launch has it (kernels.py)
                env, cwd = sandbox.environment(env), sandbox.workdir
            else:
                env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it
                cwd = str(kwargs.get("cwd") or os.getcwd())
            pid = Zygote.shared().fork({"kind": "kernel", "args": cmd[3:], "env": env, "cwd": cwd,
                                        "adopter": os.getpid(), "grading": sandbox.fork_spec()})
            self.process = AdoptedProcess(pid)
            self.pid = self.pgid = pid  # the kernel leads a session of its own
            self.cwd = cwd
            return self.connection_info

    class ForkedKernelManager(PrivateSocketKernelManager):
        """The grading kernel manager (Unix sockets in a private folder, a sandbox), with
        kernels from the zygote: its provisioner, given before the kernel starts (jupyter_client
        makes one from the kernel spec only when it has none)."""

        def format_kernel_cmd(self, extra_arguments=None):
            # the command as the kernel spec gives it: the provisioner forks it (confined by the
            # fork itself) or, when it cannot, confines it as the plain manager does
            self.sandbox.give_to_learner(self.connection_file)
            return AsyncKernelManager.format_kernel_cmd(self, extra_arguments)

        async def start_kernel(self, **kw):
            if self.provisioner is None:  # kept by jupyter_client (tests/unit/class_grading/test_upstream_guards.py)
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
                self.provisioner = ForkedKernelProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                                           parent=self)
            return await super().start_kernel(**kw)

    return ForkedKernelProvisioner, ForkedKernelManager


def __getattr__(name):  # ForkedKernelManager, for nbclient's kernel_manager_class
    if name in ("ForkedKernelProvisioner", "ForkedKernelManager"):
        classes = dict(zip(("ForkedKernelProvisioner", "ForkedKernelManager"), _kernel_classes()))
        globals().update(classes)
        return classes[name]
    raise AttributeError(name)

"""Start a graded notebook's processes as forks of one that has already imported what they need.

For each notebook, nbgrader starts a kernel (``python -m ipykernel_launcher``) and the judge
starts a worker (``python -m course_tools.sandboxed.worker``); each spends a good part of a
second of CPU importing IPython, ipykernel, debugpy, zmq and numpy before it does anything.
The zygote, one per grading process, imports those once; each kernel or worker is a fork of it
that then runs exactly as the command would: the same module, arguments, environment, working
directory, ``sys.path`` and standard streams, with fresh random seeds. A kernel is still a real
ipykernel, started, interrupted and stopped through jupyter_client.

A fork is made the grading process's own child: the zygote forks a middle process that forks
the real one and exits at once, and the grading process is a "child subreaper" (Linux), so it
adopts the orphan and waits for it as for any child. Where that is unavailable, everything is
launched as usual.

The zygote runs this file as a script (``python zygote.py SOCKET_FD``), so that none of the
course's modules is loaded in the processes it forks.
"""
import asyncio
import atexit
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
KERNEL_MODULE = "ipykernel_launcher"
# What a kernel and a judge worker import before their first cell, but ipykernel.kernelapp,
# whose options read the kernel's environment (JPY_PARENT_PID) when it is imported. None of
# them starts a thread when imported.
PRELOADED = ("numpy", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.iostream", "ipykernel.heartbeat",
             "ipykernel.parentpoller", "ipykernel.debugger", "IPython.core.history", "IPython.core.debugger",
             "IPython.core.inputtransformer2", "pdb", "pydoc", "psutil", "xmlrpc.server", "http.server", "gzip",
             "mimetypes", "faulthandler")
MAX_REQUEST = 1 << 20
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


def die_with_parent(parent_pid):
    """Have Linux kill this process with SIGKILL as soon as its parent ends (however it ends);
    exit at once if ``parent_pid`` is no longer the parent. Elsewhere, do nothing."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent_pid:  # it ended before the line above
            os._exit(1)


def use_forked_processes(config):
    """Make nbgrader's kernels and the judge's workers forks of a zygote, where possible."""
    if become_subreaper():
        from course_tools.grading.worker_pool import Worker

        config.HaltingExecute.kernel_manager = f"{__name__}.ForkedKernelManager"
        Worker.launch = staticmethod(fork_module)


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
    """The grading process's handle on its zygote (started on first use, again if it died)."""

    _instance = None
    _lock = threading.Lock()

    def __init__(self):
        self._socket, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.process = subprocess.Popen([sys.executable, os.path.abspath(__file__), str(theirs.fileno()),
                                         str(os.getpid())],
                                        pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
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


def fork_module(module, args, env, cwd):
    """``python -m module args...`` with pipes on its standard input and output and its
    standard error discarded, as the judge starts its worker; a forked AdoptedProcess."""
    stdin_read, stdin_write = os.pipe()
    stdout_read, stdout_write = os.pipe()
    try:
        pid = Zygote.shared().fork({"kind": "module", "module": module, "args": list(args), "env": env,
                                    "cwd": str(cwd), "adopter": os.getpid()}, fds=(stdin_read, stdout_write))
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
    from jupyter_client.provisioning import LocalProvisioner

    from course_tools.grading.kernels import PrivateSocketKernelManager

    class ForkedKernelProvisioner(LocalProvisioner):
        """The local provisioner, with kernels forked from the zygote instead of launched."""

        async def launch_kernel(self, cmd, **kwargs):
            if not _forkable(cmd, kwargs):
                return await super().launch_kernel(cmd, **kwargs)
            env = dict(kwargs.get("env") or os.environ)
            env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it
            cwd = str(kwargs.get("cwd") or os.getcwd())
            pid = Zygote.shared().fork({"kind": "kernel", "args": cmd[3:], "env": env, "cwd": cwd,
                                        "adopter": os.getpid()})
            self.process = AdoptedProcess(pid)
            self.pid = self.pgid = pid  # the kernel leads a session of its own
            self.cwd = cwd
            return self.connection_info

        async def wait(self):
            # jupyter_client looks every 0.1 s whether a stopped kernel has gone; a grading
            # process waits for that once per notebook, so look more often
            while await self.poll() is None:
                await asyncio.sleep(EXIT_POLL_SECONDS)
            return await super().wait()

    class ForkedKernelManager(PrivateSocketKernelManager):
        """The grading kernel manager (Unix sockets in a private folder), with kernels from
        the zygote."""

        async def _async_pre_start_kernel(self, **kw):
            if self.provisioner is None:
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
                self.provisioner = ForkedKernelProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                                           parent=self)
            return await super()._async_pre_start_kernel(**kw)

        async def _async_wait(self, pollinterval=0.1):
            await super()._async_wait(pollinterval=min(pollinterval, EXIT_POLL_SECONDS))

    return ForkedKernelProvisioner, ForkedKernelManager


def __getattr__(name):  # ForkedKernelManager, for nbclient's kernel_manager_class
    if name in ("ForkedKernelProvisioner", "ForkedKernelManager"):
        classes = dict(zip(("ForkedKernelProvisioner", "ForkedKernelManager"), _kernel_classes()))
        globals().update(classes)
        return classes[name]
    raise AttributeError(name)


# -- the zygote's side ---------------------------------------------------------------------

def _python_path(env, base_path, own_entries):
    """``sys.path`` of ``python -m`` with this environment, once the working directory entry
    is left out: its PYTHONPATH, then the interpreter's own entries."""
    extra = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    return extra + [p for p in base_path if p not in own_entries]


def _run_forked(request, fds, base_path, own_entries, zygote_socket, set_by_imports):
    """In the forked process: wait to be adopted, set up like a launched process, run, exit."""
    code = 1
    try:
        zygote_socket.close()
        null = os.open(os.devnull, os.O_RDWR)
        if request["kind"] == "kernel":
            os.setsid()  # as jupyter_client starts kernels: a session (and process group) of its own
            os.dup2(null, 0)
        else:
            os.dup2(fds[0], 0)
            os.dup2(fds[1], 1)
            os.dup2(null, 2)
            for fd in fds:
                os.close(fd)
        os.close(null)
        deadline = time.monotonic() + 10
        while os.getppid() != request["adopter"] and time.monotonic() < deadline:
            time.sleep(0.0005)  # ipykernel watches its parent: start once the adoption is done
        die_with_parent(request["adopter"])  # nothing of a grading outlives its grading process
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        if request["kind"] == "kernel":  # what the preloaded modules set when a kernel imports them
            for name, value in set_by_imports.items():
                os.environ.setdefault(name, value)
        sys.path[:] = _python_path(request["env"], base_path, own_entries)
        import numpy

        numpy.random.seed()  # a launched process draws fresh seeds; so does this one
        if request["kind"] == "kernel":
            import ipykernel_launcher

            sys.argv = [ipykernel_launcher.__file__, *request["args"]]
            from ipykernel import kernelapp  # imported here: it reads JPY_PARENT_PID when imported

            kernelapp.launch_new_instance()
        else:
            import runpy

            sys.path.insert(0, os.getcwd())  # what "python -m" puts first
            sys.argv = ["-m", *request["args"]]
            runpy.run_module(request["module"], run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _fork(request, fds, base_path, own_entries, zygote_socket, set_by_imports):
    pid_read, pid_write = os.pipe()
    middle = os.fork()
    if middle == 0:
        try:
            os.close(pid_read)
            child = os.fork()
            if child == 0:
                os.close(pid_write)
                _run_forked(request, fds, base_path, own_entries, zygote_socket, set_by_imports)
            os.write(pid_write, str(child).encode())
        finally:
            os._exit(0)
    os.close(pid_write)
    for fd in fds:
        os.close(fd)
    with os.fdopen(pid_read, "rb") as reader:
        pid = int(reader.read())
    os.waitpid(middle, 0)  # once the middle process is gone, the child has been adopted
    return pid


def main(socket_fd, grading_pid):
    die_with_parent(grading_pid)
    zygote_socket = socket.socket(fileno=socket_fd)
    base_path = sys.path[1:]  # without this script's folder
    own_entries = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    environment = dict(os.environ)
    for module in PRELOADED:
        __import__(module)
    # variables the imports set only where they are unset (debugpy: PYDEVD_USE_FRAME_EVAL)
    set_by_imports = {name: value for name, value in os.environ.items() if name not in environment}
    while True:
        message, fds, _, _ = socket.recv_fds(zygote_socket, MAX_REQUEST, 2)
        if not message:  # the grading process has gone
            return
        pid = _fork(json.loads(message), fds, base_path, own_entries, zygote_socket, set_by_imports)
        zygote_socket.send(json.dumps({"pid": pid}).encode())


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))

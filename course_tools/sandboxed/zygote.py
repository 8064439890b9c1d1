"""The zygote: a process that has imported what kernels and judge workers need, and forks them.

For each notebook, nbgrader starts a kernel (``python -m ipykernel_launcher``) and the judge
starts a worker (``python -m sandboxed.judge_worker``); each spends a good part of a second of CPU
importing IPython, ipykernel, debugpy, zmq and numpy before it does anything. The zygote, one
per grading process, imports those once; each kernel or worker is a fork of it that then runs
exactly as the command would: the same module, arguments, environment, working directory,
``sys.path`` and standard streams, with fresh random seeds. The grading process's side is
``course_tools/grade_class/zygote.py``.

Run as ``python -m sandboxed.zygote SOCKET_FD``, within the grading sandbox when
learner code is confined (``course_tools/grading/sandbox.py``). Each fork is then confined
once more, for its one grading: it makes a user, mount, PID, network, IPC and UTS namespace of
its own (the *keeper*), shows only its own copy of the submission and its socket folder under
fresh memory file systems, and runs the command as PID 1 of that namespace, with the limits
and without capabilities, so that everything it starts ends with it. The keeper waits for it,
passes its exit status on, and takes it down if the keeper itself is killed.

This module imports nothing of the kit, since it runs beside learner code.
"""
import ctypes
import json
import os
import resource
import select
import signal
import socket
import sys
import time

PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38
PR_CAPBSET_DROP = 24
KERNEL_MODULE = "ipykernel_launcher"
# What a kernel and a judge worker import before their first cell, but ipykernel.kernelapp,
# whose options read the kernel's environment (JPY_PARENT_PID) when it is imported. None of
# them starts a thread when imported.
PRELOADED = ("numpy", "numpy.random", "sqlite3", "IPython.core.application", "IPython.core.shellapp",
             "IPython.core.completerlib", "IPython.extensions.storemagic", "ipykernel.control",
             "ipykernel.shellchannel", "tornado.platform.asyncio", "runpy", "secrets", "ipykernel.ipkernel",
             "ipykernel.zmqshell", "ipykernel.iostream", "ipykernel.heartbeat", "ipykernel.parentpoller",
             "ipykernel.debugger", "IPython.core.history", "IPython.core.debugger", "IPython.core.inputtransformer2",
             "pdb", "pydoc", "psutil", "xmlrpc.server", "http.server", "gzip", "mimetypes", "faulthandler")
MAX_REQUEST = 1 << 20

# namespaces and mount flags (linux/sched.h, linux/mount.h)
CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = (
    1, 2, 4, 8, 32, 4096, 16384, 1 << 18)
MNT_DETACH = 2
LIMITS = {"memory": resource.RLIMIT_AS, "cpu": resource.RLIMIT_CPU, "processes": resource.RLIMIT_NPROC,
          "file_size": resource.RLIMIT_FSIZE, "open_files": resource.RLIMIT_NOFILE}

_libc = ctypes.CDLL(None, use_errno=True)


def die_with_parent(parent_pid):
    """Have Linux kill this process with SIGKILL as soon as its parent ends (however it ends);
    exit at once if ``parent_pid`` is no longer the parent. Elsewhere, do nothing."""
    if sys.platform.startswith("linux"):
        _libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent_pid:  # it ended before the line above
            os._exit(1)


def _check(result, what):
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def _mount(source, target, fstype, flags, data=None):
    _check(_libc.mount(source and source.encode(), target.encode(), fstype and fstype.encode(), flags,
                       data and data.encode()), f"mount {target}")


# -- confining one fork ---------------------------------------------------------------------

def _enter_namespaces():
    """Unshare every namespace (this process's children start a new PID namespace) and map
    this process's uid and gid to themselves in the new user namespace."""
    uid, gid = os.getuid(), os.getgid()
    _check(_libc.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS),
           "unshare")
    with open("/proc/self/setgroups", "w") as handle:
        handle.write("deny")
    with open("/proc/self/uid_map", "w") as handle:
        handle.write(f"{uid} {uid} 1")
    with open("/proc/self/gid_map", "w") as handle:
        handle.write(f"{gid} {gid} 1")


def _bind(source, target, read_only):
    if os.path.isdir(source):
        os.makedirs(target, exist_ok=True)
    else:
        open(target, "a").close()
    _mount(source, target, None, MS_BIND | MS_REC)
    if read_only:
        _mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def _show_only_this_grading(grading):
    """In the new mount namespace: a fresh home holding the copy's entries read-only, a fresh
    /tmp in which only the socket folders are bound, and nothing else of the grader's files."""
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    home, size = grading["home"], f"size={grading['scratch_bytes']},mode=0755"
    _mount("tmpfs", home, "tmpfs", MS_NOSUID | MS_NODEV, size)
    os.makedirs(grading["workdir"])
    for name in sorted(os.listdir(grading["copy"])):
        source, target = os.path.join(grading["copy"], name), os.path.join(grading["workdir"], name)
        if os.path.islink(source):
            os.symlink(os.readlink(source), target)
        else:
            _bind(source, target, read_only=True)
    # what lies under /tmp and must stay (the socket folders; an interpreter installed there),
    # held under the home while /tmp is replaced
    staged = []
    for index, (folder, read_only) in enumerate(grading["binds"]):
        staged.append(os.path.join(home, f".grader-{index}"))
        _bind(folder, staged[-1], read_only)
    _mount("tmpfs", grading["tmp"], "tmpfs", MS_NOSUID | MS_NODEV, size.replace("0755", "1777"))
    for (folder, read_only), stage in zip(grading["binds"], staged):
        os.makedirs(os.path.dirname(folder), exist_ok=True)
        _bind(stage, folder, read_only)
        _check(_libc.umount2(stage.encode(), MNT_DETACH), f"umount {stage}")
        os.rmdir(stage) if os.path.isdir(stage) else os.remove(stage)
    for target, link in grading["links"]:
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(target, link)


def _as_pid_one(grading):
    """In the new PID namespace, before the command: its own /proc (or none), loopback up,
    the host name, the limits, no capabilities, no new privileges."""
    try:
        _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    except OSError:  # a /proc this namespace may not mount over: hide the grader's instead
        _mount("tmpfs", "/proc", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, "size=4k")
    os.setsid()  # a session inside, as bwrap --new-session gives a launched command
    _loopback_up()
    socket.sethostname("grading")
    with open("/proc/sys/user/max_user_namespaces", "w") as handle:  # no namespace of its own in here
        handle.write("0")
    for name, value in grading["limits"].items():
        resource.setrlimit(LIMITS[name], (value, value))
    for capability in range(64):
        _libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    _check(_libc.capset(header, (ctypes.c_uint32 * 6)()), "capset")


def _loopback_up():
    import fcntl
    import struct

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        fcntl.ioctl(sock, 0x8914, struct.pack("16sH14x", b"lo", 0x1 | 0x8 | 0x40))  # SIOCSIFFLAGS: up


def _keep(grading, run):
    """As the keeper: confine, then run ``run()`` as PID 1 of the new PID namespace; exit with
    its status. The keeper's own death (SIGKILL from the grader) takes PID 1 with it."""
    _enter_namespaces()
    _show_only_this_grading(grading)
    alive_read, alive_write = os.pipe()  # open as long as the keeper lives
    child = os.fork()
    if child == 0:
        os.close(alive_write)
        _libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        if select.select([alive_read], [], [], 0)[0]:  # the keeper ended before the line above
            os._exit(1)
        os.close(alive_read)
        _as_pid_one(grading)
        run()
    os.close(alive_read)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):  # the command's pipes end with it, not with the keeper
        os.dup2(null, fd)
    while True:
        try:
            _, status = os.waitpid(child, 0)
            os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
        except InterruptedError:
            continue


# -- the fork server -----------------------------------------------------------------------

def _python_path(env, base_path, own_entries):
    """``sys.path`` of ``python -m`` with this environment, once the working directory entry
    is left out: its PYTHONPATH, then the interpreter's own entries."""
    extra = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    return extra + [p for p in base_path if p not in own_entries]


def _run_forked(request, fds, base_path, own_entries, zygote_socket, set_by_imports):
    """In the forked process: take the standard streams, wait to be adopted, then run the
    command (confined by a keeper when the request says how), and exit."""
    zygote_socket.close()
    # a session (and process group) of its own, as jupyter_client starts kernels: a signal the
    # command sends to its process group reaches neither the zygote nor the grading process
    os.setsid()
    null = os.open(os.devnull, os.O_RDWR)
    if request["kind"] == "kernel":
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

    def run():
        _run_command(request, base_path, own_entries, set_by_imports)

    if request.get("grading"):
        try:
            _keep(request["grading"], run)
        except BaseException:  # the confinement failed: run nothing
            import traceback

            traceback.print_exc()
            os._exit(70)
    run()


def _run_command(request, base_path, own_entries, set_by_imports):
    """Set up like a launched process, run the kernel or module, exit with its status."""
    code = 1
    try:
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
            import atexit

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


def main(socket_fd):
    # the parent: the grading process, or the bwrap that confines this process (and that dies
    # with the grading process)
    die_with_parent(os.getppid())
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
    main(int(sys.argv[1]))

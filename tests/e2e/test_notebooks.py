"""The instructor notebook runs clean in a real kernel, and the release runs on its own."""
import re
import shutil

import nbformat
import numpy as np
from nbclient import NotebookClient

from course_tools.scratch import IGNORE
from tests.support.lm_assignment import LM
from tests.support.mutants import expect_quoted_crash, mistake
from tests.support.rnn_assignment import ASSIGNMENT, EXERCISES, RELEASE_DIR, SOURCE_DIR, filled

NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?")


def run_copy(folder, tmp_path):
    """Copy an assignment folder alone into tmp_path and execute its notebook there."""
    work = tmp_path / folder.name
    shutil.copytree(folder, work, ignore=IGNORE)
    nb = nbformat.read(str(work / f"{folder.name}.ipynb"), as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(work)}}).execute()
    return nb


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def stdout_of(cell):
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream" and o.name == "stdout")


def errors_of(cell):
    return [o for o in cell.get("outputs", []) if o.output_type == "error"]


def assert_runs_clean(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not errors_of(cell), f"{grade_id(cell)}: {errors_of(cell)}"
            assert not [o for o in cell.outputs if o.get("name") == "stderr"], f"{grade_id(cell)} wrote to stderr"


def assert_demos_print_their_expected_output(cells, exercises):
    """Each check passes the reference, and each demo prints exactly the numbers of the
    "Expected output" block that follows it."""
    for exercise in exercises:
        check = next(c for c in cells if grade_id(c) == f"{exercise}_test")
        assert f"{exercise}: all checks passed" in stdout_of(check)
        assert "Note:" not in stdout_of(check)
        # the demo prints exactly the numbers of the "Expected output" block that follows it
        demo_index = next(i for i, c in enumerate(cells) if grade_id(c) == f"{exercise}_demo")
        expected_md = next(c.source for c in cells[demo_index + 1:] if c.cell_type == "markdown")
        block = expected_md.split("```")[1]
        printed = [float(x) for x in NUMBER.findall(stdout_of(cells[demo_index]))]
        quoted = [float(x) for x in NUMBER.findall(block)]
        assert len(printed) == len(quoted), f"{exercise}: demo output and expected output differ in length"
        np.testing.assert_allclose(printed, quoted, rtol=0, atol=1e-8, err_msg=f"{exercise}: demo output")


def test_source_notebook_runs_clean_and_prints_the_expected_numbers(tmp_path):
    nb = run_copy(SOURCE_DIR, tmp_path)
    assert_runs_clean(nb)
    cells = nb.cells
    assert_demos_print_their_expected_output(cells, EXERCISES)
    for checker in ("gradcheck_rnn_cell_backward", "gradcheck_lstm_cell_backward"):
        report = next(c for c in cells if grade_id(c) == checker).outputs[0]["data"]["text/plain"]
        assert report.count(" ok") >= 5 and "check this one" not in report
    assert "8 of 8 exercises pass their visible checks." in stdout_of(next(c for c in cells if grade_id(c) == "where_you_stand"))
    training = next(c for c in cells if grade_id(c) == "train_lstm")
    out = stdout_of(training)
    first, last = map(float, re.search(r"loss ([\d.]+) at the start, ([\d.]+) after 300 steps", out).groups())
    assert "\nLearned: " in out and "Not learned" not in out, "the LSTM must learn to recall the first symbol"
    assert last < 0.01 < 1 < first, (first, last)  # the verdict's threshold is 0.139
    assert any("image/png" in o.get("data", {}) for o in training.outputs), "the loss curve must be drawn"


def test_release_runs_alone_and_the_checks_say_what_is_missing(tmp_path):
    nb = run_copy(RELEASE_DIR, tmp_path)
    by_id = {grade_id(c): c for c in nb.cells if grade_id(c)}
    assert not errors_of(by_id["setup"]), "the setup cell must import the helpers shipped in the release"
    for exercise in EXERCISES:
        assert not errors_of(by_id[exercise]), f"{exercise}: defining the stub must work"
        assert [e.ename for e in errors_of(by_id[f"{exercise}_demo"])] == ["NotImplementedError"]
        check_errors = errors_of(by_id[f"{exercise}_test"])
        assert [e.ename for e in check_errors] == ["CheckFailure"]
        assert f"{exercise} is not implemented yet" in check_errors[0].evalue
        # what the learner sees: the message alone, first, in short lines; none of the checks' code
        shown = check_errors[0].traceback
        assert shown[0].startswith(f"Check failed: {exercise} is not implemented yet"), shown
        assert len(shown) <= 3 and all(len(line) <= 80 for line in shown), shown
    # the ungraded cells that use the learner's functions wait for them, each with the same word
    ungraded = [c for c in nb.cells if c.cell_type == "code" and (grade_id(c) or "").startswith(("gradcheck_", "rnn_types_"))]
    names = {grade_id(c): [e.ename for e in errors_of(c)] for c in ungraded}
    assert all(errors == ["NotImplementedError"] for errors in names.values()), names
    assert "Training needs your lstm_forward" in stdout_of(by_id["train_lstm"])
    standing = stdout_of(by_id["where_you_stand"]).splitlines()
    assert [line.split()[:3] for line in standing[:8]] == [["✗", str(n), name] for n, name in enumerate(EXERCISES, 1)]
    assert all(line.endswith(" not implemented yet") for line in standing[:8]), standing
    assert standing[8] == "0 of 8 exercises pass their visible checks."


def test_language_model_source_runs_clean_and_learns_names(tmp_path):
    nb = run_copy(LM.source_dir, tmp_path)
    assert_runs_clean(nb)
    assert_demos_print_their_expected_output(nb.cells, LM.exercises)
    by_id = {grade_id(c): c for c in nb.cells if grade_id(c)}
    assert "4 of 4 exercises pass their visible checks." in stdout_of(by_id["where_you_stand"])
    progress = re.findall(r"iteration +(\d+) +loss +([\d.]+) +(.*)", stdout_of(by_id["train"]))
    assert [int(iteration) for iteration, _, _ in progress] == [2000, 4000, 6000, 8000]
    losses = [float(loss) for _, loss, _ in progress]
    assert losses[-1] < losses[0] and losses[-1] < 26, losses  # guessing costs about 38 a name
    names = progress[-1][2].split(", ")
    assert len(names) == 5 and all(re.fullmatch(r"[A-Z][a-z]{2,}", name) for name in names), names
    assert any("image/png" in o.get("data", {}) for o in by_id["train"].outputs), "the loss curve must be drawn"


def test_language_model_release_runs_alone_and_waits_for_the_learner(tmp_path):
    nb = run_copy(LM.release_dir, tmp_path)
    by_id = {grade_id(c): c for c in nb.cells if grade_id(c)}
    assert not errors_of(by_id["setup"]) and not errors_of(by_id["corpus"])
    for exercise in LM.exercises:
        assert [e.ename for e in errors_of(by_id[f"{exercise}_demo"])] == ["NotImplementedError"]
        shown = errors_of(by_id[f"{exercise}_test"])[0].traceback
        assert shown[0].startswith(f"Check failed: {exercise} is not implemented yet"), shown
    assert not errors_of(by_id["train"]) and "Training needs your model" in stdout_of(by_id["train"])
    assert stdout_of(by_id["where_you_stand"]).splitlines()[-2] == "0 of 4 exercises pass their visible checks."


def test_a_crash_in_the_kernel_quotes_the_learners_line(tmp_path, solutions):
    """In a real kernel (IPython keeps each cell's text), a crash in the learner's function is
    shown as its own line of code, not as the checks' traceback."""
    work = tmp_path / ASSIGNMENT
    shutil.copytree(RELEASE_DIR, work, ignore=IGNORE)
    answer = mistake("weight_times_state_elementwise").apply(solutions)["rnn_cell_forward"]
    nb = filled({"rnn_cell_forward": answer})
    nb.cells = [c for c in nb.cells if grade_id(c) in ("setup", "rnn_cell_forward", "rnn_cell_forward_test")]
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(work)}}).execute()
    shown = errors_of(nb.cells[-1])[0].traceback
    assert shown[0].startswith("Check failed: rnn_cell_forward raised ValueError on the demo inputs"), shown
    expect_quoted_crash(shown, solutions)
    assert all(len(line) <= 80 for line in shown) and not any("public_tests" in line for line in shown), shown

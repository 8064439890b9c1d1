"""The judge reads whatever a worker sends back: a reply that is nested past any sense, huge,
cut short, not UTF-8 or not what the protocol says costs the exercise concerned, with a short
reason, never the submission; and a worker that fails before any learner code has run is the
grader's trouble, not a zero. Real worker processes, no nbgrader."""
import psutil
import pytest

from course_tools.grading.faults import GraderTrouble
from course_tools.grading.judge import judge_exercise
from course_tools.grading.judge_worker import JudgeWorker
from course_tools.sandboxed.codec import MAX_MESSAGE_BYTES
from tests.support.markers import QUICK
from tests.support.rnn_assignment import RNN

pytestmark = QUICK

# learner code that finds the worker's reply pipe and writes PAYLOAD into it before its
# function returns (the worker then sends its own reply after it)
FORGE = '''
import gc
_channel = next(o for o in gc.get_objects() if type(o).__name__ == "_Channel")
_channel.outgoing.write(PAYLOAD)
_channel.outgoing.flush()
'''

# what each forged reply is, as the Python expression the learner's code writes
REPLIES = {
    "nested": 'b"[" * 200_000 + b"\\n"',
    "nested_value": """b'{"op": "result", "result": ' + b'{"type": "list", "items": [' * 5000 + b']}' * 5000 + b'}\\n'""",
    "huge": f'b"1" * {MAX_MESSAGE_BYTES + (1 << 20)}',
    "cut_short": """b'{"op": "result", "result": {"type": "arr'""",
    "not_utf8": """b'\\xff\\xfe{"op": "result"}\\n'""",
    "not_a_message": 'b"[1, 2, 3]\\n"',
    "items_not_a_list": """b'{"op": "result", "result": {"type": "tuple", "items": 5}}\\n'""",
    "error_without_fields": """b'{"op": "error", "error": {"type": 1}}\\n'""",
    "unknown_op": """b'{"op": "loaded", "errors": []}\\n'""",
}


def forging_cell(solutions, payload):
    """rnn_cell_forward as the reference has it, but writing ``payload`` into the reply pipe first."""
    body = FORGE.replace("PAYLOAD", payload).strip().replace("\n", "\n    ")
    return solutions["rnn_cell_forward"].replace("    ### BEGIN SOLUTION", "    ### BEGIN SOLUTION\n    " + body)


def new_worker(sandbox, cells, setup=None, cell_seconds=5):
    return JudgeWorker(sandbox, setup or RNN.cell_source("setup"), cells, cell_seconds=cell_seconds, call_seconds=5,
                  failure=RNN.checks.CheckFailure)


@pytest.mark.parametrize("kind", REPLIES)
def test_an_unreadable_reply_costs_its_exercise_only(kind, solutions, release_sandbox):
    worker = new_worker(release_sandbox, [forging_cell(solutions, REPLIES[kind]), solutions["rnn_forward"]])
    try:
        forged = judge_exercise(worker, RNN, RNN.checks.EXERCISES["rnn_cell_forward"])
        after = judge_exercise(worker, RNN, RNN.checks.EXERCISES["rnn_forward"])
    finally:
        worker.stop()
    assert not forged.passed
    assert forged.message.startswith("rnn_cell_forward ") and len(forged.message) < 200, forged.message
    assert "could not read" in forged.message or "far more data" in forged.message, forged.message
    assert after.passed, after.message  # the next exercise, in a fresh worker, is judged as usual


def test_a_worker_that_fails_before_any_learner_code_is_the_graders_trouble(solutions, release_sandbox):
    worker = new_worker(release_sandbox, [solutions["rnn_cell_forward"]], setup="import os\nos._exit(7)")
    try:
        with pytest.raises(GraderTrouble, match="before any learner code ran"):
            judge_exercise(worker, RNN, RNN.checks.EXERCISES["rnn_cell_forward"])
    finally:
        worker.stop()


def test_a_cell_that_hangs_while_loading_costs_only_itself(solutions, release_sandbox):
    worker = new_worker(release_sandbox, ["while True:\n    pass", solutions["rnn_cell_forward"]], cell_seconds=1)
    try:
        verdict = judge_exercise(worker, RNN, RNN.checks.EXERCISES["rnn_cell_forward"])
    finally:
        worker.stop()
    assert verdict.passed, verdict.message  # defined after the hanging cell, and right
    assert [error["type"] for error in worker.load_errors] == ["CellTimeout"]


def test_a_worker_stopped_in_an_endless_loop_leaves_no_process(solutions, release_sandbox):
    """After a call that never returns, every process of the worker's sandbox is gone at once
    (as root, the sandbox is two bwraps with setpriv between them, and changing credentials
    drops the parent-death signal: the inner one must be killed too, not left to its CPU limit)."""
    endless = solutions["rnn_cell_forward"].replace("    ### BEGIN SOLUTION",
                                                    "    ### BEGIN SOLUTION\n    while True:\n        pass")
    worker = JudgeWorker(release_sandbox, RNN.cell_source("setup"), [endless], cell_seconds=5, call_seconds=1,
                    failure=RNN.checks.CheckFailure)
    worker.start()
    sandbox_processes = psutil.Process(worker.process.pid).children(recursive=True)
    assert sandbox_processes, "the sandbox has processes of its own"
    verdict = judge_exercise(worker, RNN, RNN.checks.EXERCISES["rnn_cell_forward"])
    worker.stop()
    assert not verdict.passed and "did not finish within 1 s" in verdict.message
    _, alive = psutil.wait_procs(sandbox_processes, timeout=5)
    assert not alive, [" ".join(p.cmdline()[:3]) for p in alive]

"""Arguments changed in place, through the judge's worker: the worker sends back the arguments
of a function meant to change them, and writes back into the learner's objects what a
stand-in changed in the grader; a reply that leaves them out costs its exercise only. Real
worker processes in the grading sandbox, no nbgrader."""
import pytest

from course_tools.grading.judge import judge_exercise
from course_tools.grading.judge_worker import SANDBOXED_PACKAGE, JudgeWorker
from course_tools.grading.sandbox import Sandbox
from tests.support.lm_assignment import LM, lm_mistake
from tests.support.markers import QUICK
from tests.support.sandboxing import course_confinement

pytestmark = QUICK
EXERCISES = LM.checks.EXERCISES


@pytest.fixture
def lm_sandbox():
    with Sandbox(course_confinement(), LM.release_dir, tools=[SANDBOXED_PACKAGE]) as sandbox:
        yield sandbox


def judged(sandbox, cells, exercises):
    worker = JudgeWorker(sandbox, LM.cell_source("setup"), cells, cell_seconds=5, call_seconds=10,
                         failure=LM.checks.CheckFailure)
    try:
        return [judge_exercise(worker, LM, EXERCISES[name]) for name in exercises]
    finally:
        worker.stop()


def test_clip_in_place_passes_and_clipped_copies_fail_with_the_reason(lm_sandbox):
    solutions = LM.solution_sources()
    right, = judged(lm_sandbox, [solutions["clip"]], ["clip"])
    assert right.passed, right.message
    copies = lm_mistake("clip_returns_copies").apply(solutions)["clip"]
    wrong, = judged(lm_sandbox, [copies], ["clip"])
    assert not wrong.passed and "clip every array in place" in wrong.message, wrong.message


def test_a_stand_ins_change_in_place_reaches_the_learners_objects(lm_sandbox):
    """optimize that calls clip for its effect only (not using what it returns) passes: the
    grader's stand-in clips its copy, and the worker writes that into the learner's dict; model
    relies on optimize updating the parameters in place, which the stand-in does the same way."""
    solutions = LM.solution_sources()
    for_effect = solutions["optimize"].replace("gradients = clip(gradients, 5)", "clip(gradients, 5)")
    assert for_effect != solutions["optimize"]
    optimize, model = judged(lm_sandbox, [for_effect, solutions["model"]], ["optimize", "model"])
    assert optimize.passed, optimize.message
    assert model.passed, model.message


def test_a_reply_without_the_arguments_costs_its_exercise_only(lm_sandbox):
    solutions = LM.solution_sources()
    forge = ('    import gc\n    _channel = next(o for o in gc.get_objects() if type(o).__name__ == "_Channel")\n'
             '    _channel.outgoing.write(b\'{"op": "result", "result": {"type": "scalar", "value": null}}\\n\')\n'
             '    _channel.outgoing.flush()\n')
    forging = solutions["clip"].replace("    ### BEGIN SOLUTION\n", "    ### BEGIN SOLUTION\n" + forge)
    clip, sample = judged(lm_sandbox, [forging, solutions["sample"]], ["clip", "sample"])
    assert not clip.passed and "could not read" in clip.message, clip.message
    assert sample.passed, sample.message

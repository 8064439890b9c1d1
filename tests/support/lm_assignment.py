"""The second assignment, "char_language_model", as the engine loads it, and what its checks
must say for each of its known mistakes (its instructor/mistakes.py)."""
from course_tools.assignment import ROOT, load_assignment
from course_tools.submissions import fill_release

LM = load_assignment("char_language_model")
LM_SAMPLES_DIR = ROOT / "samples" / LM.id
LM_POINTS = {"clip": 15, "sample": 25, "optimize": 35, "model": 25}
LM_BEN_WRONG = {"sample", "optimize"}  # samples/char_language_model/ben.py

LM_EXPECTED_MESSAGE = {
    "clip_returns_copies": "still holds gradients['dWax'] as it was: clip every array in place",
    "clip_rebinds_the_name": "Likely cause: np.clip without out= makes a new array",
    "clip_skips_a_gradient": "gradients['dby'] differs from the expected values in 1 of 2 entries",
    "clip_from_zero": "Likely cause: values below -maxValue go to -maxValue, not to 0",
    "sample_argmax": "Likely cause: the next character is drawn at random from y",
    "sample_input_not_fed_back": "Likely cause: each step's input is the character sampled at the step before",
    "sample_state_not_carried": "Likely cause: each step must get the hidden state that the step before returned",
    "sample_generator_per_step": "Likely cause: make the generator once, before the loop",
    "sample_starts_from_zeros": "Likely cause: the first input is the END symbol",
    "sample_no_end_after_cut": "Likely cause: a name cut at MAX_LENGTH characters still ends with END",
    "loss_averaged": "the loss is 6.9468482, but it should be 34.734241. Likely cause: the loss of a name is the sum",
    "loss_last_step_only": "Likely cause: the loss adds up the cross-entropy of every step, not only the last",
    "output_gradient_without_target": "Likely cause: the gradient of the loss on the scores z is y_hat minus",
    "output_gradients_not_summed": "Likely cause: Wya and by act at every step",
    "a_last_first_step": "Likely cause: a_last is the hidden state after the last step",
    "gradients_not_clipped": "Likely cause: the gradients go through clip, at 5, before the update",
    "update_before_clipping": "the parameters were updated with the gradients before they were clipped",
    "parameters_not_updated": "optimize left the parameters as they were: update them in place",
    "update_up_the_gradient": "the parameters moved up the gradient",
    "target_not_shifted": "Y = [0, 4, 5, 2]; it should be [4, 5, 2, 0]",
    "target_without_end": "Y = [4, 5, 2]; it should be [4, 5, 2, 0] (\"sue\\n\"). Y is X shifted by one",
    "input_without_end": "X = [4, 5, 2]; it should be [0, 4, 5, 2] (\"\\nsue\"). X starts with END",
    "state_reset_every_name": "at iteration 1 (the name 'rex'), an a_prev that is not right",
    "names_not_cycled": "model raised IndexError on the demo inputs",
    "losses_smoothed": "Likely cause: losses holds each iteration's loss as optimize returned it",
}


def lm_mistake(name):
    return next(m for m in LM.instructor.MISTAKES if m.name == name)


def lm_filled(answers):
    """The kit's LM release notebook with ``answers`` ({exercise: source}) typed in."""
    return fill_release(answers, LM.release_dir / f"{LM.id}.ipynb")


# the mistakes of the language model's class (tests/e2e/test_language_model.py), one learner
# each ("lm_<mistake>"), each judged through the worker in a way of its own: an argument changed
# in place, a known mistake's fingerprint, the arguments as the call left them, a stand-in that
# changes one, a stand-in's own check, a loss compared as a number
LM_CLASS_MISTAKES = ("clip_returns_copies", "sample_argmax", "update_before_clipping", "target_without_end",
                     "state_reset_every_name", "loss_averaged")


def lm_sample_grades():
    """``{student: {exercise: score}}`` for the language model's sample learners (and cleo, who
    submits the untouched release)."""
    return {"ada": dict(LM_POINTS), "cleo": {name: 0 for name in LM_POINTS},
            "ben": {name: 0 if name in LM_BEN_WRONG else points for name, points in LM_POINTS.items()}}


def lm_expected_grades(mistakes):
    """The sample learners' grades, the reference's and those of one learner per mistake."""
    grades = {**lm_sample_grades(), "reference": dict(LM_POINTS)}
    for name in mistakes:
        wrong = lm_mistake(name).exercise
        grades[f"lm_{name}"] = {exercise: 0 if exercise == wrong else points for exercise, points in LM_POINTS.items()}
    return grades

"""The checks the notebook's graded cells run, one per exercise.

Each check takes the learner's function, runs it on the course's demo inputs and on other
fixed inputs, and raises :class:`CheckFailure` with a message in the learner's terms at the
first thing that is wrong. On success it prints one line. The machinery (compare, crash, data,
exercise, report, running, summary) is the course's, shared with the other assignments.
"""
from .compare import CheckFailure, matches
from .data import Case, load_cases, text_array
from .exercises import CLIP, MODEL, OPTIMIZE, SAMPLE
from .hints import HINTS
from .report import CAUSE, report_lines
from .running import standing_in
from .summary import standing_lines

# Every exercise by name, in notebook order.
EXERCISES = {exercise.name: exercise for exercise in (CLIP, SAMPLE, OPTIMIZE, MODEL)}

clip_test = CLIP.check
sample_test = SAMPLE.check
optimize_test = OPTIMIZE.check
model_test = MODEL.check


def where_you_stand(namespace):
    """Print one line per exercise on the functions in ``namespace``: passes, or why not."""
    print("\n".join(standing_lines(EXERCISES.values(), namespace)))


# the names the notebook imports, then the rest of what the grading engine reads
__all__ = [name + "_test" for name in EXERCISES] + ["where_you_stand", "CheckFailure", "EXERCISES", "HINTS",
                                                      "CAUSE", "Case", "load_cases", "matches", "report_lines",
                                                      "standing_in", "text_array"]

"""The notebook's last cell: where the learner stands, one line per exercise, from the same
visible checks as the check cells (as Otter-Grader's ``check_all`` does)."""
import contextlib
import io

from .compare import CheckFailure
from .report import CAUSE, WIDTH


def _shorten(text, width):
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def _standing(exercise, function):
    """(passed, short reason) for one exercise run on the learner's function."""
    if not callable(function):
        return False, "not defined yet: run its cell"
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exercise.check(function)
    except CheckFailure as failure:
        message = " ".join(str(failure).split())
        if CAUSE in message:  # the likely cause says most in few words
            return False, CAUSE.lower() + message.split(CAUSE, 1)[1]
        if message.startswith(f"{exercise.name} is not implemented yet"):
            return False, "not implemented yet"
        return False, message[len(exercise.name):].lstrip(" :") if message.startswith(exercise.name) else message
    except Exception as error:  # a check cut short by something odd the function did
        return False, f"the check could not finish ({type(error).__name__})"
    own_cell_differs = f"Note: {exercise.name} was checked with the course's own" in printed.getvalue()
    return True, "passed (see the note in its check cell)" if own_cell_differs else "passed"


def standing_lines(exercises, namespace, width=WIDTH):
    """One line per exercise: "✓" or "✗", its number and name, and "passed" or why not; then
    the count."""
    lines, passed = [], 0
    for number, exercise in enumerate(exercises, start=1):
        ok, reason = _standing(exercise, namespace.get(exercise.name))
        passed += ok
        head = f"{'✓' if ok else '✗'} {number} {exercise.name:<18}"
        lines.append(f"{head} {_shorten(reason, width - len(head) - 1)}")
    lines.append(f"{passed} of {len(exercises)} exercises pass their visible checks.")
    if passed < len(exercises):
        lines.append("Run a failing exercise's check cell again for its whole message.")
    return lines

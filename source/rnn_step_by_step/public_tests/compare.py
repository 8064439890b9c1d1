"""Comparisons that check shape before values, never broadcast, and explain what differs."""
import numpy as np

from .report import report_lines

# A correct float64 answer written another way differs by about 1e-15; every real mistake
# by far more than this.
RTOL = 1e-7
ATOL = 1e-9
# Central differences in float64 agree with the true gradient to about 1e-9.
NUMERIC_RTOL = 1e-5
NUMERIC_ATOL = 1e-7


class CheckFailure(AssertionError):
    """A check found a mistake; the message says what, and where it can, the likely cause."""

    def _render_traceback_(self):
        """What IPython shows instead of a traceback: the message alone, in short lines (the
        checks' own frames would only hide it)."""
        return report_lines(f"Check failed: {self}")


def _shape(value):
    return getattr(value, "shape", None)


def matches(got, expected, rtol=RTOL, atol=ATOL):
    """True when ``got`` has ``expected``'s shape and values: arrays entry by entry, dicts key
    by key (or the very same dict), tuples item by item."""
    if isinstance(expected, dict):
        return got is expected or (isinstance(got, dict) and got.keys() == expected.keys()
                                   and all(matches(got[k], expected[k]) for k in expected))
    if isinstance(expected, tuple):
        return (isinstance(got, (tuple, list)) and len(got) == len(expected)
                and all(matches(g, e) for g, e in zip(got, expected)))
    if not isinstance(got, np.ndarray) or got.shape != expected.shape:
        return False
    if not np.issubdtype(got.dtype, np.number):
        return False
    return bool(np.all(np.abs(got - expected) <= atol + rtol * np.abs(expected)))


def expect_array(what, got, expected, rtol=RTOL, atol=ATOL, reference="the expected values"):
    """Fail unless ``got`` is an array of ``expected``'s shape whose values match."""
    if not isinstance(got, np.ndarray):
        raise CheckFailure(f"{what} should be a numpy array of shape {expected.shape}, "
                           f"but it is {type(got).__name__}.")
    if got.shape != expected.shape:
        raise CheckFailure(f"{what} has shape {got.shape}, but it should have shape {expected.shape}.")
    if not np.issubdtype(got.dtype, np.number):
        raise CheckFailure(f"{what} should hold numbers, but its dtype is {got.dtype}.")
    error = np.abs(got.astype(np.float64) - expected)
    bad = ~(error <= atol + rtol * np.abs(expected))  # NaN counts as wrong
    if bad.any():
        worst = np.unravel_index(np.argmax(np.where(np.isnan(error), np.inf, error)), error.shape)
        where = ", ".join(str(int(i)) for i in worst)
        raise CheckFailure(
            f"{what} differs from {reference} in {int(bad.sum())} of {bad.size} entries; "
            f"the largest difference is at [{where}]: expected {expected[worst]:.8g}, got {got[worst]:.8g}.")


def expect_value(what, got, expected):
    """Check an array against an array, or a parameters dict against the one given."""
    if isinstance(expected, dict):
        if not matches(got, expected):
            raise CheckFailure(f"{what} should be the parameters dict that was passed in.")
    else:
        expect_array(what, got, expected)


def expect_items(what, container, got, items):
    """Check a returned tuple (or a cache) slot by slot.

    ``container`` names what is checked ("the returned tuple", "cache", ...). ``items`` lists
    ``(name, expected)`` pairs in order; ``expected`` is an array, a dict, or None for a slot
    checked elsewhere. A slot holding what belongs in another slot is reported as an ordering
    mistake, or, when that other slot holds it too, as the same value stored twice.
    """
    names = ", ".join(name for name, _ in items)
    if not isinstance(got, (tuple, list)):
        raise CheckFailure(f"{what}: {container} should be a tuple of {len(items)} items ({names}), "
                           f"but it is {type(got).__name__}.")
    if len(got) != len(items):
        raise CheckFailure(f"{what}: {container} should hold {len(items)} items ({names}), "
                           f"but it holds {len(got)}.")
    for index, (name, expected) in enumerate(items):
        if expected is None or matches(got[index], expected):
            continue
        for other_index, (other, other_expected) in enumerate(items):
            if other != name and other_expected is not None and matches(got[index], other_expected):
                if matches(got[other_index], other_expected):
                    raise CheckFailure(f"{what}: item {index} of {container}, {name}, holds the same values as "
                                       f"{other} (item {other_index}): store {name} itself there.")
                raise CheckFailure(f"{what}: item {index} of {container} holds {other} where {name} belongs; "
                                   f"the order is ({names}).")
        expect_value(f"{what}: {name} (item {index} of {container})", got[index], expected)


def expect_arrays(what, got, expected, noun="gradients"):
    """Check a dict of arrays (of gradients, say): exactly the expected keys, then each array's
    shape and values."""
    if not isinstance(got, dict):
        raise CheckFailure(f"{what} should return a dict of {noun}, but it returned {type(got).__name__}.")
    missing = [key for key in expected if key not in got]
    extra = [key for key in got if key not in expected]
    if missing or extra:
        problems = []
        if missing:
            problems.append("missing " + ", ".join(repr(k) for k in missing))
        if extra:
            problems.append("unexpected " + ", ".join(repr(k) for k in extra))
        raise CheckFailure(f"{what}: the {noun} dict has the wrong keys ({'; '.join(problems)}). "
                           f"Expected exactly: {', '.join(expected)}.")
    for key, value in expected.items():
        expect_array(f"{what}: {noun}[{key!r}]", got[key], value)


def expect_gradients(what, got, expected, numeric):
    """Check a dict of gradients: exactly the expected keys, then each gradient's shape and
    values, then agreement with the central-difference estimate of the same gradient."""
    expect_arrays(what, got, expected)
    for key in expected:
        expect_array(f"{what}: gradients[{key!r}]", got[key], numeric[key], NUMERIC_RTOL, NUMERIC_ATOL,
                     reference="the central-difference estimate of the gradient")


def expect_number(what, got, expected, rtol=RTOL, atol=ATOL):
    """Fail unless ``got`` is one real number (a float, or an array of one entry) close to ``expected``."""
    value = np.asarray(got) if isinstance(got, (int, float, np.number, np.ndarray)) and not isinstance(got, bool) \
        else None
    if value is None or value.size != 1 or not np.issubdtype(value.dtype, np.number):
        raise CheckFailure(f"{what} should be a number, but it is {type(got).__name__}.")
    number, expected = float(value.reshape(())), float(expected)
    if not abs(number - expected) <= atol + rtol * abs(expected):
        raise CheckFailure(f"{what} is {number:.8g}, but it should be {expected:.8g}.")

"""The grading engine names no assignment, and its layers point one way only: numerics and
checks (what ships) <- grading engine <- class grading and report <- deployment."""
import ast
import re

import pytest

from course_tools.assignment import ROOT, assignment_ids, load_assignment
from tests.support.markers import QUICK

pytestmark = QUICK
ENGINE = ROOT / "course_tools"


def _code_words(path):
    """The names, attributes and string constants of a module, docstrings left out (they may
    show a command with an assignment id as an example), as (word, is_string) pairs."""
    tree = ast.parse(path.read_text())
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.value, True
        elif isinstance(node, ast.Name):
            yield node.id, False
        elif isinstance(node, ast.Attribute):
            yield node.attr, False
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            yield from ((alias.name, False) for alias in node.names)
            yield getattr(node, "module", None) or "", False


def _naming(names):
    """A test of whether a word names one of ``names``: as a name anywhere in code, and in a
    string as a word; a name that is a plain English word ("sample", "clip") counts in a string
    only as code would write it (the whole string, or followed by "(", "_" or ".")."""
    anywhere = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names))) + r")\b")
    words = [name for name in names if re.fullmatch(r"[a-z]+", name)]
    as_code = re.compile(r"\b(" + "|".join(map(re.escape, sorted(words))) + r")(?=[(_.])") if words else None

    def names_one(word, is_string):
        if not is_string or not words:
            return bool(anywhere.search(word))
        if word in words or (as_code and as_code.search(word)):
            return True
        return bool(anywhere.search(re.sub(r"\b(" + "|".join(words) + r")\b", "", word)))
    return names_one


def test_the_engine_names_no_assignment_nor_its_exercises_or_helpers():
    named = set()
    for assignment_id in assignment_ids():
        assignment = load_assignment(assignment_id)
        helpers = [p.name for p in assignment.source_dir.iterdir() if (p / "__init__.py").is_file()
                   and p.name not in ("public_tests", "instructor")]
        named |= {assignment_id, *assignment.exercises, *helpers}
    names_one = _naming(named)
    found = {f"{path.relative_to(ROOT)}: {word!r}" for path in ENGINE.rglob("*.py")
             for word, is_string in _code_words(path) if names_one(word, is_string)}
    assert not found, sorted(found)


def test_a_plain_word_exercise_is_found_only_where_code_names_it():
    names_one = _naming({"sample", "rnn_forward"})
    assert names_one("sample", False) and names_one("sample", True) and names_one("sample(x)", True)
    assert names_one("grading rnn_forward now", True) and names_one("the sample_test cell", True)
    assert not names_one("grading the sample submissions", True)


# each layer may import the layers before it only
LAYERS = {
    "grading engine": ("course_tools.__init__", "course_tools.assignment", "course_tools.reference", "course_tools.demo",
                       "course_tools.check_data", "course_tools.fingerprints", "course_tools.mistakes",
                       "course_tools.journal", "course_tools.scores", "course_tools.submissions",
                       "course_tools.nbgrader_cli", "course_tools.scratch", "course_tools.grading",
                       "course_tools.sandboxed", "course_tools.drawing", "course_tools.figures",
                       "course_tools.grade_samples"),
    "class grading and report": ("course_tools.grade_class", "course_tools.report"),
    "deployment": ("deploy",),
}


def _layer_of(module):
    for rank, prefixes in enumerate(LAYERS.values()):
        if any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes):
            return rank
    return None


def _imports(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


@pytest.mark.parametrize("path", sorted([*ENGINE.rglob("*.py"), *(ROOT / "deploy").rglob("*.py")]),
                         ids=lambda path: str(path.relative_to(ROOT)))
def test_no_import_points_to_a_later_layer(path):
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    own = _layer_of(module)
    assert own is not None, f"{module} belongs to no layer: add it to LAYERS"
    upward = [name for name in _imports(path) if (_layer_of(name) or 0) > own]
    assert not upward, f"{module} ({list(LAYERS)[own]}) imports {upward}"

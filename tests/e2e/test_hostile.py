"""The hostile corpus (tests/support/corpus.py, section 7), graded in one batch with the honest learners
by plain ``nbgrader autograde`` (course_run) and by grade-class (class_run): confined, every
attack gains nothing, costs at most its own exercise, leaves nothing behind, and every honest
learner keeps exactly its grade.

What an attacker found is read from its autograded notebook (the verdict its kernel printed,
and the one its judge's worker raised); what it could have changed, from the course's files,
the gradebook, the machine's processes, the files left and the loopback server it tried."""
import re
import sqlite3
import tempfile
import urllib.request
from collections import namedtuple
from pathlib import Path

import psutil
import pytest

from tests.support.corpus import CORPUS, course_files, lingerer_marker, verdict_in
from tests.support.expected import POINTS, expected_grades, scores_only
from tests.support.markers import CLASS_GRADING, GRADED_COURSE
from tests.support.notebooks import autograded, grade_cell
from tests.support.ports import listening
from tests.support.rnn_assignment import ASSIGNMENT

ATTACK_NAMES = ("thief", "spy", "vandal", "lingerer", "killer_in_cell", "killer_in_function", "flooder_in_cell",
                "flooder_in_functions")
ATTACKERS = {f.student: f for f in CORPUS if f.student in ATTACK_NAMES}
Graded = namedtuple("Graded", "root files_before scores")


@pytest.fixture(params=[pytest.param("course_run", marks=GRADED_COURSE, id="autograde"),
                        pytest.param("class_run", marks=CLASS_GRADING, id="grade_class")])
def graded(request):
    """The test class graded by plain autograde, or by grade-class."""
    run = request.getfixturevalue(request.param)
    return Graded(getattr(run, "root", None) or run.course, run.files_before, run.scores)


def verdict(graded, student, tag="HOSTILE"):
    return verdict_in(graded.root / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", tag)


def own_grade(graded, student):
    return scores_only(graded.scores)[student]


def counted(outcome):
    """The number a flood reached before it was refused ("... after 112 MiB")."""
    found = re.search(r" after (\d+) ", outcome)
    assert found, outcome
    return int(found.group(1))


def manual_scores(course):
    """How many grades of the gradebook there are, and how many have a manual score."""
    with sqlite3.connect(course / "gradebook.db") as db:
        return db.execute("SELECT count(*), count(manual_score) FROM grade").fetchone()


def test_the_attackers_are_in_the_corpus():
    assert sorted(ATTACKERS) == sorted(ATTACK_NAMES)


def test_every_honest_learner_keeps_exactly_its_grade(graded):
    honest = {s: g for s, g in expected_grades().items() if s not in ATTACKERS}
    assert {s: g for s, g in scores_only(graded.scores).items() if s in honest} == honest


def test_the_thief_finds_no_solution_to_run(graded):
    assert verdict(graded, "thief") == {"stolen": 0}


@pytest.mark.parametrize("tag", ["HOSTILE", "WORKER"])  # its kernel, its judge's worker
def test_the_spy_reads_nothing_and_reaches_nobody(graded, tag, loopback_listener):
    seen = verdict(graded, "spy", tag)
    assert seen["read"] == [] and seen["open_folders"] == [], seen
    assert seen["nested"] == "no nested namespace"  # user namespaces are disabled inside
    assert seen["uid"] == 65534
    assert seen["interfaces"] == ["lo"] and "Connection refused" in seen["home"], seen
    assert loopback_listener.connections == []
    tools = next(c.source for c in autograded(graded, "spy").cells if c.source.startswith("_TOOLS = "))
    assert f"_PORT = {loopback_listener.port}" in tools  # it aimed at this listener


@pytest.mark.parametrize("tag", ["HOSTILE", "WORKER"])
def test_the_spy_sees_no_process_of_the_grader(graded, tag):
    seen = verdict(graded, "spy", tag)
    assert seen["pid"] < 10 and all(pid < 10 for pid in seen["pids"]), seen  # a PID namespace of its own


def test_the_vandal_changes_nothing(graded):
    assert verdict(graded, "vandal") == {"changed": [], "writable": []}
    assert course_files(graded.root) == graded.files_before
    assert manual_scores(graded.root)[1] == 0
    ben = autograded(graded, "ben")
    assert "Graded: rnn_forward: all" in "".join(o.get("text", "") for o in grade_cell(ben, "rnn_forward").outputs)


def test_the_lingerer_leaves_no_process_and_no_file(graded):
    assert isinstance(verdict(graded, "lingerer")["left"], int)  # it did start one
    marker = lingerer_marker(graded.root)
    left = [p for p in psutil.process_iter(["cmdline"]) if marker in " ".join(p.info["cmdline"] or [])]
    for process in left:
        process.kill()
    assert left == []
    assert not any((folder / marker).exists() for folder in (Path(tempfile.gettempdir()), graded.root,
                                                            graded.root.parent))
    count, manual = manual_scores(graded.root)
    assert count > 0 and manual == 0


def test_a_killer_in_a_scratch_cell_costs_nothing(graded):
    assert own_grade(graded, "killer_in_cell") == POINTS
    seen = verdict(graded, "killer_in_cell")
    assert all(pid < 10 for pid in seen["pids"]), seen  # all it could aim at: its own sandbox
    last = [c for c in autograded(graded, "killer_in_cell").cells if c.cell_type == "code"][-1]
    # the first process of its PID namespace and session: no signal from inside ends it
    assert [o.ename for o in last.outputs if o.output_type == "error"] == []


def test_a_killer_in_a_function_kills_nothing_and_keeps_its_right_answer(graded):
    assert own_grade(graded, "killer_in_function") == POINTS
    nb = autograded(graded, "killer_in_function")
    assert not [o for o in grade_cell(nb, "rnn_cell_backward").outputs if o.output_type == "error"]


def test_floods_in_a_scratch_cell_are_stopped_by_the_limits_and_cost_nothing(graded):
    assert own_grade(graded, "flooder_in_cell") == POINTS
    got = verdict(graded, "flooder_in_cell")
    assert got["_hog_memory"].startswith("MemoryError"), got
    assert counted(got["_fill_disk"]) <= 128  # MiB: the memory file system's size
    assert counted(got["_fork_children"]) < 128  # the process limit


@pytest.mark.parametrize("exercise, reason", [("rnn_cell_forward", "raised MemoryError"),
                                              ("lstm_cell_forward", "raised OSError"),
                                              ("lstm_cell_backward", "children")])
def test_a_flood_in_a_function_costs_that_exercise_only(graded, exercise, reason):
    assert own_grade(graded, "flooder_in_functions") == ATTACKERS["flooder_in_functions"].expected(POINTS)
    nb = autograded(graded, "flooder_in_functions")
    message = next(o for o in grade_cell(nb, exercise).outputs if o.output_type == "error").evalue
    assert reason in message, message


def test_the_listener_sees_who_connects():
    """The loopback listener the spy tries records a connection when one is made."""
    with listening() as listener:
        urllib.request.urlopen(f"http://127.0.0.1:{listener.port}/probe", timeout=5).close()
    assert len(listener.connections) == 1 and listener.paths == ["/probe"]

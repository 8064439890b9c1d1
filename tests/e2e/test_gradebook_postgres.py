"""grade-class with a real PostgreSQL gradebook, on a server started on loopback for the test;
a hostile learner among the class tries to reach that server from its sandbox."""
import shutil

import nbformat
from sqlalchemy import create_engine, text

from course_tools.nbgrader_cli import run_nbgrader
from course_tools.scores import gradebook_url, scores_by_exercise
from tests.conftest import NO_NOTEBOOK, make_class_course
from tests.support import class_grading
from tests.support.corpus import db_intruder, verdict_in
from tests.support.expected import POINTS, expected_grades, scores_only
from tests.support.postgres import postgres_server
from tests.support.rnn_assignment import ASSIGNMENT, RNN

POSTGRES_LEARNERS = ("ada", "ben", "cleo", "wrong_lstm_forward", "syntax_error", NO_NOTEBOOK)


def test_a_postgresql_gradebook_gets_the_same_grades(tmp_path, solutions):
    with postgres_server() as db_url:
        course = make_class_course(tmp_path / "course", solutions)
        for folder in (course / "submitted").iterdir():
            if folder.name not in POSTGRES_LEARNERS:
                shutil.rmtree(folder)
        intruder = db_intruder(db_url)
        intruder.build(course, intruder.student, solutions)
        run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force", f"--db={db_url}", "--log-level=ERROR",
                     capture=True)
        code, stdout, stderr = class_grading.run(course, "--db-url", db_url)
        assert code == 1, stderr
        latest = {r["student"]: (r["status"], r["fault"]) for r in class_grading.journal(course)}
        assert latest == {student: ("failed", "submission") if student == NO_NOTEBOOK else ("graded", None)
                          for student in (*POSTGRES_LEARNERS, intruder.student)}, stdout
        expected = {student: grades for student, grades in expected_grades().items() if student in POSTGRES_LEARNERS}
        assert scores_only(scores_by_exercise(db_url, RNN)) == {**expected, intruder.student: intruder.expected(POINTS)}
        # the intruder, from its kernel and from its judge's worker, reached no server, left no table
        notebook = course / "autograded" / intruder.student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        for tag in ("HOSTILE", "WORKER"):
            outcomes = verdict_in(notebook, tag)["db"]
            assert outcomes and all("Connection refused" in o for o in outcomes), (tag, outcomes)
        engine = create_engine(db_url)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT to_regclass('intruder_was_here')")).scalar() is None
        engine.dispose()
        assert not (course / "gradebook.db").exists() or scores_by_exercise(gradebook_url(course), RNN) == {}
        nb = nbformat.read(str(course / "autograded" / "ada" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"), as_version=4)
        assert any("Graded:" in o.get("text", "") for c in nb.cells for o in c.get("outputs", []))

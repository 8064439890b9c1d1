"""The course on a real JupyterHub (deploy/), from release to feedback, and what no one may do there.

The server is set up by ``deploy/setup_server.py`` for an instructor and four students who are
separate system users with passwords (and one account that is not on the roster); the hub runs
``deploy/jupyterhub_config.py`` behind configurable-http-proxy, with PAM logins. Everyone acts
through the hub: the instructor through the formgrader's API, the students through the
Assignments panel's API, JupyterLab's contents API and their own kernels. Ada answers every
exercise; Ben answers the forward passes only; Mallory answers the cell functions, adds a cell
that goes for the instructor's files while it is graded, and submits once more in Ada's name;
Cleo fetches the assignment and searches every file she can read for the solutions. The course's
second assignment, the character-level language model, goes the same way beside it: everyone
fetches it, Ada and Ben answer it as their samples do (samples/char_language_model/), and the
solution search looks for its solutions too.
"""
import contextlib
import copy
import grp
import html
import json
import os
import pwd
import shutil
import sqlite3
import stat
import textwrap
import time
from pathlib import Path

import nbformat
import pytest

from course_tools.grading.exchange import REFUSED_PREFIX
from course_tools.scores import gradebook_url, scores_by_exercise
from course_tools.submissions import answers_from_file, fill_notebook
from deploy.settings import KIT_ROOT
from deploy.setup_server import EXCHANGE_COURSE_MODES, EXCHANGE_ROOT_MODE
from tests.support.chromium import needs_chromium
from tests.support.expected import POINTS, scores_only
from tests.support.hub_attacks import (INTRUSION, SYSTEM_FOLDERS, attempts_code, command_code, forgery_code,
                                       intrusion_code, kit_checkouts, scan_code, solution_markers)
from tests.support.hub_server import (BASE, COURSE_ID, DEPLOYED_KIT, INSTRUCTOR, NAMES, OUTSIDER, STUDENTS,
                                      SYSTEM_PYTHON, home_of, login, run_setup, running_hub)
from tests.support.lm_assignment import LM, LM_BEN_WRONG, LM_POINTS, LM_SAMPLES_DIR
from tests.support.markers import HUB
from tests.support.rnn_assignment import ASSIGNMENT, EXERCISES, RNN, ROOT

pytestmark = HUB

ADA, BEN, MALLORY, CLEO = STUDENTS
SUBMITTERS = (ADA, BEN, MALLORY)  # Cleo fetches and looks around, but submits nothing
FORWARD = [name for name in EXERCISES if name.endswith("_forward")]
CELL_FUNCTIONS = [name for name in EXERCISES if "_cell_" in name]
ANSWERED = {ADA: list(EXERCISES), BEN: FORWARD, MALLORY: CELL_FUNCTIONS}
EXPECTED = {student: {name: float(POINTS[name]) if name in answered else 0.0 for name in EXERCISES}
            for student, answered in ANSWERED.items()}
NOTEBOOK = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
# the language model: Ada and Ben answer it as samples/char_language_model/ada.py and ben.py do
# (Ben's sample and optimize are wrong); Mallory and Cleo only fetch it
LM_ANSWERS = {student: answers_from_file(LM_SAMPLES_DIR / f"{sample}.py", LM.exercises)
              for student, sample in ((ADA, "ada"), (BEN, "ben"))}
LM_EXPECTED = {student: {name: 0.0 if student == BEN and name in LM_BEN_WRONG else float(LM_POINTS[name])
                         for name in LM.exercises} for student in LM_ANSWERS}
# each assignment the cycle runs: how the engine loads it, and the grades each submitter gets
GRADED = {ASSIGNMENT: (RNN, EXPECTED), LM.id: (LM, LM_EXPECTED)}
GRADED_ASSIGNMENTS = [assignment for assignment, _ in GRADED.values()]
SCREENSHOTS = ROOT / "test-output" / "hub"
STUB = "raise NotImplementedError()"  # what nbgrader leaves of a solution
LEARNER_UID = 65534  # who learner code is in the grading sandbox (course_tools/grading/sandbox.py)
IDLE_MINUTES = 0.25  # the idle culler's timeout in its test


class CourseCycle:
    """What one run of the course on the hub left behind, for the tests to examine."""


def _notebook(assignment):
    return f"{assignment}/{assignment}.ipynb"


def _formgrader(server, action, student=None, expect_success=True, assignment=ASSIGNMENT):
    """One formgrader button: POST to its API and check it reports success."""
    path = f"formgrader/api/assignment/{assignment}/{action}" if student is None else \
        f"formgrader/api/submission/{assignment}/{student}/{action}"
    result = server.post_json(path)
    if expect_success:
        assert result.get("success"), f"formgrader {action} {student or ''} failed: {result.get('error')}\n" \
                                      f"{str(result.get('log'))[-3000:]}"
    return result


def _printed(server, code, timeout=120):
    """The JSON line that ``code``, run in a kernel of ``server``, printed last."""
    return json.loads(server.run_code(code, timeout=timeout).strip().splitlines()[-1])


@pytest.fixture(scope="module")
def cycle(solutions):
    with running_hub() as (hub, setup_output):
        run = CourseCycle()
        run.hub, run.settings, run.setup_output = hub, hub.settings, setup_output
        hub.start_servers([INSTRUCTOR, *STUDENTS])
        teacher = hub.server(INSTRUCTOR)
        students = {student: hub.server(student) for student in STUDENTS}
        run.formgrader_headers = teacher.request("GET", "formgrader").headers

        # the instructor generates the student version of each assignment and releases it
        for assignment in GRADED:
            _formgrader(teacher, "assign", assignment=assignment)
            _formgrader(teacher, "release", assignment=assignment)

        # each student fetches both; all but Cleo answer the RNN in JupyterLab (saved through the
        # contents API), validate (the notebook runs in the student's own kernel) and submit; Ada
        # and Ben answer and submit the language model too
        run.fetched, run.validation = {assignment: {} for assignment in GRADED}, {}
        for student, server in students.items():
            for assignment in GRADED:
                server.assignment_action("fetch", assignment)
                run.fetched[assignment][student] = nbformat.from_dict(server.read_notebook(_notebook(assignment)))
            if student in LM_ANSWERS:
                lm_notebook = fill_notebook(copy.deepcopy(run.fetched[LM.id][student]), LM_ANSWERS[student])
                server.save_notebook(_notebook(LM.id), lm_notebook)
                server.assignment_action("submit", LM.id)
            notebook = copy.deepcopy(run.fetched[ASSIGNMENT][student])
            if student not in SUBMITTERS:
                continue
            fill_notebook(notebook, {name: solutions[name] for name in ANSWERED[student]})
            if student == MALLORY:  # a scratch cell of her own, at the end; she does not validate
                notebook.cells.append(nbformat.v4.new_code_cell(intrusion_code(run.settings, hub.url)))
            server.save_notebook(NOTEBOOK, notebook)
            if student != MALLORY:
                run.validation[student] = server.post_json("assignments/validate", data={"path": NOTEBOOK})
            server.assignment_action("submit", ASSIGNMENT)
        # Mallory submits her notebook once more, in Ada's name: the newest submission "of" Ada;
        # the instructor collects in the formgrader (the forgery is refused, plainly, and moved
        # aside); Mallory forges again, and the instructor collects in a terminal
        run.forgeries = [_printed(students[MALLORY], forgery_code(ADA))]
        run.collect = _formgrader(teacher, "collect", expect_success=False)
        run.forgeries.append(_printed(students[MALLORY], forgery_code(ADA)))
        run.collect_in_terminal = _printed(teacher, command_code(["nbgrader", "collect", ASSIGNMENT, "--update"],
                                                                cwd=run.settings.course_dir))
        _formgrader(teacher, "collect", assignment=LM.id)

        # the instructor autogrades each submission, generates and releases feedback; the
        # gradebook is read around Mallory's grading, and what her cell printed there
        for student in SUBMITTERS:
            if student == MALLORY:
                run.gradebook_before_mallory = _gradebook_rows(run.settings, besides=[MALLORY])
            _formgrader(teacher, "autograde", student)
        run.gradebook_after_mallory = _gradebook_rows(run.settings, besides=[MALLORY])
        run.intrusion = _printed_by_intrusion(_autograded(run.settings, MALLORY))
        for student in LM_ANSWERS:
            _formgrader(teacher, "autograde", student, assignment=LM.id)
        run.submissions = {}
        for assignment in GRADED:
            _formgrader(teacher, "generate_feedback", assignment=assignment)
            _formgrader(teacher, "release_feedback", assignment=assignment)
            run.submissions[assignment] = teacher.request("GET", f"formgrader/api/submissions/{assignment}").json()
        run.formgrader_students = teacher.request("GET", "formgrader/api/students").json()

        # each student fetches their feedback of each assignment they submitted
        run.feedback = {assignment: {} for assignment in GRADED}
        for assignment, (_, expected) in GRADED.items():
            for student in expected:
                server = students[student]
                server.assignment_action("fetch_feedback", assignment)
                folder = f"{assignment}/feedback"
                run.feedback[assignment][student] = {
                    f"{stamp}/{name}": server.read_text(f"{folder}/{stamp}/{name}")
                    for stamp in server.listing(folder) for name in server.listing(f"{folder}/{stamp}")}

        # what each student may not reach, tried from her own kernel
        run.inbound = {path.name: path for path in run.settings.exchange_course.joinpath("inbound").iterdir()}
        [ben_submission] = [path for name, path in run.inbound.items() if name.startswith(f"{BEN}+{ASSIGNMENT}+")]
        run.ada_attempts = _printed(students[ADA], attempts_code(run.settings, BEN, ben_submission))
        # Cleo, who fetched only, and Ben, who has his feedback, search for the solutions
        ben_typed = [solutions[name] for name in ANSWERED[BEN]] + list(LM_ANSWERS[BEN].values())
        run.scans = {CLEO: _scan(students[CLEO]), BEN: _scan(students[BEN], typed=ben_typed)}
        ada_token = hub.api("POST", f"/users/{ADA}/tokens", json={"note": "deployment test"})["token"]
        run.ada_own_server = hub.server(ADA, ada_token).request("GET", "api/status", expect_ok=False).status_code
        run.ada_on_formgrader = hub.server(INSTRUCTOR, ada_token).request(
            "GET", "formgrader/api/assignments", expect_ok=False).status_code
        run.instructor_token = hub.api("POST", f"/users/{INSTRUCTOR}/tokens", json={"note": "deployment test"})["token"]
        yield run


PLANTED = BASE / "planted"  # a readable copy of one marker: the scan must find it


def _scan(server, typed=()):
    """The server's student searches the whole readable filesystem for the solutions of both
    assignments (see hub_attacks.scan_code), leaving out the lines he typed himself; one planted
    copy of a marker shows that the search finds one."""
    markers = solution_markers(GRADED_ASSIGNMENTS, typed)
    PLANTED.mkdir(exist_ok=True)
    (PLANTED / "leak.txt").write_text(f"copied by mistake: {markers[len(markers) // 2]}\n")
    try:
        # the kit's git checkouts (the suite's own among them) are no part of the server; the
        # deployment's copy is DEPLOYED_KIT, which has no .git
        checkouts = sorted({*kit_checkouts(), str(KIT_ROOT)})
        assert str(DEPLOYED_KIT) not in checkouts, checkouts
        return _printed(server, scan_code(markers, [*SYSTEM_FOLDERS, *checkouts]), timeout=600)
    finally:
        shutil.rmtree(PLANTED)


def _autograded(settings, student, assignment=ASSIGNMENT):
    return settings.course_dir / "autograded" / student / assignment / f"{assignment}.ipynb"


def _printed_by_intrusion(autograded_notebook):
    """What Mallory's cell printed in an autograded notebook (read here, as root): its verdict,
    or the cell's outputs as text when it printed none."""
    cell = nbformat.read(str(autograded_notebook), as_version=4).cells[-1]
    text = "".join(output.get("text", "") for output in cell.get("outputs", []))
    if INTRUSION not in text:
        return {"no verdict; the cell's outputs": cell.get("outputs", [])}
    return json.loads(text.split(INTRUSION, 1)[1].splitlines()[0])


def _gradebook_rows(settings, besides=()):
    """Every row of the gradebook, but those of the grading of ``besides``'s submissions (the
    submission, its notebooks, their grades and comments); read here, as root."""
    path = settings.course_dir / "gradebook.db"
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        db.row_factory = sqlite3.Row
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        rows = {table: [dict(row) for row in db.execute(f'SELECT * FROM "{table}"')] for table in tables}
    submissions = {row["id"] for row in rows["submitted_assignment"] if row["student_id"] in besides}
    notebooks = {row["id"] for row in rows["submitted_notebook"] if row["assignment_id"] in submissions}
    rows["submitted_assignment"] = [row for row in rows["submitted_assignment"] if row["id"] not in submissions]
    rows["submitted_notebook"] = [row for row in rows["submitted_notebook"] if row["id"] not in notebooks]
    for table in ("grade", "comment"):
        rows[table] = [row for row in rows[table] if row["notebook_id"] not in notebooks]
    return {table: sorted(json.dumps(row, sort_keys=True, default=str) for row in table_rows)
            for table, table_rows in rows.items()}


def _assert_confined(seen, settings):
    """What Mallory's cell saw is what a sandbox shows: nobody in a copy of her folder, with
    nothing of the course's, the gradebook out of reach and no network."""
    assert {key: seen.get(key) for key in ("uid", "gid", "cwd")} == \
        {"uid": LEARNER_UID, "gid": LEARNER_UID, "cwd": f"/home/learner/{ASSIGNMENT}"}, seen
    assert seen["read"] == [] and seen["wrote"] == [], seen
    assert not seen["course visible"] and not seen["reached the hub"], seen
    course_entries = {"gradebook.db", "source", "autograded", "submitted", "nbgrader_config.py", "course_tools"}
    assert not any(course_entries & set(entries) for entries in seen["listed"].values()), seen["listed"]
    assert not (settings.course_dir / "intruder.txt").exists()


def test_the_setup_is_reported_step_by_step(cycle):
    for step in (f"the kit's folder {DEPLOYED_KIT} is private to root", f"homes of {1 + len(STUDENTS)} users are private",
                 "exchange", "course directory", f"{len(STUDENTS)} students in the gradebook"):
        assert step in cycle.setup_output


def _solution_cells(notebook):
    return {cell.metadata["nbgrader"]["grade_id"]: cell.source for cell in notebook.cells
            if cell.metadata.get("nbgrader", {}).get("solution")}


@pytest.mark.parametrize("assignment", GRADED)
def test_students_fetch_the_kits_release_without_solutions(cycle, assignment):
    """The hub's release of each assignment equals the kit's release/: stubs where the solutions were."""
    engine, _ = GRADED[assignment]
    kit_release = _solution_cells(nbformat.read(str(engine.release_dir / f"{assignment}.ipynb"), as_version=4))
    assert set(cycle.fetched[assignment]) == set(STUDENTS)
    for student, notebook in cycle.fetched[assignment].items():
        cells = _solution_cells(notebook)
        assert cells == kit_release, f"{student} fetched another notebook than the kit's release"
        assert set(cells) == set(engine.exercises) and all(STUB in source for source in cells.values())


def test_validate_runs_the_notebook_in_the_students_kernel(cycle):
    """The course's packages are in every user's kernel: Ada's notebook passes, Ben's fails
    where he left the stubs, and the Validate dialog shows each check's short message."""
    assert cycle.validation[ADA] == {"success": True, "value": {}}
    failed = cycle.validation[BEN]["value"]["failed"]
    failed_checks = {name for name in EXERCISES for cell in failed if f"{name}_test({name})" in cell["source"]}
    assert len(failed) == len(failed_checks) and failed_checks == set(EXERCISES) - set(ANSWERED[BEN])
    # what the Validate dialog shows of each: the check's message alone, in short lines
    for cell in failed:
        lines = html.unescape(cell["error"]).strip().splitlines()
        name = next(name for name in EXERCISES if f"{name}_test({name})" in cell["source"])
        assert lines[0].startswith(f"Check failed: {name} is not implemented yet"), lines
        assert len(lines) <= 3 and all(len(line) <= 80 for line in lines), lines


def test_a_submission_reaches_nothing_of_the_instructors_while_the_formgrader_grades_it(cycle):
    """Mallory's cell, run by the formgrader's autograde (as the instructor, who is not root),
    could read and write nothing of the course's and ran as nobody in a copy of her folder."""
    _assert_confined(cycle.intrusion, cycle.settings)


def test_a_submissions_grading_changes_no_row_of_the_gradebook_but_its_own(cycle):
    assert cycle.gradebook_after_mallory == cycle.gradebook_before_mallory
    assert scores_only(scores_by_exercise(gradebook_url(cycle.settings.course_dir), RNN))[MALLORY] == EXPECTED[MALLORY]


@pytest.mark.parametrize("assignment", GRADED)
def test_the_gradebook_holds_each_students_grades(cycle, assignment):
    """In the gradebook, exercise by exercise, and in the formgrader's totals; each assignment's
    grades are its own (RNN: Ada 100, Ben and Mallory 50; the language model: Ada 100, Ben 40)."""
    engine, expected = GRADED[assignment]
    scores = scores_by_exercise(gradebook_url(cycle.settings.course_dir), engine)
    assert scores_only(scores) == expected
    totals = {row["student"]: (row["score"], row["max_score"]) for row in cycle.submissions[assignment]
              if row["submitted"]}
    assert totals == {student: (sum(expected[student].values()), 100.0) for student in expected}


def test_the_formgrader_names_the_students_as_the_roster_does(cycle):
    names = {row["id"]: (row["first_name"], row["last_name"]) for row in cycle.formgrader_students}
    assert names == NAMES


@pytest.mark.parametrize("assignment", GRADED)
def test_each_student_gets_back_only_their_own_feedback(cycle, assignment):
    _, expected = GRADED[assignment]
    feedback = cycle.feedback[assignment]
    assert set(feedback) == set(expected)
    for student in expected:
        files = feedback[student]
        assert len(files) == 1 and next(iter(files)).endswith(f"/{assignment}.html"), files
        page = next(iter(files.values()))
        instructor_copy = cycle.settings.course_dir / "feedback" / student / assignment / f"{assignment}.html"
        assert page == instructor_copy.read_text(), f"{student} fetched feedback that is not theirs"
        assert f"Score: {sum(expected[student].values()):.1f} / 100.0" in page
    assert next(iter(feedback[ADA].values())) != next(iter(feedback[BEN].values()))


def test_the_feedback_shows_its_math_without_any_script(cycle):
    """MathML in place of every $...$ of the notebook's text (course_tools/grading/feedback_math.py)."""
    page = next(iter(cycle.feedback[ASSIGNMENT][BEN].values()))
    body = page[page.index("<body"):]
    assert body.count("<math ") > 50
    assert "$$" not in body and "\\langle" not in body


def test_a_submission_in_another_students_name_is_refused_plainly(cycle):
    """Mallory's submission as Ada, newer than Ada's own: the formgrader's Collect reports an
    error naming it, the terminal's collect fails with the same, and Ada's own submission is the
    one collected and graded."""
    for forgery in cycle.forgeries:  # nbgrader submit takes any --student
        assert forgery["returncode"] == 0, forgery["output"]
    aside = sorted(name for name in cycle.inbound if name.startswith(f"{REFUSED_PREFIX}{ADA}+"))
    assert len(aside) == 2 and {pwd.getpwuid(cycle.inbound[name].stat().st_uid).pw_name for name in aside} == {MALLORY}
    first, second = (f"{name[len(REFUSED_PREFIX):]}: it claims to be {ADA}'s, but the folder is owned by {MALLORY}"
                     for name in aside)
    assert cycle.collect["success"] is False
    assert first in cycle.collect["error"] and "1 submission(s) of" in cycle.collect["error"]
    assert f"Collected submission: {ADA}" in cycle.collect["log"] and f"moved aside to {aside[0]}" in cycle.collect["log"]
    assert cycle.collect_in_terminal["returncode"] == 1 and second in cycle.collect_in_terminal["output"]
    submitted = nbformat.read(str(cycle.settings.course_dir / "submitted" / ADA / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"),
                              as_version=4)
    assert INTRUSION not in "".join(cell.source for cell in submitted.cells)  # not Mallory's notebook
    assert scores_only(scores_by_exercise(gradebook_url(cycle.settings.course_dir), RNN))[ADA] == EXPECTED[ADA]


@pytest.mark.parametrize("student", [CLEO, BEN])
def test_no_file_a_student_can_read_holds_a_solution(cycle, student):
    """Cleo (who only fetched) and Ben (with his feedback) searched every file they can read
    outside the system's folders (the shared environment, the exchange, /tmp, /opt, /srv,
    /home, /usr/local ...) for the lines of the solutions (Ben's own answers aside), of the
    sample answers and of the hidden cases: only the planted copy turns up. A file found
    outside the deployment's folder that was last changed before the deployment began (a CI
    runner's record of the commit under test, say) is the machine's, not the deployment's:
    it is listed in the message but not held against the deployment."""
    scan = cycle.scans[student]
    assert scan["uid"] == pwd.getpwnam(student).pw_uid
    assert str(BASE) in scan["searched"] or any(str(BASE).startswith(root + "/") for root in scan["searched"])
    older = [path for path in scan["found"] if _older_than_the_deployment(path, cycle.hub.began)]
    assert [path for path in scan["found"] if path not in older] == [str(PLANTED / "leak.txt")], scan


def _older_than_the_deployment(path, began):
    """Whether ``path`` lies outside the deployment's folder and had its last change of content
    or metadata (ctime, which no copy can set back) before the deployment began."""
    return not Path(path).is_relative_to(BASE) and os.stat(path).st_ctime < began


def test_the_kits_own_copy_and_the_course_directory_are_closed_to_students(cycle):
    modes = {path: stat.S_IMODE(path.stat().st_mode) for path in (DEPLOYED_KIT, cycle.settings.course_dir)}
    assert modes == {DEPLOYED_KIT: 0o700, cycle.settings.course_dir: 0o700}
    assert DEPLOYED_KIT.stat().st_uid == 0


@pytest.mark.parametrize("attempt", [
    "read the source notebook", "read the gradebook", "read the hidden checks", "read the reference solutions",
    "list the course directory", "list the exchange's inbound", "list the exchange's feedback",
    "read Ben's notebook in his home", "read Ben's submission, knowing its name",
    "rename the course's exchange folder", "create another course's folder in the exchange"])
def test_a_student_cannot_reach_what_is_not_hers(cycle, attempt):
    assert cycle.ada_attempts[attempt] == "PermissionError"


def test_a_student_finds_no_other_submission_through_the_exchange(cycle):
    assert cycle.ada_attempts["find Ben's submission"] == []
    listed = cycle.ada_attempts["nbgrader list --inbound"]
    assert "Submitted assignments:" in listed and BEN not in listed
    assert cycle.ada_attempts["nbgrader collect"] == []


def test_a_students_token_opens_her_server_and_not_the_formgrader(cycle):
    assert cycle.ada_own_server == 200
    assert cycle.ada_on_formgrader == 403


@pytest.mark.parametrize("method, path", [
    ("GET", "/users"), ("POST", f"/users/{OUTSIDER}"), ("POST", f"/users/{ADA}/server"),
    ("POST", f"/users/{ADA}/tokens"), ("GET", f"/users/{ADA}")])
def test_the_instructor_has_no_power_over_other_users(cycle, method, path):
    """The instructor is not a hub admin (course.json names no admins): their token can list no
    one, add no one, start nobody's server and take nobody's token (JupyterHub answers 404 for
    a user the token may not even see)."""
    assert cycle.hub.api(method, path, expect_ok=False, token=cycle.instructor_token).status_code in (403, 404)


def test_the_instructor_cannot_open_a_students_server(cycle):
    server = cycle.hub.server(ADA, cycle.instructor_token)
    assert server.request("GET", "api/status", expect_ok=False).status_code == 403
    assert cycle.hub.api("GET", f"/users/{INSTRUCTOR}")["admin"] is False


def test_no_one_can_add_an_account_outside_the_roster(cycle):
    """Not even with the powers of an admin (the test's service has them): the outsider has a
    system account and a password, yet gets no hub user (added or renamed to), no server and
    no login."""
    hub = cycle.hub
    panel = hub.api("POST", "/users", expect_ok=False, json={"usernames": [OUTSIDER]})  # the admin panel's call
    assert panel.status_code == 400 and f"Invalid username: {OUTSIDER}" in panel.text, panel.text
    one = hub.api("POST", f"/users/{OUTSIDER}", expect_ok=False)  # JupyterHub gives the reason in its log only
    assert one.status_code == 400 and f"Failed to create user: {OUTSIDER}" in one.text, one.text
    assert f"ValueError: {OUTSIDER} is not on the course's roster" in hub.log_text()
    renamed = hub.api("PATCH", f"/users/{CLEO}", expect_ok=False, json={"name": OUTSIDER})  # then spawn as them
    assert renamed.status_code == 400 and "Invalid username" in renamed.text, renamed.text
    assert hub.api("GET", f"/users/{CLEO}")["name"] == CLEO
    assert hub.api("GET", f"/users/{OUTSIDER}", expect_ok=False).status_code == 404
    assert hub.api("POST", f"/users/{OUTSIDER}/server", expect_ok=False).status_code == 404
    assert login(hub.url, OUTSIDER, hub.passwords[OUTSIDER]).status_code == 403


@pytest.mark.parametrize("user", [INSTRUCTOR, ADA])
def test_users_log_in_with_their_system_password(cycle, user):
    """PAM, as deployed: the right password opens the hub, a wrong one does not."""
    hub = cycle.hub
    accepted = login(hub.url, user, hub.passwords[user])
    assert accepted.status_code == 302 and "jupyterhub-session-id" in accepted.cookies, accepted.status_code
    refused = login(hub.url, user, hub.passwords[user] + "x")
    assert refused.status_code == 403 and "Invalid username or password" in refused.text


def test_the_formgrader_may_be_framed_by_the_instructors_own_lab(cycle):
    """The workaround for JupyterHub 4.1 and later (jupyterhub_config.py)."""
    assert cycle.formgrader_headers["Content-Security-Policy"] == "frame-ancestors 'self'"


def _lab_of(browser, hub, user):
    """Log in on the hub's page as ``user`` and open their JupyterLab."""
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", hub.passwords[user])
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{user}/lab**", timeout=120_000)
    page.wait_for_selector(".lm-MenuBar-item:has-text('Nbgrader')", timeout=120_000)
    return page


def _nbgrader_menu(page):
    page.locator(".lm-MenuBar-item", has_text="Nbgrader").click()
    page.wait_for_selector(".lm-Menu-item")
    return [text.strip() for text in page.locator(".lm-Menu-item .lm-Menu-itemLabel").all_inner_texts()]


@needs_chromium
def test_the_instructor_grades_in_the_formgrader_inside_jupyterlab(cycle, browser):
    page = _lab_of(browser, cycle.hub, INSTRUCTOR)
    assert "Formgrader" in _nbgrader_menu(page)
    page.get_by_role("menuitem", name="Formgrader", exact=True).click()
    formgrader = page.frame_locator("iframe")
    row = formgrader.locator("tr", has_text=ASSIGNMENT)
    row.wait_for(timeout=60_000)  # a frame refused by its headers stays empty
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "formgrader.png"))
    assert "released" in row.inner_text() and str(len(SUBMITTERS)) in row.inner_text().split()
    lm_row = formgrader.locator("tr", has_text=LM.id)
    assert "released" in lm_row.inner_text() and str(len(LM_EXPECTED)) in lm_row.inner_text().split()


@needs_chromium
def test_a_student_has_the_assignment_list_and_no_instructor_tools(cycle, browser):
    page = _lab_of(browser, cycle.hub, ADA)
    page.locator(".jp-DirListing-item", has_text=ASSIGNMENT).wait_for(timeout=60_000)  # her fetched folder
    items = _nbgrader_menu(page)
    assert "Assignment List" in items
    assert not {"Formgrader", "Create assignment", "Course List"} & set(items)
    page.get_by_role("menuitem", name="Assignment List", exact=True).click()
    submitted = page.locator("#submitted_assignments_list")
    for assignment in GRADED:
        submitted.get_by_text(assignment).first.wait_for(timeout=60_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "assignment_list.png"))


@needs_chromium
def test_a_student_reads_her_feedback_in_one_click(cycle, browser):
    """"(view feedback)" in the Assignments panel opens the page itself (deploy/labextension),
    with its math drawn (MathML) and his score, without "Trust HTML"."""
    page = _lab_of(browser, cycle.hub, BEN)
    _nbgrader_menu(page)
    page.get_by_role("menuitem", name="Assignment List", exact=True).click()
    # the RNN's submissions (the panel lists the language model's first); the id is nbgrader's
    page.locator(f"#submitted_assignments_list #nbgrader-{COURSE_ID}-{ASSIGNMENT}-submissions a",
                 has_text="view feedback").first.click()
    tab = page.locator(".lm-TabBar-tab.lm-mod-current", has_text=f"{ASSIGNMENT}.html")
    tab.wait_for(timeout=60_000)
    selected = page.locator(".jp-DirListing-item.jp-mod-selected .jp-DirListing-itemText")
    assert selected.inner_text().strip() == f"{ASSIGNMENT}.html"
    feedback = page.frame_locator(".jp-HTMLViewer iframe")
    feedback.get_by_text(f"Score: {sum(EXPECTED[BEN].values()):.1f} / 100.0").first.wait_for(timeout=60_000)
    math = feedback.locator("math").first
    math.scroll_into_view_if_needed()
    box = math.bounding_box()
    assert box and box["width"] > 5 and box["height"] > 5, box
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "feedback.png"))


def test_the_instructor_can_grade_the_class_with_grade_class_on_the_hub(cycle):
    """For a large class: grade-class, from the instructor's own server (a terminal there runs
    the same), as the instructor (not root), regrades every submission of each assignment to the
    same grades, with the learners' code confined: Mallory's cell, run again, reached nothing either."""
    autograded = _autograded(cycle.settings, MALLORY)
    lm_autograded = [_autograded(cycle.settings, student, LM.id) for student in LM_EXPECTED]
    rows = _gradebook_rows(cycle.settings, besides=SUBMITTERS)
    started = time.time()
    printed = cycle.hub.server(INSTRUCTOR).run_code(textwrap.dedent(f"""
        import json, os, subprocess, sys
        results = [subprocess.run([sys.executable, "-m", "course_tools.grade_class", assignment, "--regrade"],
                                  cwd={str(cycle.settings.course_dir)!r}, capture_output=True, text=True)
                   for assignment in {list(GRADED)!r}]
        print(json.dumps({{"uid": os.getuid(), "returncodes": [result.returncode for result in results],
                          "output": "".join(result.stdout + result.stderr for result in results)}}))
        """), timeout=480)
    graded = json.loads(printed.strip().splitlines()[-1])
    assert graded["returncodes"] == [0] * len(GRADED), graded["output"]
    for assignment, (engine, expected) in GRADED.items():
        count = len(expected)
        assert f"{assignment}: {count} submissions; {count} graded" in graded["output"], graded["output"]
        assert scores_only(scores_by_exercise(gradebook_url(cycle.settings.course_dir), engine)) == expected
    assert _gradebook_rows(cycle.settings, besides=SUBMITTERS) == rows
    instructor = pwd.getpwnam(INSTRUCTOR).pw_uid
    assert graded["uid"] == instructor != 0
    assert autograded.stat().st_uid == instructor  # written by grade-class, as the instructor
    assert all(path.stat().st_mtime > started for path in lm_autograded), "the language model was not graded again"
    seen = _printed_by_intrusion(autograded)
    assert seen.get("time", 0) > started, f"Mallory's notebook was not graded again: {seen}"
    _assert_confined(seen, cycle.settings)


def _modes(settings):
    paths = [settings.exchange_root, *(settings.exchange_course / name for name in EXCHANGE_COURSE_MODES),
             settings.course_dir, *(home_of(user) for user in (INSTRUCTOR, *STUDENTS))]
    return {str(path): stat.S_IMODE(os.stat(path).st_mode) for path in paths}


def test_the_exchange_keeps_its_modes_through_a_whole_course(cycle):
    modes = _modes(cycle.settings)
    expected = {str(cycle.settings.exchange_root): EXCHANGE_ROOT_MODE, str(cycle.settings.course_dir): 0o700}
    expected.update({str(cycle.settings.exchange_course / name): mode for name, mode in EXCHANGE_COURSE_MODES.items()})
    assert {path: oct(mode) for path, mode in modes.items() if path in expected} == \
        {path: oct(mode) for path, mode in expected.items()}
    assert {mode for path, mode in modes.items() if path not in expected} == {0o700}  # the homes
    assert cycle.settings.exchange_root.stat().st_uid == 0


def test_each_submission_folder_is_closed_to_all_but_its_owner_and_the_instructor(cycle):
    instructor_group = pwd.getpwnam(INSTRUCTOR).pw_gid
    folders = {name: path.stat() for name, path in cycle.inbound.items()}
    assert len(folders) == len(SUBMITTERS) + len(LM_EXPECTED) + 2  # and Mallory's forgeries, moved aside
    for name, info in folders.items():
        assert (oct(stat.S_IMODE(info.st_mode)), grp.getgrgid(info.st_gid).gr_name) == \
            (oct(0o750), grp.getgrgid(instructor_group).gr_name), name


def test_running_the_setup_again_changes_nothing_that_exists(cycle):
    """As after adding a student: the environment, the course directory and its grades stay."""
    modes = _modes(cycle.settings)
    squatted = cycle.settings.exchange_root / "a-future-course"  # as made while the root was open to all
    squatted.mkdir()
    os.chown(squatted, pwd.getpwnam(CLEO).pw_uid, pwd.getpwnam(CLEO).pw_gid)
    try:
        again = run_setup(cycle.hub.settings_path)
    finally:
        squatted.rmdir()
    assert again.returncode == 0, again.stderr
    assert "is up to date" in again.stdout and "kept as it is" in again.stdout
    assert f"warning: {squatted} belongs to {CLEO}, not to root or the instructor" in again.stdout
    assert _modes(cycle.settings) == modes
    for engine, expected in GRADED.values():
        assert scores_only(scores_by_exercise(gradebook_url(cycle.settings.course_dir), engine)) == expected


def test_the_setup_refuses_an_interpreter_the_users_cannot_run(cycle, tmp_path):
    private = tmp_path / "private"  # pytest's folders are root's alone
    private.mkdir(mode=0o700)
    (private / "python3").symlink_to(SYSTEM_PYTHON)
    settings = json.loads(cycle.hub.settings_path.read_text())
    settings["env_dir"] = str(tmp_path / "env")
    path = tmp_path / "course.json"
    path.write_text(json.dumps(settings))
    result = run_setup(path, python=private / "python3")
    assert result.returncode == 1
    assert f"the course's users cannot run {private / 'python3'}; pass a --python they can run" in result.stderr
    assert not (tmp_path / "env").exists()



def test_an_idle_server_is_stopped_by_the_culler(cycle):
    """Last, as it restarts the hub: with idle_timeout_minutes at 0.25, a server left alone
    is stopped by the idle culler, which says how long it was idle."""
    hub = cycle.hub
    hub.restart(idle_timeout_minutes=IDLE_MINUTES)
    hub.start_servers([CLEO])
    deadline = time.monotonic() + 180
    while hub.api("GET", f"/users/{CLEO}").get("servers") and time.monotonic() < deadline:
        time.sleep(1)
    assert not hub.api("GET", f"/users/{CLEO}").get("servers"), f"Cleo's idle server still runs:\n{hub.log_tail()}"
    culled = [line for line in hub.log_text().splitlines() if f"Culling server {CLEO}" in line]
    assert culled, hub.log_tail()
    hours, minutes, seconds = map(int, culled[-1].split("inactive for ", 1)[1].rstrip(")").split(":"))
    assert hours * 3600 + minutes * 60 + seconds >= IDLE_MINUTES * 60, culled[-1]

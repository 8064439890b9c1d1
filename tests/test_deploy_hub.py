"""The course on a real JupyterHub (deploy/), from release to feedback.

The server is set up by ``deploy/setup_server.py`` for an instructor and three students who are
separate system users; the hub runs ``deploy/jupyterhub_config.py`` behind configurable-http-
proxy. Everyone acts through the hub: the instructor through the formgrader's API, the
students through the Assignments panel's API, JupyterLab's contents API and their own kernels.
Ada answers every exercise; Ben answers the forward passes only; Mallory answers the cell
functions and adds a cell that, while it is graded, goes for the instructor's files.
"""
import contextlib
import copy
import json
import os
import pwd
import sqlite3
import stat
import subprocess
import textwrap
import time
from urllib.parse import urlparse

import nbformat
import pytest

from course_tools.layout import ASSIGNMENT, EXERCISES, RELEASE_DIR, ROOT
from course_tools.scores import gradebook_url, scores_by_exercise
from course_tools.submissions import fill_notebook
from deploy.settings import KIT_ROOT
from deploy.setup_server import EXCHANGE_COURSE_MODES, EXCHANGE_ROOT_MODE
from tests.chromium import needs_chromium
from tests.expected import POINTS, scores_only
from tests.jupyterhub import INSTRUCTOR, STUDENTS, SYSTEM_PYTHON, home_of, run_setup, running_hub
from tests.markers import HUB

pytestmark = HUB

ADA, BEN, MALLORY = STUDENTS
FORWARD = [name for name in EXERCISES if name.endswith("_forward")]
CELL_FUNCTIONS = [name for name in EXERCISES if "_cell_" in name]
ANSWERED = {ADA: list(EXERCISES), BEN: FORWARD, MALLORY: CELL_FUNCTIONS}
EXPECTED = {student: {name: float(POINTS[name]) if name in answered else 0.0 for name in EXERCISES}
            for student, answered in ANSWERED.items()}
NOTEBOOK = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
SCREENSHOTS = ROOT / "test-output" / "hub"
STUB = "raise NotImplementedError()"  # what nbgrader leaves of a solution
INTRUSION = "INTRUSION "  # what Mallory's cell prints before its verdict
LEARNER_UID = 65534  # who learner code is in the grading sandbox (course_tools/grading/sandbox.py)


class CourseCycle:
    """What one run of the course on the hub left behind, for the tests to examine."""


def _formgrader(server, action, student=None):
    """One formgrader button: POST to its API and check it reports success."""
    path = f"formgrader/api/assignment/{ASSIGNMENT}/{action}" if student is None else \
        f"formgrader/api/submission/{ASSIGNMENT}/{student}/{action}"
    result = server.post_json(path)
    assert result.get("success"), f"formgrader {action} {student or ''} failed: {result.get('error')}\n" \
                                  f"{str(result.get('log'))[-3000:]}"
    return result


@pytest.fixture(scope="module")
def cycle(solutions):
    with running_hub() as (hub, setup_output):
        run = CourseCycle()
        run.hub, run.settings, run.setup_output = hub, hub.settings, setup_output
        hub.start_servers([INSTRUCTOR, *STUDENTS])
        teacher = hub.server(INSTRUCTOR)
        students = {student: hub.server(student) for student in STUDENTS}
        run.formgrader_headers = teacher.request("GET", "formgrader").headers

        # the instructor generates the student version and releases it
        _formgrader(teacher, "assign")
        _formgrader(teacher, "release")

        # each student fetches it, answers in JupyterLab (saved through the contents API),
        # validates (the notebook runs in the student's own kernel) and submits
        run.fetched, run.validation = {}, {}
        for student, server in students.items():
            server.assignment_action("fetch", ASSIGNMENT)
            notebook = nbformat.from_dict(server.read_notebook(NOTEBOOK))
            run.fetched[student] = copy.deepcopy(notebook)
            answers = {name: solutions[name] for name in ANSWERED[student]}
            fill_notebook(notebook, answers)
            if student == MALLORY:  # a scratch cell of her own, at the end; she does not validate
                notebook.cells.append(nbformat.v4.new_code_cell(_intrusion_code(run.settings, hub.url)))
            server.save_notebook(NOTEBOOK, notebook)
            if student != MALLORY:
                run.validation[student] = server.post_json("assignments/validate", data={"path": NOTEBOOK})
            server.assignment_action("submit", ASSIGNMENT)

        # the instructor collects, autogrades each submission, generates and releases feedback;
        # the gradebook is read around Mallory's grading, and what her cell printed there
        _formgrader(teacher, "collect")
        for student in STUDENTS:
            if student == MALLORY:
                run.gradebook_before_mallory = _gradebook_rows(run.settings, besides=[MALLORY])
            _formgrader(teacher, "autograde", student)
        run.gradebook_after_mallory = _gradebook_rows(run.settings, besides=[MALLORY])
        run.intrusion = _printed_by_intrusion(_autograded(run.settings, MALLORY))
        _formgrader(teacher, "generate_feedback")
        _formgrader(teacher, "release_feedback")
        run.submissions = teacher.request("GET", f"formgrader/api/submissions/{ASSIGNMENT}").json()

        # each student fetches their feedback
        run.feedback = {}
        for student, server in students.items():
            server.assignment_action("fetch_feedback", ASSIGNMENT)
            folders = server.listing(f"{ASSIGNMENT}/feedback")
            run.feedback[student] = {f"{folder}/{name}": server.read_text(f"{ASSIGNMENT}/feedback/{folder}/{name}")
                                     for folder in folders for name in server.listing(f"{ASSIGNMENT}/feedback/{folder}")}

        run.ada_attempts = json.loads(students[ADA].run_code(_attempts_code(run.settings)).strip().splitlines()[-1])
        ada_token = hub.api("POST", f"/users/{ADA}/tokens", json={"note": "deployment test"})["token"]
        run.ada_own_server = hub.server(ADA, ada_token).request("GET", "api/status", expect_ok=False).status_code
        run.ada_on_formgrader = hub.server(INSTRUCTOR, ada_token).request(
            "GET", "formgrader/api/assignments", expect_ok=False).status_code
        yield run


def _attempts_code(settings):
    """What Ada runs in her own kernel to reach what is not hers; it prints the outcome of each try."""
    course, exchange = settings.course_dir, settings.exchange_course
    ben_home = home_of(BEN)
    return textwrap.dedent(f"""
        import glob, json, os, subprocess, tempfile
        outcome = {{}}
        def attempt(name, action):
            try:
                action()
                outcome[name] = "succeeded"
            except OSError as error:
                outcome[name] = type(error).__name__
        attempt("read the source notebook", lambda: open({str(course / 'source' / ASSIGNMENT / (ASSIGNMENT + '.ipynb'))!r}).read())
        attempt("read the gradebook", lambda: open({str(course / 'gradebook.db')!r}, "rb").read())
        attempt("read the hidden checks", lambda: open({str(course / 'course_tools' / 'grading' / 'hidden.py')!r}).read())
        attempt("read the reference solutions", lambda: open({str(course / 'course_tools' / 'reference.py')!r}).read())
        attempt("list the course directory", lambda: os.listdir({str(course)!r}))
        attempt("list the exchange's inbound", lambda: os.listdir({str(exchange / 'inbound')!r}))
        attempt("list the exchange's feedback", lambda: os.listdir({str(exchange / 'feedback')!r}))
        attempt("read Ben's notebook in his home", lambda: open({str(ben_home / NOTEBOOK)!r}).read())
        attempt("rename the course's exchange folder", lambda: os.rename({str(exchange)!r}, {str(exchange) + '-moved'!r}))
        outcome["find Ben's submission"] = glob.glob({str(exchange / 'inbound' / (BEN + '+*'))!r})
        outcome["nbgrader list --inbound"] = subprocess.run(
            ["nbgrader", "list", "--inbound"], capture_output=True, text=True).stderr
        scratch = tempfile.mkdtemp()
        subprocess.run(["nbgrader", "collect", {ASSIGNMENT!r}], cwd=scratch, capture_output=True)
        outcome["nbgrader collect"] = sorted(os.listdir(os.path.join(scratch, "submitted"))) \\
            if os.path.isdir(os.path.join(scratch, "submitted")) else []
        print(json.dumps(outcome))
        """)


def _intrusion_code(settings, hub_url):
    """Mallory's scratch cell. Wherever it runs, it tries to read the instructor's source
    notebook, gradebook and hidden inputs, in the course directory and in every folder up from
    its working folder; to write the gradebook (a file opened for writing, rows changed) and a
    file in the course directory; and to reach the hub. It prints one line: what it managed,
    who it was, where, and which folders it could list."""
    port = urlparse(hub_url).port
    return textwrap.dedent(f"""
        import json, os, socket, sqlite3, time
        course = {str(settings.course_dir)!r}
        wanted = ["source/{ASSIGNMENT}/{ASSIGNMENT}.ipynb", "gradebook.db", "course_tools/grading/hidden.py"]
        places, folder = [course], os.getcwd()
        while folder not in places:
            places.append(folder)
            folder = os.path.dirname(folder)
        verdict = {{"uid": os.getuid(), "gid": os.getgid(), "cwd": os.getcwd(), "time": time.time(),
                   "course visible": os.path.exists(course), "listed": {{}}, "read": [], "wrote": [],
                   "reached the hub": False}}
        for place in places:
            try:
                verdict["listed"][place] = sorted(os.listdir(place))
            except OSError:
                pass
            for name in wanted:
                try:
                    with open(os.path.join(place, name), "rb") as file:
                        file.read()
                    verdict["read"].append(os.path.join(place, name))
                except OSError:
                    pass
            gradebook = os.path.join(place, "gradebook.db")
            try:
                os.close(os.open(gradebook, os.O_WRONLY | os.O_APPEND))
                verdict["wrote"].append(gradebook + " (opened for writing)")
            except OSError:
                pass
            try:
                with sqlite3.connect(f"file:{{gradebook}}?mode=rw", uri=True) as db:
                    db.execute("INSERT INTO student (id) VALUES ('intruder')")
                    db.execute("UPDATE grade SET manual_score = 100")
                verdict["wrote"].append(gradebook)
            except Exception:
                pass
        try:
            with open(os.path.join(course, "intruder.txt"), "x") as file:
                file.write("Mallory was here")
            verdict["wrote"].append(os.path.join(course, "intruder.txt"))
        except OSError:
            pass
        try:
            socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
            verdict["reached the hub"] = True
        except OSError:
            pass
        print({INTRUSION!r} + json.dumps(verdict))
        """)


def _autograded(settings, student):
    return settings.course_dir / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"


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
    for step in (f"homes of {1 + len(STUDENTS)} users are private", "exchange", "course directory",
                 f"{len(STUDENTS)} students in the gradebook"):
        assert step in cycle.setup_output


def _solution_cells(notebook):
    return {cell.metadata["nbgrader"]["grade_id"]: cell.source for cell in notebook.cells
            if cell.metadata.get("nbgrader", {}).get("solution")}


def test_students_fetch_the_kits_release_without_solutions(cycle):
    """The hub's release equals the kit's release/: stubs where the solutions were."""
    kit_release = _solution_cells(nbformat.read(str(RELEASE_DIR / f"{ASSIGNMENT}.ipynb"), as_version=4))
    for student, notebook in cycle.fetched.items():
        cells = _solution_cells(notebook)
        assert cells == kit_release, f"{student} fetched another notebook than the kit's release"
        assert set(cells) == set(EXERCISES) and all(STUB in source for source in cells.values())


def test_validate_runs_the_notebook_in_the_students_kernel(cycle):
    """The course's packages are in every user's kernel: Ada's notebook passes, Ben's fails
    where he left the stubs."""
    assert cycle.validation[ADA] == {"success": True, "value": {}}
    failed = cycle.validation[BEN]["value"]["failed"]
    failed_checks = {name for name in EXERCISES for cell in failed if f"{name}_test({name})" in cell["source"]}
    assert len(failed) == len(failed_checks) and failed_checks == set(EXERCISES) - set(ANSWERED[BEN])


def test_a_submission_reaches_nothing_of_the_instructors_while_the_formgrader_grades_it(cycle):
    """Mallory's cell, run by the formgrader's autograde (as the instructor, who is not root),
    could read and write nothing of the course's and ran as nobody in a copy of her folder."""
    _assert_confined(cycle.intrusion, cycle.settings)


def test_a_submissions_grading_changes_no_row_of_the_gradebook_but_its_own(cycle):
    assert cycle.gradebook_after_mallory == cycle.gradebook_before_mallory
    assert scores_only(scores_by_exercise(gradebook_url(cycle.settings.course_dir)))[MALLORY] == EXPECTED[MALLORY]


def test_the_gradebook_holds_each_students_grades(cycle):
    scores = scores_by_exercise(gradebook_url(cycle.settings.course_dir))
    assert scores_only(scores) == EXPECTED
    totals = {row["student"]: (row["score"], row["max_score"]) for row in cycle.submissions}
    assert totals == {student: (sum(EXPECTED[student].values()), 100.0) for student in STUDENTS}


def test_each_student_gets_back_only_their_own_feedback(cycle):
    for student in STUDENTS:
        files = cycle.feedback[student]
        assert len(files) == 1 and next(iter(files)).endswith(f"/{ASSIGNMENT}.html"), files
        page = next(iter(files.values()))
        instructor_copy = cycle.settings.course_dir / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
        assert page == instructor_copy.read_text(), f"{student} fetched feedback that is not theirs"
        assert f"Score: {sum(EXPECTED[student].values()):.1f} / 100.0" in page
    assert next(iter(cycle.feedback[ADA].values())) != next(iter(cycle.feedback[BEN].values()))


@pytest.mark.parametrize("attempt", [
    "read the source notebook", "read the gradebook", "read the hidden checks", "read the reference solutions",
    "list the course directory", "list the exchange's inbound", "list the exchange's feedback",
    "read Ben's notebook in his home", "rename the course's exchange folder"])
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


def test_the_formgrader_may_be_framed_by_the_instructors_own_lab(cycle):
    """The workaround for JupyterHub 4.1 and later (jupyterhub_config.py)."""
    assert cycle.formgrader_headers["Content-Security-Policy"] == "frame-ancestors 'self'"


def _lab_of(browser, hub, user):
    """Log in on the hub's page as ``user`` and open their JupyterLab."""
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", hub.password)
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
    assert "released" in row.inner_text() and str(len(STUDENTS)) in row.inner_text().split()


@needs_chromium
def test_a_student_has_the_assignment_list_and_no_instructor_tools(cycle, browser):
    page = _lab_of(browser, cycle.hub, ADA)
    page.locator(".jp-DirListing-item", has_text=ASSIGNMENT).wait_for(timeout=60_000)  # her fetched folder
    items = _nbgrader_menu(page)
    assert "Assignment List" in items
    assert not {"Formgrader", "Create assignment", "Course List"} & set(items)
    page.get_by_role("menuitem", name="Assignment List", exact=True).click()
    submitted = page.locator("#submitted_assignments_list")
    submitted.get_by_text(ASSIGNMENT).first.wait_for(timeout=60_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "assignment_list.png"))


def test_the_instructor_can_grade_the_class_with_grade_class_on_the_hub(cycle):
    """For a large class: grade-class, from the instructor's own server (a terminal there runs
    the same), as the instructor (not root), regrades every submission to the same grades, with
    the learners' code confined: Mallory's cell, run again, reached nothing either."""
    autograded = _autograded(cycle.settings, MALLORY)
    rows = _gradebook_rows(cycle.settings, besides=STUDENTS)
    started = time.time()
    printed = cycle.hub.server(INSTRUCTOR).run_code(textwrap.dedent(f"""
        import json, os, subprocess, sys
        result = subprocess.run([sys.executable, "-m", "course_tools.grade_class", {ASSIGNMENT!r}, "--regrade"],
                                cwd={str(cycle.settings.course_dir)!r}, capture_output=True, text=True)
        print(json.dumps({{"uid": os.getuid(), "returncode": result.returncode,
                          "output": result.stdout + result.stderr}}))
        """), timeout=300)
    graded = json.loads(printed.strip().splitlines()[-1])
    count = len(STUDENTS)
    assert graded["returncode"] == 0 and f"{ASSIGNMENT}: {count} submissions; {count} graded" in graded["output"], \
        graded["output"]
    assert scores_only(scores_by_exercise(gradebook_url(cycle.settings.course_dir))) == EXPECTED
    assert _gradebook_rows(cycle.settings, besides=STUDENTS) == rows
    instructor = pwd.getpwnam(INSTRUCTOR).pw_uid
    assert graded["uid"] == instructor != 0
    assert autograded.stat().st_uid == instructor  # written by grade-class, as the instructor
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


def test_running_the_setup_again_changes_nothing_that_exists(cycle):
    """As after adding a student: the environment, the course directory and its grades stay."""
    modes = _modes(cycle.settings)
    again = run_setup(cycle.hub.settings_path)
    assert again.returncode == 0, again.stderr
    assert "is up to date" in again.stdout and "kept as it is" in again.stdout
    assert _modes(cycle.settings) == modes
    scores = scores_by_exercise(gradebook_url(cycle.settings.course_dir))
    assert scores_only(scores) == EXPECTED


def test_the_setup_refuses_an_interpreter_the_users_cannot_run(cycle, tmp_path):
    private = tmp_path / "private"  # pytest's folders are root's alone
    private.mkdir(mode=0o700)
    (private / "python3").symlink_to(SYSTEM_PYTHON)
    settings = json.loads(cycle.hub.settings_path.read_text())
    settings["env_dir"] = str(tmp_path / "env")
    path = tmp_path / "course.json"
    path.write_text(json.dumps(settings))
    result = subprocess.run([SYSTEM_PYTHON, "-m", "deploy.setup_server", "--settings", str(path),
                             "--python", str(private / "python3")], cwd=KIT_ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert f"the course's users cannot run {private / 'python3'}; pass a --python they can run" in result.stderr
    assert not (tmp_path / "env").exists()


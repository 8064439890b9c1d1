"""What a class grading run decides to grade: fingerprints and the journal."""
import pytest

from course_tools.grade_class.grader import failure_reason, fault_of
from course_tools.grade_class.progress import ProgressBar
from course_tools.journal import Journal, fingerprint, grading_dir, submitted_students
from tests.support.markers import QUICK

pytestmark = QUICK


def make_submission(root, student, text="{}"):
    folder = root / "submitted" / student / "hw"
    folder.mkdir(parents=True)
    (folder / "hw.ipynb").write_text(text)
    return folder


def test_students_are_the_submitted_folders(tmp_path):
    for student in ("bo", "al"):
        make_submission(tmp_path, student)
    (tmp_path / "submitted" / "cy").mkdir()  # nothing for this assignment
    assert submitted_students(tmp_path, "hw") == ["al", "bo"]


def test_a_fingerprint_changes_when_any_file_changes(tmp_path):
    folder = make_submission(tmp_path, "al")
    before = fingerprint(folder)
    assert fingerprint(folder) == before
    (folder / "hw.ipynb").write_text("{} ")
    assert fingerprint(folder) != before
    changed = fingerprint(folder)
    (folder / "extra.py").write_text("")
    assert fingerprint(folder) != changed


def test_done_means_graded_unchanged_and_still_there(tmp_path):
    journal = Journal(tmp_path, "hw")
    journal.record("stamp1", {"student": "al", "status": "graded", "seconds": 1.5})
    journal.record("stamp2", {"student": "bo", "status": "failed", "reason": "No notebooks were matched",
                              "fault": "submission"})
    assert not journal.is_done("al", "stamp1")  # no autograded folder
    (tmp_path / "autograded" / "al" / "hw").mkdir(parents=True)
    (tmp_path / "autograded" / "bo" / "hw").mkdir(parents=True)
    assert journal.is_done("al", "stamp1")
    assert not journal.is_done("al", "stamp-of-a-resubmission")
    assert not journal.is_done("bo", "stamp2")  # a failure is tried again


def test_the_journal_survives_a_line_cut_short(tmp_path):
    journal = Journal(tmp_path, "hw")
    journal.record("s", {"student": "al", "status": "graded"})
    with open(journal.path, "a") as handle:
        handle.write('{"student": "bo", "fingerpr')  # killed while writing
    reread = Journal(tmp_path, "hw")
    assert set(reread.latest) == {"al"}
    assert reread.path == grading_dir(tmp_path, "hw") / "journal.jsonl"
    reread.record("s", {"student": "bo", "status": "graded"})
    assert set(Journal(tmp_path, "hw").latest) == {"al", "bo"}  # the cut line ends where it was cut


def test_the_failure_reason_is_nbgraders_own_error_line():
    outcome = {"success": False, "log": "[INFO] Copying\n[ERROR] No notebooks were matched by 'x/*.ipynb'\n"
               "[ERROR] There was an error processing assignment: x\n", "error": "Traceback ...\nNbGraderException: x"}
    assert failure_reason(outcome) == "No notebooks were matched by 'x/*.ipynb'"
    assert failure_reason({"success": False, "error": "Traceback\n  File...\nKeyError: 'a'\n"}) == "KeyError: 'a'"


def test_a_traceback_in_the_log_is_reported_by_its_exception_not_its_first_line():
    log = ("[INFO] Autograding x\n[ERROR] There was an error processing assignment: x\n"
           "[ERROR] Traceback (most recent call last):\n  File \"a.py\", line 1, in f\n    g()\n"
           "RuntimeError: Kernel died before replying to kernel_info\n\n[ERROR] Please see the error log\n")
    assert failure_reason({"success": False, "log": log}) == "RuntimeError: Kernel died before replying to kernel_info"


@pytest.mark.parametrize("last_line, fault", [
    ("course_tools.grading.faults.GraderTrouble: the kernel did not start, 3 tries", "grader"),
    ("sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) database is locked", "grader"),
    ("sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection refused", "grader"),
    ("zmq.error.ZMQError: Address already in use", "grader"),
    ("nbgrader.converters.base.NbGraderException: No notebooks were matched by 'x/*.ipynb'", "submission"),
    ("ValueError: a notebook nbgrader cannot use", "submission"),
])
def test_a_failure_is_the_graders_only_when_a_part_of_the_grader_failed(last_line, fault):
    log = f"[ERROR] There was an error processing assignment: x\n[ERROR] Traceback (most recent call last):\n{last_line}\n"
    assert fault_of({"success": False, "log": log, "error": "NbGraderException: Please see the error log"}) == fault


def test_the_progress_line_says_how_far_and_how_fast(capsys):
    import sys

    bar = ProgressBar(4, stream=sys.stdout)
    bar.advance({"status": "graded"})
    bar.advance({"status": "failed"})
    line = capsys.readouterr().out.splitlines()[-1]
    assert "2/4" in line and "1 failed" in line and "/min" in line and "[" + "#" * 15 + "." * 15 + "]" in line

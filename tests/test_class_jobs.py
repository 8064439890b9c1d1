"""What a class grading run decides to grade: fingerprints and the journal."""
from course_tools.grade_class.grader import failure_reason
from course_tools.grade_class.jobs import Journal, fingerprint, grading_dir, submitted_students
from course_tools.grade_class.progress import ProgressBar


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
    journal.record("al", "stamp1", "graded", seconds=1.5)
    journal.record("bo", "stamp2", "failed", "No notebooks were matched")
    assert not journal.is_done("al", "stamp1")  # no autograded folder
    (tmp_path / "autograded" / "al" / "hw").mkdir(parents=True)
    (tmp_path / "autograded" / "bo" / "hw").mkdir(parents=True)
    assert journal.is_done("al", "stamp1")
    assert not journal.is_done("al", "stamp-of-a-resubmission")
    assert not journal.is_done("bo", "stamp2")  # a failure is tried again


def test_the_journal_survives_a_line_cut_short(tmp_path):
    journal = Journal(tmp_path, "hw")
    journal.record("al", "s", "graded")
    with open(journal.path, "a") as handle:
        handle.write('{"student": "bo", "fingerpr')  # killed while writing
    reread = Journal(tmp_path, "hw")
    assert set(reread.latest) == {"al"}
    assert reread.path == grading_dir(tmp_path, "hw") / "journal.jsonl"
    reread.record("bo", "s", "graded")
    assert set(Journal(tmp_path, "hw").latest) == {"al", "bo"}  # the cut line ends where it was cut


def test_the_failure_reason_is_nbgraders_own_error_line():
    outcome = {"success": False, "log": "[INFO] Copying\n[ERROR] No notebooks were matched by 'x/*.ipynb'\n"
               "[ERROR] There was an error processing assignment: x\n", "error": "Traceback ...\nNbGraderException: x"}
    assert failure_reason(outcome) == "No notebooks were matched by 'x/*.ipynb'"
    assert failure_reason({"success": False, "error": "Traceback\n  File...\nKeyError: 'a'\n"}) == "KeyError: 'a'"


def test_the_progress_line_says_how_far_and_how_fast(capsys):
    import sys

    bar = ProgressBar(4, stream=sys.stdout)
    bar.advance({"status": "graded"})
    bar.advance({"status": "failed"})
    line = capsys.readouterr().out.splitlines()[-1]
    assert "2/4" in line and "1 failed" in line and "/min" in line and "[" + "#" * 15 + "." * 15 + "]" in line

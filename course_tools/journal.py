"""What a class grading run has to do: the submissions, and the journal of what is done.

grade-class (course_tools/grade_class) writes the journal; the score table, the export and the
report read the reason it recorded for a submission it could not grade. A submission is done
when the journal says it was graded and it has not changed since: its fingerprint (name, size
and modification time of every file in the submitted folder) is the one that was graded, and
its autograded folder is still there. Anything else, including a submission that failed or
whose grading was cut short, is graded (again) on the next run.
"""
import hashlib
import json
import os
from pathlib import Path


def grading_dir(course_root, assignment):
    """Where a class run keeps its journal and worker logs: ``<course>/.grading/<assignment>``."""
    return Path(course_root) / ".grading" / assignment


def submitted_students(course_root, assignment):
    """The students with a submitted folder for the assignment, sorted."""
    submitted = Path(course_root) / "submitted"
    return sorted(p.parent.name for p in submitted.glob(f"*/{assignment}") if p.is_dir())


def fingerprint(folder):
    """A digest of what the submitted folder holds, from file names, sizes and times only, so
    that thousands of submissions are fingerprinted in moments."""
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in sorted(os.walk(folder)):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            stat = path.stat()
            digest.update(f"{path.relative_to(folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


class Journal:
    """An append-only record, one JSON line per finished grading, flushed to disk at once so
    that a run killed at any moment loses at most the submissions it was grading."""

    def __init__(self, course_root, assignment_id):
        self.course_root, self.assignment_id = Path(course_root), assignment_id
        self.path = grading_dir(course_root, assignment_id) / "journal.jsonl"
        self.latest = {}
        if self.path.exists():
            text = self.path.read_text()
            if text and not text.endswith("\n"):  # cut short by a kill: end that line
                with open(self.path, "a") as handle:
                    handle.write("\n")
            for line in text.splitlines():
                try:
                    record = json.loads(line)
                except ValueError:  # a line cut short by a kill: that grading is redone
                    continue
                self.latest[record["student"]] = record

    def is_done(self, student, stamp):
        record = self.latest.get(student)
        autograded = self.course_root / "autograded" / student / self.assignment_id
        return (record is not None and record["status"] == "graded" and record["fingerprint"] == stamp
                and autograded.is_dir())

    def record(self, stamp, result):
        """Note how grading a submission (with fingerprint ``stamp``) ended: ``result`` as the
        engines give it (student, status, reason, fault, tries, seconds, grader)."""
        record = {"student": result["student"], "fingerprint": stamp, "status": result["status"],
                  "reason": result.get("reason", ""), "fault": result.get("fault"), "tries": result.get("tries", 1),
                  "seconds": round(result.get("seconds", 0.0), 3), "grader": result.get("grader")}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a") as handle:
            handle.write(json.dumps(record) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        self.latest[record["student"]] = record

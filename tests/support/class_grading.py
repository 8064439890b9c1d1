"""Running the kit's grade-class command from the tests, and interrupting it."""
import json
import os
import signal
import subprocess
import sys
import time

import psutil

from course_tools.journal import grading_dir
from tests.support.rnn_assignment import ASSIGNMENT, ROOT


def start(course, *args, readme_command=False):
    """Start grade-class on ``course``; with ``readme_command``, as the README says
    (``python3 course.py grade-class ...``), else as the module."""
    entry = [str(ROOT / "course.py"), "grade-class"] if readme_command else ["-m", "course_tools.grade_class"]
    return subprocess.Popen([sys.executable, *entry, ASSIGNMENT, "--course", str(course), *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run(course, *args, timeout=900):
    process = start(course, *args)
    stdout, stderr = process.communicate(timeout=timeout)
    return process.returncode, stdout, stderr


def journal(course):
    """The journal's records, in the order they were written."""
    path = grading_dir(course, ASSIGNMENT) / "journal.jsonl"
    records = []
    for line in path.read_text().splitlines() if path.exists() else []:
        try:
            records.append(json.loads(line))
        except ValueError:  # a line cut short when the run was killed
            pass
    return records


def journal_lines(course):
    return len(journal(course))


def graded_students(course):
    latest = {record["student"]: record["status"] for record in journal(course)}
    return {student for student, status in latest.items() if status == "graded"}


def _wait_for_journal(process, course, lines, timeout):
    deadline = time.monotonic() + timeout
    while journal_lines(course) < lines:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError("grade-class ended or stalled before it could be interrupted:\n"
                                 + process.communicate()[1])
        time.sleep(0.1)


def _running_in(course):
    """Processes whose working directory is inside ``course`` (a grading's kernels are)."""
    found = []
    for process in psutil.process_iter():
        try:
            if process.pid != os.getpid() and process.cwd().startswith(str(course)):
                found.append(process)
        except psutil.Error:  # gone, or not ours to look at
            pass
    return found


def interrupt_after(course, lines, signum, timeout=600, readme_command=False):
    """Start grade-class, and once the journal has ``lines`` lines, send it ``signum``.
    Returns (exit code, stdout, stderr, the processes it had started, or that work inside the
    course, still alive ten seconds later)."""
    process = start(course, readme_command=readme_command)
    _wait_for_journal(process, course, lines, timeout)
    descendants = psutil.Process(process.pid).children(recursive=True)
    os.kill(process.pid, signum)
    stdout, stderr = process.communicate(timeout=120)
    _, alive = psutil.wait_procs(descendants, timeout=10)
    left = [p for p in set(alive) | set(_running_in(course)) if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    for leftover in left:
        leftover.kill()
    return process.returncode, stdout, stderr, left


def run_losing_a_worker(course, lines, timeout=900):
    """Run grade-class to the end, killing one of its worker processes (as the system would
    for lack of memory) once the journal has ``lines`` lines. Returns (exit code, stdout,
    stderr, the pid of the worker killed)."""
    process = start(course)
    _wait_for_journal(process, course, lines, timeout)
    worker = next(p for p in psutil.Process(process.pid).children() if "spawn_main" in " ".join(p.cmdline()))
    worker.kill()
    stdout, stderr = process.communicate(timeout=timeout)
    return process.returncode, stdout, stderr, worker.pid


SIGINT, SIGKILL = signal.SIGINT, signal.SIGKILL

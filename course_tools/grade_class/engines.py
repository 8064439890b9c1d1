"""Where the gradings run: a pool of local worker processes, or the workers of a Dask cluster.

Both take the same job, ``grader.grade_submission(course_root, assignment, student, db_url)``,
and yield one result dict per student as they finish, in any order. A worker lost in the
middle of a grading (killed, out of memory) costs that grading one retry, never the batch.
"""
import ctypes
import os
import signal
import sys
import uuid
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context

from course_tools.grade_class.grader import grade_submission

RETRIES_AFTER_LOST_WORKER = 1
PR_SET_PDEATHSIG = 1


def _lost(student, error):
    return {"student": student, "status": "failed", "seconds": 0.0,
            "reason": f"the grading could not run, twice ({type(error).__name__}: {error})"}


def _start_local_worker(log_path, coordinator):
    """In each local worker: leave Ctrl-C to the coordinator (a process group of its own, so
    the terminal's signal reaches neither it nor what it starts), end with the coordinator
    even when it is killed, and send what kernels and nbgrader print to the run's log."""
    os.setpgrp()
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != coordinator:  # it died before the line above
            os._exit(1)
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)


class LocalEngine:
    """``workers`` processes on this machine (spawned fresh: no state shared with the caller)."""

    def __init__(self, workers, log_path):
        self.workers, self.log_path = workers, str(log_path)
        self.description = f"{workers} local worker process{'es' if workers != 1 else ''}"
        self._pool = None

    def _new_pool(self):
        return ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"),
                                   initializer=_start_local_worker, initargs=(self.log_path, os.getpid()))

    def run(self, course_root, assignment, students, db_url):
        pending = list(reversed(students))  # popped from the end: graded in the given order
        attempts = dict.fromkeys(students, 0)
        running = {}
        self._pool = self._new_pool()
        try:
            while pending or running:
                while pending and len(running) < 2 * self.workers:  # a small queue keeps workers busy
                    student = pending.pop()
                    attempts[student] += 1
                    future = self._pool.submit(grade_submission, course_root, assignment, student, db_url)
                    running[future] = student
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                broken = False
                for future in done:
                    student = running.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool as error:
                        broken = True
                        if attempts[student] > RETRIES_AFTER_LOST_WORKER:
                            yield _lost(student, error)
                        else:
                            pending.append(student)
                if broken:  # every grading still in flight went down with the pool: redo them
                    pending.extend(running.values())
                    running.clear()
                    self._pool.shutdown(wait=False, cancel_futures=True)
                    self._pool = self._new_pool()
        finally:
            self.close()

    def close(self):
        if self._pool is not None:
            for process in list(getattr(self._pool, "_processes", {}).values()):
                process.terminate()  # on Ctrl-C: stop at once; the journal says what is left
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskEngine:
    """The workers of the Dask distributed scheduler at ``address`` (e.g. tcp://10.0.0.5:8786).

    They must see the course directory at the same path (a shared file system), reach the
    gradebook (PostgreSQL when they are on several machines), and run in this kit's
    environment with the kit importable. Start each with one thread per process, since
    nbgrader grades one notebook at a time per process:
    ``PYTHONPATH=/path/to/kit dask worker ADDRESS --nthreads 1 --nworkers N``.
    """

    def __init__(self, address):
        from distributed import Client

        self.client = Client(address, set_as_default=False)
        self.description = f"Dask cluster at {address} ({len(self.client.nthreads())} workers)"

    def run(self, course_root, assignment, students, db_url):
        from distributed import as_completed

        run = uuid.uuid4().hex[:8]
        futures = {self.client.submit(grade_submission, course_root, assignment, student, db_url,
                                      key=f"grade-{assignment}-{student}-{run}", pure=False,
                                      retries=RETRIES_AFTER_LOST_WORKER): student
                   for student in students}
        try:
            for future in as_completed(futures, loop=self.client.loop):
                student = futures[future]
                try:
                    yield future.result()
                except Exception as error:  # a worker lost twice, or the job itself broke
                    yield _lost(student, error)
        finally:
            self.client.cancel(list(futures))

    def close(self):
        self.client.close()

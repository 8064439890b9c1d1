"""Where the gradings run: a pool of local worker processes, or the workers of a Dask cluster.

Both take the same job, ``grader.grade_submission(course_root, assignment, student, db_url)``,
and yield one result dict per student as they finish, in any order. A worker lost in the
middle of a grading (killed, out of memory), or any other failure of the grader's own, costs that
grading another try (up to GRADER_TRIES in all), never the batch; a failure the submission
causes is reported at once.
"""
import contextlib
import os
import uuid
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context

from course_tools.grade_class.grader import grade_submission
from course_tools.sandboxed.zygote import die_with_parent

GRADER_TRIES = 3  # how often, in all, a grading that fails for the grader's own reasons is tried


def _lost(student, error):
    """The result of a grading whose process was lost (killed, out of memory) or that raised
    instead of returning a result."""
    return {"student": student, "status": "failed", "fault": "grader", "seconds": 0.0, "grader": None,
            "reason": f"the grading process was lost or broke ({type(error).__name__}: {error})"}


class _Tries:
    """How often each student's grading was started, and whether a finished one goes again:
    a failure of the grader's own (faults.py) is tried up to GRADER_TRIES times; a failure the
    submission causes is not tried again, since it would fail the same way."""

    def __init__(self):
        self.count = Counter()

    def start(self, student):
        self.count[student] += 1

    def again(self, result):
        return (result["status"] == "failed" and result["fault"] == "grader"
                and self.count[result["student"]] < GRADER_TRIES)

    def final(self, result):
        return {**result, "tries": self.count[result["student"]]}


def _start_local_worker(log_path, coordinator):
    """In each local worker: leave Ctrl-C to the coordinator (a process group of its own, so
    the terminal's signal reaches neither it nor what it starts), end with the coordinator
    even when it is killed, and send what kernels and nbgrader print to the run's log."""
    os.setpgrp()
    die_with_parent(coordinator)
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)


class _RecordingContext:
    """A multiprocessing context (the pool's ``mp_context``) that notes each process it makes,
    so that the engine can stop its workers at once without reading the pool's internals."""

    def __init__(self, context):
        self._context, self.started = context, []

    def Process(self, *args, **kwargs):  # noqa: N802 (the name a context has)
        process = self._context.Process(*args, **kwargs)
        self.started.append(process)
        return process

    def __getattr__(self, name):
        return getattr(self._context, name)


class LocalEngine:
    """``workers`` processes on this machine (spawned fresh: no state shared with the caller)."""

    def __init__(self, workers, log_path):
        self.workers, self.log_path = workers, str(log_path)
        self.description = f"{workers} local worker process{'es' if workers != 1 else ''}"
        self._pool = self._context = None

    def _new_pool(self):
        self._context = _RecordingContext(get_context("spawn"))
        return ProcessPoolExecutor(self.workers, mp_context=self._context,
                                   initializer=_start_local_worker, initargs=(self.log_path, os.getpid()))

    def run(self, course_root, assignment, students, db_url):
        pending = deque(students)
        tries, running = _Tries(), {}
        self._pool = self._new_pool()
        try:
            while pending or running:
                while pending and len(running) < 2 * self.workers:  # a small queue keeps workers busy
                    student = pending.popleft()
                    tries.start(student)
                    running[self._pool.submit(grade_submission, course_root, assignment, student, db_url)] = student
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                broken = False
                for future in done:
                    student = running.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool as error:
                        broken, result = True, _lost(student, error)
                    if tries.again(result):
                        pending.append(student)
                    else:
                        yield tries.final(result)
                if broken:  # every grading still in flight went down with the pool: redo them
                    pending.extendleft(running.values())
                    running.clear()
                    self._pool.shutdown(wait=False, cancel_futures=True)
                    self._pool = self._new_pool()
        finally:
            self.close()

    def close(self):
        if self._pool is not None:
            for process in self._context.started:  # on Ctrl-C: stop at once; the journal says what is left
                with contextlib.suppress(ValueError):  # ValueError: a process the pool has closed
                    if process.pid is not None and process.exitcode is None:
                        process.terminate()
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

        run, tries, futures = uuid.uuid4().hex[:8], _Tries(), {}

        def submit(student):
            tries.start(student)
            future = self.client.submit(grade_submission, course_root, assignment, student, db_url,
                                        key=f"grade-{assignment}-{student}-{run}-{tries.count[student]}", pure=False,
                                        retries=GRADER_TRIES - 1)  # a task that raised, KilledWorker included
            futures[future] = student
            return future

        completed = as_completed([submit(student) for student in students], loop=self.client.loop)
        try:
            for future in completed:
                student = futures.pop(future)
                try:
                    result = future.result()
                except Exception as error:  # raised on every try Dask gave it (a worker lost, ...)
                    yield _lost(student, error) | {"tries": tries.count[student] + GRADER_TRIES - 1}
                    continue
                if tries.again(result):
                    completed.add(submit(student))
                else:
                    yield tries.final(result)
        finally:
            self.client.cancel(list(futures))

    def close(self):
        self.client.close()

"""The grader's side of a worker process: start it, load a learner's code, call functions with
a deadline, answer the stand-in requests, and start afresh after a hang or a crash."""
import contextlib
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import psutil

from course_tools import sandboxed
from course_tools.grading.faults import GraderTrouble
from course_tools.sandboxed.codec import MAX_MESSAGE_BYTES, decode, dumps, encode, loads

SANDBOXED_PACKAGE = Path(sandboxed.__file__).parent


def launch_with_popen(sandbox, env):
    """``python -m sandboxed.judge_worker WORKDIR`` in ``sandbox``, with pipes on its standard input
    and output."""
    command = sandbox.command([sys.executable, "-m", "sandboxed.judge_worker", sandbox.workdir], env=env)
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            start_new_session=True, **sandbox.popen_options(env))  # a signal to its group spares ours


def _error_fields(error):
    """An error reply's fields, checked: what the judge reads of them."""
    fields = {"type": str(error["type"]), "message": str(error["message"]),
              "check_failure": error.get("check_failure", False)}
    if not isinstance(fields["check_failure"], bool):
        raise TypeError("check_failure is not a boolean")
    return fields


class JudgeWorkerLost(Exception):
    """The worker hung past its deadline, or its process ended; the message says which."""


class JudgeWorker:
    """One worker process holding one learner's code.

    Parameters
    ----------
    sandbox : Sandbox
        Where the worker runs (``sandbox.py``): a copy of the submission, with the release's
        helpers, which the worker imports; made with ``tools=[SANDBOXED_PACKAGE]``.
    setup_source, cells : str, list of str
        The notebook's setup cell and the learner's code cells, in notebook order.
    cell_seconds, call_seconds : float
        Time limit for each learner cell at load, and for each function call.
    failure : type
        The assignment's CheckFailure: what a stand-in raises to fail a check.
    """

    # How a worker process is started: a new interpreter here; grade-class forks it instead
    # (course_tools/grade_class/zygote.py), with the same result.
    launch = staticmethod(launch_with_popen)

    def __init__(self, sandbox, setup_source, cells, cell_seconds=10.0, call_seconds=10.0, failure=None):
        self.sandbox, self.setup_source, self.cells = sandbox, setup_source, cells
        self.cell_seconds, self.call_seconds = cell_seconds, call_seconds
        self.failure = failure
        self.process = None
        self.load_errors = []
        self.skipped = {}  # cell index -> why it is no longer run (it hung or killed the worker)

    def start(self):
        """Start a worker and load the learner's cells. A cell that hangs past its limit or ends
        the process is remembered and left out of every later start."""
        while True:
            self._spawn()
            try:
                self._load()
                return
            except JudgeWorkerLost as lost:
                if self._loading_cell is None:  # no learner code had run: the grader's trouble
                    raise GraderTrouble(f"the judge's worker {lost} before any learner code ran") from None
                self.skipped[self._loading_cell] = str(lost)

    def _spawn(self):
        env = dict(self.sandbox.tool_environment(), OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        self.process = self.launch(self.sandbox, env)
        self._buffer = bytearray()
        self._loading_cell = None  # the learner cell the worker said it is running

    def _load(self):
        self._send({"op": "load", "setup": self.setup_source, "cells": self.cells, "skip": sorted(self.skipped),
                    "cell_seconds": self.cell_seconds})
        # a cell gets its own limit plus a margin; the worker's own alarm normally stops it first
        deadline = time.monotonic() + 30.0
        while True:
            message = self._receive(deadline)
            if message["op"] == "loaded":
                skipped = [{"cell": i, "type": "Skipped", "message": why} for i, why in sorted(self.skipped.items())]
                self.load_errors = skipped + self._load_error_list(message.get("errors"))
                return
            if message["op"] != "loading" or type(message.get("cell")) is not int:
                self._unreadable()
            self._loading_cell = message["cell"]
            deadline = time.monotonic() + self.cell_seconds + 5.0

    def _load_error_list(self, errors):
        try:
            return [{"cell": error["cell"], **_error_fields(error)} for error in errors]
        except (KeyError, TypeError, ValueError, RecursionError):
            self._unreadable()

    def stop(self):
        """Kill the worker and every process of its sandbox. As root the sandbox is two bwraps
        with setpriv between them, and the change of credentials drops the parent-death signal,
        so the inner bwrap and the learner's code would outlive the outer one: they are found
        before any is killed, and killed too."""
        if self.process is not None:
            try:
                inside = psutil.Process(self.process.pid).children(recursive=True)
            except psutil.Error:  # already gone
                inside = []
            self.process.kill()
            for process in inside:
                with contextlib.suppress(psutil.Error):
                    process.kill()
            self.process.wait()
            psutil.wait_procs(inside, timeout=5)
            self.process = None

    def call(self, function, args, names, label, cell=None, stand_in=None, in_place=(), stand_in_changes=False):
        """Call the learner's ``function`` on ``args`` and return ``("result", value, args_after)``
        or ``("error", {type, message, check_failure}, None)``; ``names`` are the argument names
        and ``label`` describes the inputs, for messages. ``args_after`` are the arguments as the
        call left them when some (those named in ``in_place``) are meant to change, else None.
        Calls of ``cell`` made meanwhile are answered by ``stand_in``, and when
        ``stand_in_changes`` the arguments it changed in place are sent back too. Raises
        JudgeWorkerLost after a hang or crash (the worker is then stopped; the next call starts
        a fresh one)."""
        if self.process is None:
            self.start()
        self._send({"op": "call", "function": function, "args": [encode(a) for a in args], "names": list(names),
                    "label": label, "cell": cell, "in_place": list(in_place)})
        deadline = time.monotonic() + self.call_seconds
        while True:
            kind, value, args_after = self._read_reply(deadline, len(args) if in_place else None)
            if kind != "stand_in":
                return kind, value, args_after
            self._answer_stand_in(stand_in, value, stand_in_changes)

    def _read_reply(self, deadline, arg_count):
        """The next reply to a call, checked and decoded: ``("result", value, args_after)``,
        ``("error", fields, None)`` or ``("stand_in", args, None)``; ``arg_count`` is how many
        arguments a result must send back (None: none). Anything else ends the worker
        (JudgeWorkerLost)."""
        message = self._receive(deadline)
        try:
            if message["op"] == "result":
                if arg_count is None:
                    return "result", decode(message["result"]), None
                args_after = [decode(a) for a in message["args"]]
                if len(args_after) == arg_count:
                    return "result", decode(message["result"]), args_after
            elif message["op"] == "error":
                return "error", _error_fields(message["error"]), None
            elif message["op"] == "stand_in":
                return "stand_in", [decode(a) for a in message["args"]], None
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError):
            pass
        self._unreadable()

    def _answer_stand_in(self, stand_in, args, changes_args):
        try:
            answer = {"result": encode(stand_in(*args))}
            if changes_args:
                answer["args"] = [encode(arg) for arg in args]
            self._send(answer)
        except Exception as error:  # a failed check, or what the stand-in cannot take
            if self.failure is not None and isinstance(error, self.failure):
                self._send({"failure": str(error)})
                return
            self._send({"failure": f"the call of the cell function could not be answered: {error!r}"})

    def _send(self, message):
        try:
            self.process.stdin.write(dumps(message))
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            self._lost()

    def _receive(self, deadline):
        """The next message (one line of JSON), checked to be a dict with an "op"."""
        stream = self.process.stdout
        end = self._buffer.find(b"\n")
        while end < 0:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.stop()
                raise JudgeWorkerLost(f"did not finish within {self.call_seconds:g} s (an endless loop?)")
            ready, _, _ = select.select([stream], [], [], remaining)
            if ready:
                chunk = os.read(stream.fileno(), 1 << 20)
                if not chunk:
                    self._lost()
                newline = chunk.find(b"\n")
                if newline >= 0:
                    end = len(self._buffer) + newline
                self._buffer += chunk
                if end < 0 and len(self._buffer) > MAX_MESSAGE_BYTES:
                    self.stop()
                    raise JudgeWorkerLost("returned far more data than the exercise asks for")
        line, self._buffer = bytes(self._buffer[:end]), self._buffer[end + 1:]
        try:
            message = loads(line)
        except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past any sense
            message = None
        if not isinstance(message, dict) or not isinstance(message.get("op"), str):
            self._unreadable()
        return message

    def _unreadable(self):
        self.stop()
        raise JudgeWorkerLost("sent the grader a reply it could not read")

    def _lost(self):
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        self.stop()
        if code is None:
            raise JudgeWorkerLost("stopped talking to the grader")
        raise JudgeWorkerLost(f"ended the Python process running it (exit code {code})")

"""The worker process that runs a learner's code: ``python -m sandboxed.judge_worker DIR``.

It runs in the grading sandbox (``course_tools/grading/sandbox.py``), where DIR is the copy of
the submission, holding the release's helpers (``rnn_utils``, ``public_tests``), which are
imported from there. The worker talks to the grader over its standard input
and output, one JSON message per line; everything the learner's code prints goes nowhere.

Requests:
- ``{"op": "load", "setup": SRC, "cells": [SRC, ...], "skip": [INDEX, ...], "cell_seconds": S}``:
  run the setup cell, then each learner cell not skipped (each limited to S seconds), telling
  the grader which cell it starts (``{"op": "loading", "cell": INDEX}``); reply with the errors.
- ``{"op": "call", "function": NAME, "args": [...], "names": [...], "label": TEXT, "cell": NAME
  or null, "in_place": [NAME, ...]}``: call the learner's function through the checks' own
  ``call`` (same messages as in the notebook); while it runs, the global ``cell`` it calls is a
  proxy that asks the grader (``{"op": "stand_in", "args": [...]}``) for the course's values,
  and writes back into its arguments what the grader's stand-in changed in place (the
  answer's "args", when there is one). Reply with the result, and the arguments as the call
  left them when some are meant to change in place ("in_place"), or with the error.
"""
import os
import signal
import sys

import numpy as np

from .codec import decode, dumps, encode, loads


class CellTimeout(BaseException):
    """Raised in the worker when one learner cell runs past its time limit."""


class _Channel:
    def __init__(self):
        # keep private copies of stdin/stdout for the protocol, then point the standard
        # streams at /dev/null so the learner's prints cannot garble it
        self.incoming = os.fdopen(os.dup(0), "rb")
        self.outgoing = os.fdopen(os.dup(1), "wb")
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        sys.stdout = sys.stderr = open(os.devnull, "w")

    def send(self, message):
        self.outgoing.write(dumps(message))
        self.outgoing.flush()

    def receive(self):
        line = self.incoming.readline()
        if not line:
            raise SystemExit(0)
        return loads(line)


def _describe(error):
    return {"type": type(error).__name__, "message": str(error),
            "check_failure": type(error).__name__ == "CheckFailure"}


class _NoMagic:
    """What ``get_ipython()`` returns here: IPython magics and shell escapes do nothing."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def _run_cell(source, index, namespace, seconds):
    import linecache

    from IPython.core.inputtransformer2 import TransformerManager

    code = TransformerManager().transform_cell(source)
    # known to linecache, as in a kernel, so that a crash message can quote the learner's line
    filename = f"<learner cell {index}>"
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        exec(compile(code, filename, "exec"), namespace)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _load(channel, request, namespace):
    namespace["get_ipython"] = _NoMagic
    exec(compile(request["setup"], "<setup cell>", "exec"), namespace)
    errors = []
    for index, source in enumerate(request["cells"]):
        if index in request["skip"]:
            continue
        channel.send({"op": "loading", "cell": index})
        try:
            _run_cell(source, index, namespace, request["cell_seconds"])
        except CellTimeout:
            errors.append({"cell": index, "type": "CellTimeout", "check_failure": False,
                           "message": f"did not finish within {request['cell_seconds']} s"})
        except BaseException as error:  # a learner cell may raise anything, SystemExit included
            errors.append({"cell": index, **_describe(error)})
    channel.send({"op": "loaded", "errors": errors})


def _proxy(channel, cell_name):
    """A function that forwards each call of the cell function to the grader's stand-in."""
    from public_tests.compare import CheckFailure

    def stand_in(*args):
        channel.send({"op": "stand_in", "args": [encode(arg) for arg in args]})
        reply = channel.receive()
        if "failure" in reply:
            raise CheckFailure(reply["failure"])
        for arg, changed in zip(args, reply.get("args", [])):
            _write_back(arg, decode(changed))
        return decode(reply["result"])

    stand_in.__name__ = cell_name
    return stand_in


def _write_back(arg, changed):
    """Make ``arg`` (an array, or a dict of them) hold ``changed``, as a stand-in running here
    would have left it."""
    if isinstance(arg, np.ndarray) and isinstance(changed, np.ndarray) and arg.shape == changed.shape:
        arg[...] = changed
    elif isinstance(arg, dict) and isinstance(changed, dict):
        for key, value in changed.items():
            if isinstance(arg.get(key), np.ndarray) and isinstance(value, np.ndarray) and arg[key].shape == value.shape:
                arg[key][...] = value
            else:
                arg[key] = value


class _Inputs:
    """What the checks' call() needs to name the inputs in its messages."""

    def __init__(self, label):
        self.label = label

    def describe(self):
        return self.label


def _call(channel, request, namespace):
    from public_tests.running import call, standing_in

    function = namespace.get(request["function"])
    if not callable(function):
        channel.send({"op": "error", "error": {"type": "Missing", "check_failure": True, "message":
                      f"there is no function named {request['function']} (was its cell run without errors?)"}})
        return
    cell = request.get("cell")
    try:
        args = [decode(arg) for arg in request["args"]]
        with standing_in(function, cell, _proxy(channel, cell) if cell else None):
            result = call(request["function"], _Inputs(request["label"]), function, *args, names=request["names"],
                          in_place=tuple(request["in_place"]))
        reply = {"op": "result", "result": encode(result)}
        if request["in_place"]:
            reply["args"] = [encode(arg) for arg in args]
    except BaseException as error:  # SystemExit and KeyboardInterrupt from learner code too
        reply = {"op": "error", "error": _describe(error)}
    channel.send(reply)


def main(helpers_dir):
    def on_alarm(signum, frame):
        raise CellTimeout()

    signal.signal(signal.SIGALRM, on_alarm)
    sys.path.insert(0, helpers_dir)  # the learner's code imports the helpers from its copy
    channel = _Channel()
    namespace = {"__name__": "__main__"}
    while True:
        request = channel.receive()
        if request["op"] == "load":
            _load(channel, request, namespace)
        elif request["op"] == "call":
            _call(channel, request, namespace)


if __name__ == "__main__":
    main(sys.argv[1])

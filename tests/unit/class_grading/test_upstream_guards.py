"""Guards on grade-class's shortcuts inside other libraries (course_tools/grade_class/speedups.py
and zygote.py; docs/benchmarks.md, "Shortcuts inside other libraries").

Each shortcut was written for exact versions of the code it replaces or relies on. These tests
fail when that code changes (a digest of its source, recorded when the shortcut was written),
when the pins of requirements.txt move away from the versions a shortcut is guarded by, or when
a shortcut stops giving exactly the result of what it replaces. When one fails after an
upgrade: read the new upstream code, check or change the shortcut, then record the new digest
and versions (or remove the shortcut)."""
import contextlib
import hashlib
import importlib
import importlib.util
import inspect
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course_tools.assignment import ROOT
from course_tools.grade_class import speedups, zygote
from tests.support.markers import QUICK

KIT = ROOT


def _rfc3987_block(text):
    """jsonschema/_format.py's optional checks of URIs and IRIs, which import rfc3987_syntax."""
    start = text.index("try:\n    import rfc3987\n")
    return text[start:text.index("\nelse:\n", start)]


# shortcut -> {the code it replaces or relies on: the first 16 hex digits of the sha256 of its source}
UPSTREAM = {
    "skip_iri_grammar": {
        "jsonschema._format:rfc3987_syntax": "9261ca9314b4ef87",  # imported there when installed
    },
    "metadata_schema_checked_once": {
        "jsonschema.validators.validate": "5bfea7e5f0f3dae0",  # what the shortcut does, the schema checked once
        "nbgrader.nbgraderformat.common.BaseMetadataValidator.validate_cell": "e5f97f45a9aba510",  # its one caller
    },
    "gradebook_engines_reused": {
        "nbgrader.api.Gradebook.__init__": "c60c420276e8355e",  # an engine and create_all per gradebook
        "nbgrader.api.Gradebook.close": "089cf56cf4f8a224",  # the engine's pool disposed of after each use
        "sqlalchemy.sql.schema.MetaData.create_all": "042f09d06a567987",  # run once per engine instead
    },
    "forked_kernels": {
        # the manager keeps a provisioner it was given before the start, and starts through it
        "jupyter_client.manager.KernelManager._async_pre_start_kernel": "0ad304c9143e3bfd",
        "jupyter_client.manager.KernelManager._async_start_kernel": "05b13d23766bc55e",
        # what a fork does in place of the launch, and of the command it would launch
        "jupyter_client.provisioning.local_provisioner.LocalProvisioner.launch_kernel": "5a5d3e639018fd53",
        "jupyter_client.launcher.launch_kernel": "a85dc0ca3db54d4b",
        "ipykernel_launcher": "f9eeb75198c37983",
    },
}
BLOCKS = {"rfc3987_syntax": _rfc3987_block}


def upstream_source(name):
    """The source of a module, class or function given by its dotted name, or of a block of a
    module (``module:block``)."""
    if ":" in name:
        module, block = name.split(":")
        return BLOCKS[block](Path(importlib.util.find_spec(module).origin).read_text())
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        if _module_spec(".".join(parts[:cut])) is None:
            continue
        if cut == len(parts):  # a module: read, not imported (ipykernel_launcher starts a kernel)
            return Path(_module_spec(name).origin).read_text()
        found = importlib.import_module(".".join(parts[:cut]))
        for part in parts[cut:]:
            found = getattr(found, part)
        return inspect.getsource(found)
    raise LookupError(name)


def _module_spec(name):
    try:
        return importlib.util.find_spec(name)
    except ModuleNotFoundError:  # a name inside a module that is not a package
        return None


def pinned_versions():
    pins = {}
    for line in (KIT / "requirements.txt").read_text().splitlines():
        match = re.match(r"([A-Za-z0-9_.\-]+)==([^\s;#]+)", line)
        if match:
            pins[_normal(match.group(1))] = match.group(2)
    return pins


def _normal(distribution):
    return re.sub(r"[-_.]+", "-", distribution).lower()


@contextlib.contextmanager
def shortcut_taken(name):
    """The shortcut ``name`` taken in this process, and undone afterwards."""
    from nbgrader import api
    from nbgrader.nbgraderformat import common

    metadata = api.Base.metadata
    saved = common.jsonschema, api.create_engine, vars(metadata).get("create_all")
    assert speedups.take([name]) == [name]
    try:
        yield
    finally:
        common.jsonschema, api.create_engine = saved[:2]
        if saved[2] is None:
            vars(metadata).pop("create_all", None)
        else:
            metadata.create_all = saved[2]


def run_python(code, *args):
    completed = subprocess.run([sys.executable, "-c", code, *args], cwd=KIT, capture_output=True, text=True,
                               timeout=120)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


# -- the code each shortcut replaces, and the versions it is taken with --------------------------

@QUICK
@pytest.mark.parametrize("shortcut,name", [(s, n) for s, names in UPSTREAM.items() for n in names])
def test_the_code_a_shortcut_replaces_is_the_code_it_was_written_for(shortcut, name):
    digest = hashlib.sha256(upstream_source(name).encode()).hexdigest()[:16]
    assert digest == UPSTREAM[shortcut][name], (
        f"{name} changed: check the shortcut {shortcut} against it, then record the new digest {digest}")


@QUICK
def test_each_shortcut_is_guarded_by_the_pinned_versions_and_they_are_installed():
    pins = pinned_versions()
    assert set(speedups.WRITTEN_FOR) == set(UPSTREAM)
    for shortcut, versions in speedups.WRITTEN_FOR.items():
        for distribution, version in versions.items():
            assert pins[_normal(distribution)] == version, (shortcut, distribution)
        assert speedups.version_mismatch(versions) is None, shortcut  # so the suite tests them taken


@QUICK
def test_a_shortcut_is_not_taken_with_other_versions(monkeypatch):
    from nbgrader.nbgraderformat import common

    monkeypatch.setitem(speedups.WRITTEN_FOR, "metadata_schema_checked_once", {"nbgrader": "0.0.1"})
    said = io.StringIO()
    assert speedups.take(["metadata_schema_checked_once"], stream=said) == []
    assert common.jsonschema is jsonschema
    assert said.getvalue().count("\n") == 1
    assert said.getvalue().startswith("grade-class: shortcut metadata_schema_checked_once not taken: nbgrader ")


@QUICK
def test_kernels_are_launched_not_forked_with_other_versions(monkeypatch):
    from traitlets.config import Config

    monkeypatch.setitem(speedups.WRITTEN_FOR, "forked_kernels", {"jupyter_client": "0.0.1"})
    monkeypatch.setattr(zygote, "become_subreaper", lambda: True)
    monkeypatch.setattr(zygote.Zygote, "confinement", None)
    config, said = Config(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", said)
    zygote.use_forked_processes(config, judge_workers=False)
    assert "kernel_manager" not in config.HaltingExecute
    assert said.getvalue().startswith("grade-class: shortcut forked_kernels not taken: jupyter_client ")


# -- nothing is changed unless grade-class opts in -------------------------------------------

@QUICK
def test_importing_the_kit_changes_no_other_library():
    found = json.loads(run_python(
        "import importlib, json, pkgutil, sys\n"
        "import course_tools.grade_class\n"
        "for module in pkgutil.iter_modules(course_tools.grade_class.__path__):\n"
        "    importlib.import_module(f'course_tools.grade_class.{module.name}')\n"
        "import course_tools.scores, course_tools.grading.nbgrader_plugins  # what nbgrader autograde imports\n"
        "import jsonschema, nbgrader.api, sqlalchemy\n"
        "from nbgrader.nbgraderformat import common\n"
        "from course_tools.grading import judge_worker\n"
        "print(json.dumps({'iri_checked': 'iri' in jsonschema.FormatChecker.checkers,\n"
        "                  'nbgrader_jsonschema': common.jsonschema is jsonschema,\n"
        "                  'create_engine': nbgrader.api.create_engine is sqlalchemy.create_engine,\n"
        "                  'create_all': 'create_all' not in vars(nbgrader.api.Base.metadata),\n"
        "                  'launch': judge_worker.JudgeWorker.launch is judge_worker.launch_with_popen}))\n"))
    assert found == {"iri_checked": True, "nbgrader_jsonschema": True, "create_engine": True, "create_all": True,
                     "launch": True}


@QUICK
def test_the_grade_class_command_takes_skip_iri_grammar_before_jsonschema_is_imported():
    found = json.loads(run_python(
        "import json, runpy, sys\n"
        "sys.argv = ['grade-class', '--help']\n"
        "try:\n"
        "    runpy.run_module('course_tools.grade_class', run_name='__main__', alter_sys=True)\n"
        "except SystemExit:\n"
        "    pass\n"
        "import jsonschema\n"
        "print(json.dumps({'iri_checked': 'iri' in jsonschema.FormatChecker.checkers,\n"
        "                  'grammar_imported': sys.modules.get('rfc3987_syntax') is not None}))\n"
    ).splitlines()[-1])
    assert found == {"iri_checked": False, "grammar_imported": False}


# -- each shortcut gives exactly the result of what it replaces ----------------------------------

def _format_names(schema):
    """Every "format" a JSON schema names, however deep."""
    if isinstance(schema, dict):
        return {v for k, v in schema.items() if k == "format" and isinstance(v, str)} | {
            name for value in schema.values() for name in _format_names(value)}
    if isinstance(schema, list):
        return {name for value in schema for name in _format_names(value)}
    return set()


@QUICK
def test_no_schema_grading_checks_against_names_the_formats_skip_iri_grammar_leaves_unchecked():
    folders = [Path(nbformat.__file__).parent / "v4",
               Path(importlib.util.find_spec("nbgrader.nbgraderformat").origin).parent]
    schemas = [path for folder in folders for path in folder.glob("*.json")]
    assert len(schemas) >= 8  # nbformat's v4 schemas and nbgrader's cell-metadata ones
    for path in schemas:
        assert not _format_names(json.loads(path.read_text())) & {"iri", "iri-reference"}, path


BROKEN_NOTEBOOK = {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                   "cells": [{"cell_type": "code", "id": "a", "metadata": {}, "outputs": [], "source": "1"}]}
VALIDATE = (
    "import json, sys, nbformat\n"
    "verdicts = []\n"
    "for nb in (nbformat.read(sys.argv[1], as_version=4), json.loads(sys.argv[2])):\n"
    "    try:\n"
    "        nbformat.validate(nb)\n"
    "        verdicts.append(None)\n"
    "    except nbformat.ValidationError as error:\n"
    "        verdicts.append(str(error))\n"
    "import jsonschema\n"
    "print(json.dumps([verdicts, 'iri' in jsonschema.FormatChecker.checkers]))\n")


@QUICK
def test_skip_iri_grammar_leaves_notebook_validation_as_it_is():
    release = next((KIT / "release").glob("*/*.ipynb"))
    args = [str(release), json.dumps(BROKEN_NOTEBOOK)]
    plain = subprocess.run([sys.executable, "-c", VALIDATE, *args], cwd=KIT, capture_output=True, text=True)
    skipping = subprocess.run([sys.executable, "-c", "from course_tools.grade_class import speedups\n"
                               "assert speedups.take(['skip_iri_grammar']) == ['skip_iri_grammar']\n" + VALIDATE,
                               *args], cwd=KIT, capture_output=True, text=True)
    (plain_verdicts, plain_iri), (skip_verdicts, skip_iri) = (json.loads(p.stdout) for p in (plain, skipping))
    assert (plain_iri, skip_iri) == (True, False)  # the shortcut was taken, and only there
    assert plain_verdicts == skip_verdicts
    assert plain_verdicts[0] is None and "execution_count" in plain_verdicts[1]


def _metadata_cell(**changes):
    nbgrader = {"schema_version": 3, "grade": True, "locked": True, "solution": False, "task": False,
                "grade_id": "rnn_forward_check", "points": 2, **changes}
    return new_code_cell("pass", metadata={"nbgrader": {k: v for k, v in nbgrader.items() if v is not None}})


BAD_METADATA = {
    "right": {},
    "a required key missing": {"locked": None},
    "points of the wrong type": {"points": "two"},
    "negative points": {"points": -1},
    "a grade_id with a space": {"grade_id": "rnn forward"},
    "an unknown cell type": {"cell_type": "python"},
    "a checksum too short": {"checksum": "abc"},
    "a key the schema does not know": {"weight": 1},
    "two faults at once": {"grade": "yes", "points": "two"},
}


def _verdict(validator, cell):
    try:
        validator.validate_cell(cell)
    except jsonschema.ValidationError as error:
        return (type(error), error.message, list(error.path), list(error.schema_path), error.validator)
    return None


@QUICK
def test_metadata_schema_checked_once_raises_the_same_errors():
    from nbgrader.nbgraderformat import MetadataValidator

    cells = {name: _metadata_cell(**changes) for name, changes in BAD_METADATA.items()}
    plain = {name: _verdict(MetadataValidator(), cell) for name, cell in cells.items()}
    with shortcut_taken("metadata_schema_checked_once"):
        shortcut = {name: _verdict(MetadataValidator(), cell) for name, cell in cells.items()}
        release = nbformat.read(str(next((KIT / "release").glob("*/*.ipynb"))), as_version=4)
        MetadataValidator().validate_nb(release)  # a real notebook passes
    assert shortcut == plain
    assert plain["right"] is None
    assert all(plain[name] is not None for name in BAD_METADATA if name != "right")


def _fill_gradebook(url):
    """What grading does to a gradebook, through nbgrader's API, opened anew for each step as
    nbgrader opens it: an assignment, learners, submissions graded, one removed."""
    from nbgrader.api import Gradebook

    with Gradebook(url) as gradebook:
        gradebook.add_assignment("rnn", duedate="2026-01-01 00:00:00")
        gradebook.add_notebook("rnn", "rnn")
        for name, points in (("rnn_forward", 2.0), ("lstm_forward", 3.0)):
            gradebook.add_grade_cell(name, "rnn", "rnn", max_score=points, cell_type="code")
            gradebook.add_solution_cell(f"{name}_solution", "rnn", "rnn")
    for student in ("ada", "ben", "cy"):
        with Gradebook(url) as gradebook:
            gradebook.add_student(student, first_name=student.title())
        with Gradebook(url) as gradebook:
            gradebook.add_submission("rnn", student, timestamp="2026-01-02 00:00:00")
        with Gradebook(url) as gradebook:
            grade = gradebook.find_grade("rnn_forward", "rnn", "rnn", student)
            grade.auto_score = 2.0 if student != "ben" else 0.0
            gradebook.db.commit()
    with Gradebook(url) as gradebook:
        gradebook.remove_submission("rnn", "cy")
    with Gradebook(url) as gradebook:
        return {s.student.id: s.score for s in gradebook.find_assignment("rnn").submissions}


@QUICK
@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")  # nbgrader's add_submission, either way
def test_gradebook_engines_reused_writes_the_same_rows(tmp_path, monkeypatch):
    import sqlite3
    import uuid

    from nbgrader import api

    def fill(path):
        ids = iter(range(1, 10_000))
        monkeypatch.setattr(api, "uuid4", lambda: uuid.UUID(int=next(ids)))  # the same row ids each time
        scores = _fill_gradebook(f"sqlite:///{path}")
        with contextlib.closing(sqlite3.connect(path)) as db:
            return scores, list(db.iterdump())

    plain = fill(tmp_path / "plain.db")
    with shortcut_taken("gradebook_engines_reused"):
        reused = fill(tmp_path / "reused.db")
        url = f"sqlite:///{tmp_path / 'reused.db'}"
        assert api.create_engine(url, echo=False, future=True) is api.create_engine(url, echo=False, future=True)
    assert api.create_engine is sys.modules["sqlalchemy"].create_engine  # undone
    assert reused == plain
    assert plain[0] == {"ada": 2.0, "ben": 0.0}


# -- forked kernels: the provisioner the kit gives is the one jupyter_client starts with ---------

@QUICK
@pytest.mark.skipif(not zygote.become_subreaper(), reason="forked kernels need Linux's child subreaper")
def test_a_forked_kernel_manager_starts_its_kernel_through_the_zygote(tmp_path):
    from nbclient import NotebookClient

    manager = zygote.ForkedKernelManager(kernel_name="python3")
    probe = "import psutil\nprint('sandboxed.zygote' in ' '.join(psutil.Process().cmdline()))"
    nb = new_notebook(cells=[new_code_cell(probe)])
    NotebookClient(nb, km=manager, timeout=20, resources={"metadata": {"path": str(tmp_path)}},
                   shutdown_kernel="immediate").execute()
    assert nb.cells[0].outputs[0]["text"] == "True\n"
    assert type(manager.provisioner).__name__ == "ForkedKernelProvisioner"
    private = [name for cls in (zygote.ForkedKernelManager, zygote.ForkedKernelProvisioner)
               for name, value in vars(cls).items()
               if name.startswith("_") and not name.startswith("__") and inspect.isfunction(value)]
    assert private == []  # no private method of jupyter_client is overridden


# -- private names of the standard library ----------------------------------------------------

@QUICK
def test_the_zygotes_forks_run_their_exit_handlers_with_atexit_run_exitfuncs():
    """course_tools/sandboxed/zygote.py ends a forked kernel or worker with os._exit (it must
    not return into the zygote's loop), after ``atexit._run_exitfuncs()``: that private
    function must still run the handlers registered, once."""
    out = run_python(
        "import atexit, os, sys\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    atexit.register(print, 'handler ran', flush=True)\n"
        "    atexit._run_exitfuncs()\n"
        "    atexit._run_exitfuncs()\n"
        "    os._exit(0)\n"
        "os.waitpid(pid, 0)\n")
    assert out == "handler ran\n"


@QUICK
def test_the_local_engine_stops_its_workers_without_the_pools_internals(tmp_path):
    import time

    import psutil

    from course_tools.grade_class.engines import LocalEngine

    engine = LocalEngine(2, tmp_path / "workers.log")
    engine._pool = engine._new_pool()
    for _ in range(2):
        engine._pool.submit(time.sleep, 60)
    deadline = time.monotonic() + 60
    while len([p for p in engine._context.started if p.pid]) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = [psutil.Process(p.pid) for p in engine._context.started]
    started = time.monotonic()
    engine.close()
    assert time.monotonic() - started < 10  # not the minute of the sleeps
    assert not [p for p in workers if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]

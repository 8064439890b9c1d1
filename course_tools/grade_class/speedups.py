"""Shortcuts inside other libraries that grade-class takes in its own processes, and only there.

Nothing here runs when the module is imported. grade-class opts in where its processes start:
the ``grade-class`` command (``__main__.py``, before it imports nbgrader) and each grading
process (``grader._api_for``, local or on a Dask worker). Plain ``nbgrader autograde``, the
formgrader and everything else that imports the kit run the libraries as they are.

Each shortcut was written for exact versions of the libraries whose code it replaces or relies
on (``WRITTEN_FOR``, the pins of ``requirements.txt``). Where another version is installed it
is not taken: one line on standard error says so, and grading goes on at the libraries' own
pace. ``tests/unit/class_grading/test_upstream_guards.py`` holds a digest of the code each one replaces, and
fails when that code or the pins change; it also checks that each gives exactly the result of
what it replaces. ``benchmarks/speedups.py`` measures what each buys; docs/benchmarks.md
("Shortcuts inside other libraries") has the figures, and those of the one measured and
removed (a closer look, every 5 ms instead of 0.1 s, at whether a killed kernel has gone).

- ``skip_iri_grammar``: jsonschema, when the optional ``rfc3987_syntax`` is installed (it
  comes with ``jsonschema[format-nongpl]``, which jupyter-events asks for), has it compile an Earley grammar as it is
  imported, about 1.8 s of CPU in every process that imports nbgrader, to check the "iri"
  and "iri-reference" string formats, which neither the notebook schemas nor nbgrader's
  cell-metadata schemas use. Marking that module absent (``sys.modules[name] = None``, as
  the import system documents) makes jsonschema leave those two formats unchecked, as it
  does without the package. It must come before jsonschema is imported, so in a process that
  already has it, it does nothing.
- ``metadata_schema_checked_once``: nbgrader checks every cell's metadata with
  ``jsonschema.validate``, which first checks the schema itself against the meta-schema, on
  every call (0.06-0.085 s of CPU per notebook here). The schema never changes, so it is
  checked once and its validator kept: the same errors, raised the same way. It replaces the
  ``jsonschema`` that ``nbgrader.nbgraderformat.common`` sees with a view of the module whose
  ``validate`` is that.
- ``gradebook_engines_reused``: nbgrader opens the gradebook nine times per notebook, each
  time with a new SQLAlchemy engine (its dialect set up and every SQL statement compiled
  again) and a pass of ``create_all`` over every table (0.03-0.06 s of CPU per notebook
  here). Here ``nbgrader.api.create_engine`` keeps one engine per database URL (nbgrader
  still closes its connections after each use: ``Gradebook.close`` disposes of the engine's
  pool), and ``create_all`` of nbgrader's tables runs once per engine.

The fourth, in ``zygote.py``, is guarded the same way: ``forked_kernels``, kernels forked
from a zygote through a jupyter_client kernel provisioner (its public extension point),
written for the jupyter_client and ipykernel they are started like. Not a change to another
library but one of its options: ``Execute.shutdown_kernel = "immediate"`` (nbclient's own
setting) stops the kernel of a graded notebook at once when its cells have run, instead of
asking it to shut down and waiting: its outputs are all collected by then.
"""
import sys
from functools import lru_cache
from importlib import metadata

# The versions each shortcut was written for and checked against: the pins of requirements.txt.
WRITTEN_FOR = {
    "skip_iri_grammar": {"jsonschema": "4.26.0", "rfc3987-syntax": "1.1.0"},
    "metadata_schema_checked_once": {"nbgrader": "0.9.5", "jsonschema": "4.26.0"},
    "gradebook_engines_reused": {"nbgrader": "0.9.5", "sqlalchemy": "2.0.58"},
    "forked_kernels": {"jupyter_client": "8.10.0", "ipykernel": "7.4.0"},  # zygote.py
}


def installed_version(distribution):
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def version_mismatch(versions):
    """How the installed versions differ from ``versions`` ({distribution: version}), or None."""
    found = {name: installed_version(name) for name in versions}
    differ = [f"{name} {found[name] or 'not installed'} (written for {wanted})"
              for name, wanted in versions.items() if found[name] != wanted]
    return ", ".join(differ) or None


def guarded(name, stream=None):
    """True if the shortcut ``name`` may be taken: the installed versions are those it was
    written for. Else say so in one line on standard error, and return False."""
    mismatch = version_mismatch(WRITTEN_FOR[name])
    if mismatch:
        print(f"grade-class: shortcut {name} not taken: {mismatch}", file=stream or sys.stderr)
        return False
    return True


# -- the shortcuts -------------------------------------------------------------------------

def skip_iri_grammar():
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


@lru_cache(maxsize=None)
def _validator_for(schema_json):
    import json

    import jsonschema

    schema = json.loads(schema_json)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_with_checked_schema(instance, schema, *args, **kwargs):
    """``jsonschema.validate`` for nbgrader's fixed schemas: the same errors, raised the same way."""
    import json

    import jsonschema

    if args or kwargs:
        return jsonschema.validate(instance, schema, *args, **kwargs)
    error = jsonschema.exceptions.best_match(
        _validator_for(json.dumps(schema, sort_keys=True)).iter_errors(instance))
    if error is not None:
        raise error


class _JsonschemaForNbgrader:
    """What nbgrader's metadata validator sees as the ``jsonschema`` module."""

    def __init__(self, module):
        self._module = module

    def __getattr__(self, name):
        return validate_with_checked_schema if name == "validate" else getattr(self._module, name)


def check_metadata_schema_once():
    from nbgrader.nbgraderformat import common

    if not isinstance(common.jsonschema, _JsonschemaForNbgrader):
        common.jsonschema = _JsonschemaForNbgrader(common.jsonschema)


def reuse_gradebook_engines():
    from nbgrader import api

    if getattr(api.create_engine, "reuses_engines", False):
        return
    create_engine, create_all = api.create_engine, api.Base.metadata.create_all
    engines, created = {}, set()

    def create_engine_once(url, **kwargs):
        key = (str(url), tuple(sorted(kwargs.items())))
        if key not in engines:
            engines[key] = create_engine(url, **kwargs)
        return engines[key]

    def create_all_once(bind=None, **kwargs):
        if id(bind) not in created:  # the engines are kept, so their ids stay theirs
            create_all(bind=bind, **kwargs)
            created.add(id(bind))

    create_engine_once.reuses_engines = True
    api.create_engine = create_engine_once
    api.Base.metadata.create_all = create_all_once


SHORTCUTS = {"skip_iri_grammar": skip_iri_grammar, "metadata_schema_checked_once": check_metadata_schema_once,
             "gradebook_engines_reused": reuse_gradebook_engines}


def take(names, stream=None):
    """Take the shortcuts ``names`` in this process, each only with the versions it was
    written for; return the names of those taken."""
    taken = []
    for name in names:
        if guarded(name, stream):
            SHORTCUTS[name]()
            taken.append(name)
    return taken


def apply(config, stream=None):
    """In a grading process of grade-class, once ``skip_iri_grammar`` was taken (before nbgrader
    is imported): take the other shortcuts, and have kernels stopped at once (nbclient's option).
    Returns the names of the shortcuts taken."""
    taken = take(["metadata_schema_checked_once", "gradebook_engines_reused"], stream)
    config.Execute.shutdown_kernel = "immediate"
    return taken

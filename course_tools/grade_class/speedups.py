"""Shortcuts for a process that grades many notebooks; each gives exactly the result of what
it replaces, and applies to this process only (plain nbgrader is left as it is).

- jsonschema, when the optional ``rfc3987_syntax`` is installed, compiles 39 grammars as it is
  imported (about 5 s of CPU) to check the "iri" string format, which neither the notebook
  schema nor nbgrader's cell-metadata schema uses. Marking that module absent makes jsonschema
  leave the "iri" format unchecked, as it does without the package. Needs to run before
  jsonschema is imported: ``course_tools.grade_class`` does it when it is imported.
- nbgrader checks every cell's metadata with ``jsonschema.validate``, which first checks the
  schema itself against the meta-schema, on every call (a large part of autograde's own CPU).
  The schema never changes, so it is checked once and its validator kept.
- nbgrader opens the gradebook about ten times per notebook, each time with a new SQLAlchemy
  engine (so every SQL statement is compiled again) and a pass of ``create_all`` over every
  table. Here each database URL keeps one engine (nbgrader still closes its connections after
  each use), and ``create_all`` runs once per engine.
- The kernel of a graded notebook is stopped at once once its cells have run, instead of
  being asked to shut down and waited for: its outputs are all collected by then.
"""
import sys
from functools import lru_cache


def skip_iri_grammar():
    sys.modules.setdefault("rfc3987_syntax", None)


@lru_cache(maxsize=None)
def _validator_for(schema_json):
    import json

    import jsonschema

    schema = json.loads(schema_json)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_with_checked_schema(instance, schema, *args, **kwargs):
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
        return _validate_with_checked_schema if name == "validate" else getattr(self._module, name)


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
        if id(bind) not in created:
            create_all(bind=bind, **kwargs)
            created.add(id(bind))

    create_engine_once.reuses_engines = True
    api.create_engine = create_engine_once
    api.Base.metadata.create_all = create_all_once


def apply(config):
    """Apply the shortcuts to this process and to an nbgrader configuration."""
    skip_iri_grammar()
    check_metadata_schema_once()
    reuse_gradebook_engines()
    config.Execute.shutdown_kernel = "immediate"

"""Grade a whole class in parallel: ``python -m course_tools.grade_class ASSIGNMENT``.

Every submission is graded by nbgrader's own autograde converter (the course's
``nbgrader_config.py``, so the same hidden checks and rules as ``nbgrader autograde``), in
worker processes on this machine or on the workers of a Dask cluster, all writing into the
course's gradebook. A journal makes a run resumable.
"""
from course_tools.grade_class.speedups import skip_iri_grammar

skip_iri_grammar()  # before anything imports jsonschema (see speedups.py)

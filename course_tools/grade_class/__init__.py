"""Grade a whole class in parallel: ``python -m course_tools.grade_class ASSIGNMENT``.

Every submission is graded by nbgrader's own autograde converter (the course's
``nbgrader_config.py``, so the same hidden checks and rules as ``nbgrader autograde``), in
worker processes on this machine or on the workers of a Dask cluster, all writing into the
course's gradebook. A journal makes a run resumable.

Importing the package changes nothing in other libraries: grade-class's shortcuts inside them
(``speedups.py``, ``zygote.py``) are taken only where its own processes start.
"""

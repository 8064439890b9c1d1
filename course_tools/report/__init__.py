"""The instructor's report of an assignment: ``python -m course_tools.report ASSIGNMENT``."""

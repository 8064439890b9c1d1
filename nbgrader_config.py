"""nbgrader configuration for the RNN course kit; run nbgrader from this directory."""
import os

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "rnn-step-by-step"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))

# Files that never belong in a release nor in a grading copy.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", ".DS_Store"]

# The stub left in a solution cell of the release.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

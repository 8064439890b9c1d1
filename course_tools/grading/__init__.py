"""Grading that cannot be fooled: each exercise is run in a separate worker process and judged
in the grader's own process, on the visible and the hidden inputs."""

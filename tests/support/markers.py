"""xdist groups: tests that share an expensive fixture run on one worker, so that
``pytest -n 2 --dist loadgroup`` builds it once while the other worker runs the rest."""
import pytest

QUICK = pytest.mark.quick  # the daily subset, ``python3 course.py test -m quick``: no course, class, browser or hub

GRADED_COURSE = pytest.mark.xdist_group("graded-course")  # tests using the course_run fixture
BROWSER = pytest.mark.xdist_group("browser")  # tests using the Jupyter server and Chromium
CLASS_GRADING = pytest.mark.xdist_group("class-grading")  # tests grading whole classes with grade-class
DASK_CLUSTER = pytest.mark.xdist_group("dask-cluster")  # tests using the Dask cluster started on loopback
HUB = pytest.mark.xdist_group("jupyterhub")  # the deployment tests on a JupyterHub started on loopback
NEW_ASSIGNMENT = pytest.mark.xdist_group("new-assignment")  # the throwaway second assignment's scratch course
LM_CLASS = pytest.mark.xdist_group("lm-class")  # the language model's own course, graded by grade-class

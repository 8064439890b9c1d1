"""Fresh copies of the course directory: scratch courses for tests and benchmarks that must not
touch the kit's own, and the instructor's course on a JupyterHub server (deploy/setup_server.py)."""
import os
import shutil
from pathlib import Path

from course_tools.layout import ROOT

IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")


def copy_course(dest):
    """A fresh course directory at ``dest``: this kit's config, source and the instructor
    tools the config loads (no release, no gradebook, no submissions)."""
    dest = Path(dest)
    dest.mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", dest)
    for folder in ("source", "course_tools"):
        shutil.copytree(ROOT / folder, dest / folder, ignore=IGNORE)
    for link in ("rnn_utils", "public_tests"):
        (dest / link).symlink_to(os.readlink(ROOT / link))
    return dest

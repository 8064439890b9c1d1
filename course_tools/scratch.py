"""Fresh copies of the course directory: the main job's throwaway course (grade_samples.py),
scratch courses for tests and benchmarks that must not touch the kit's own, and the
instructor's course on a JupyterHub server (deploy/setup_server.py)."""
import shutil
from pathlib import Path

from course_tools.assignment import ROOT

IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")


def copy_course(dest, kit_root=ROOT):
    """A fresh course directory at ``dest``: the kit's config, source and the instructor tools
    the config loads (no release, no gradebook, no submissions); ``dest`` must not exist."""
    dest, kit_root = Path(dest), Path(kit_root)
    dest.mkdir(parents=True)
    shutil.copy(kit_root / "nbgrader_config.py", dest)
    for folder in ("source", "course_tools"):
        shutil.copytree(kit_root / folder, dest / folder, ignore=IGNORE)
    return dest

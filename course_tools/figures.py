"""Draw the assignments' figures: ``python -m course_tools.figures [ASSIGNMENT ...] [--check]``.

An assignment whose figures are drawn by the kit has a figure script, ``instructor/figures.py``,
that draws them with ``course_tools.drawing`` and defines ``FIGURES`` ({file name: function
returning the figure}, from ``drawing.registry()``) and ``IMAGES`` (its ``images/`` folder).
This writes each figure as a PNG into ``IMAGES``, for each assignment given, or for every
assignment that has a figure script.

The output is byte-identical from run to run (fixed style, size and dpi, no randomness, no date
or software stamp), so the committed images can be checked: ``--check`` writes nothing; it
renders every figure in memory and exits 1, naming the stale files, if a committed image differs
from a fresh render, is missing, or is not produced by the script.

A figure script is loaded from its file alone, not through the assignment's instructor package,
so it works before the rest of the assignment does: it imports matplotlib and
``course_tools.drawing``, not the assignment's own helpers.
"""
import argparse
import hashlib
import importlib.util
import re
import sys
from pathlib import Path

from course_tools.assignment import INSTRUCTOR_PACKAGE, ROOT
from course_tools.drawing import render

SCRIPT = "figures.py"
NOT_A_NAME = re.compile(r"\W")


def script_path(assignment_id, course_root=ROOT):
    return Path(course_root) / "source" / assignment_id / INSTRUCTOR_PACKAGE / SCRIPT


def ids_with_figures(course_root=ROOT):
    """The ids of the assignments of a course that have a figure script."""
    source = Path(course_root) / "source"
    return sorted(path.parent.parent.name for path in source.glob(f"*/{INSTRUCTOR_PACKAGE}/{SCRIPT}"))


def load_script(assignment_id, course_root=ROOT):
    """The figure script of ``assignment_id``, loaded once per file under a name of its own."""
    path = script_path(assignment_id, course_root).resolve()
    if not path.is_file():
        raise LookupError(f"{assignment_id}: no figure script ({path} does not exist)")
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:8]
    name = f"course_figures_{re.sub(NOT_A_NAME, '_', assignment_id)}_{digest}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def stale_files(script, folder=None):
    """The names of the images in ``folder`` (the script's ``IMAGES``) that differ from a fresh
    render, are missing, or are not the script's."""
    folder = Path(script.IMAGES if folder is None else folder)
    fresh = render(script.FIGURES)
    committed = {path.name for path in folder.iterdir()} if folder.is_dir() else set()
    stale = [name for name, data in fresh.items()
             if name not in committed or (folder / name).read_bytes() != data]
    return sorted(stale + [name for name in committed if name not in fresh])


def write(script, folder=None):
    """Write every figure of ``script`` into ``folder`` (the script's ``IMAGES``, created if
    needed); return the written paths."""
    folder = Path(script.IMAGES if folder is None else folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in render(script.FIGURES).items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def draw(assignment_id, check=False):
    """Write (or, with ``check``, check) one assignment's figures; 0 if all is well, else 1."""
    script = load_script(assignment_id)
    images, names = Path(script.IMAGES), script.FIGURES
    if check:
        stale = stale_files(script)
        if stale:
            print(f"stale images in {images} (rerun python -m course_tools.figures {assignment_id}): "
                  f"{', '.join(stale)}")
            return 1
        print(f"all {len(names)} images in {images} are up to date")
        return 0
    for path in write(script):
        print(f"wrote {path}")
    extra = sorted(path.name for path in images.iterdir() if path.name not in names)
    if extra:
        print(f"not made here, remove them or add their figure: {', '.join(extra)}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: all with instructor/figures.py)")
    parser.add_argument("--check", action="store_true", help="compare the committed images with a fresh render")
    args = parser.parse_args(argv)
    status = 0
    for assignment_id in args.assignments or ids_with_figures():
        if script_path(assignment_id).is_file():
            status |= draw(assignment_id, check=args.check)
        else:
            print(f"{assignment_id}: no instructor/figures.py, no figures to draw", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())

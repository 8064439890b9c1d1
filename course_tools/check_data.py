"""Build the data file each assignment's public checks compare against:
``python -m course_tools.check_data [ASSIGNMENT ...]`` (every assignment of the kit by default).

For every visible case of every exercise (the demo, recorded from the notebook's demo cell,
and the assignment's further cases) it stores the inputs, the reference outputs (run from
the source notebook's solution cells by the assignment's ``instructor.OUTPUTS``), and what
each known mistake returns (course_tools/fingerprints.py), in
``source/<assignment>/public_tests/check_data.npz``. The file holds numbers only, never
solution code. ``--check`` compares instead of writing.
"""
import argparse
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

from course_tools.assignment import ROOT, assignment_ids, load_assignment
from course_tools.demo import demo_inputs
from course_tools.fingerprints import fingerprints
from course_tools.reference import load_reference


def case_arrays(assignment, reference, exercise, inputs):
    """Everything a check needs about one case: its inputs, the reference outputs (the
    assignment's ``instructor.OUTPUTS``), and the fingerprints of the known mistakes."""
    case = assignment.checks.Case("inputs", {key: value.copy() for key, value in inputs.items()})
    outputs = assignment.instructor.OUTPUTS[exercise](reference, case)
    arrays = {name: np.asarray(value, dtype=np.float64) for name, value in {**inputs, **outputs}.items()}
    arrays.update(fingerprints(assignment, exercise, arrays))
    return arrays


def visible_inputs(assignment, exercise):
    """The named inputs of the visible cases: the demo, then the assignment's others."""
    return {"demo": demo_inputs(assignment, exercise), **assignment.instructor.visible_inputs(exercise)}


def build(assignment):
    """Return the arrays of an assignment's data file: key "<exercise>/<case>/<name>"."""
    reference = load_reference(assignment)
    arrays = {}
    for exercise in assignment.exercises:
        for case_name, inputs in visible_inputs(assignment, exercise).items():
            for name, value in case_arrays(assignment, reference, exercise, inputs).items():
                arrays[f"{exercise}/{case_name}/{name}"] = value
    return arrays


def serialise(arrays):
    """The bytes of a compressed npz with sorted keys and fixed timestamps.

    ``np.savez`` stamps each member with the current time; writing the zip here keeps a
    rebuild byte-identical, so the committed file only changes when the numbers do.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for key, value in sorted(arrays.items()):
            member = io.BytesIO()
            np.lib.format.write_array(member, value, allow_pickle=False)
            info = zipfile.ZipInfo(key + ".npy", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.getvalue())
    return buffer.getvalue()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: every assignment of the kit)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a committed file is out of date")
    parser.add_argument("--course", type=Path, default=ROOT, help="the course directory (default: this kit)")
    args = parser.parse_args(argv)
    status = 0
    for assignment_id in args.assignments or assignment_ids(args.course):
        assignment = load_assignment(assignment_id, args.course.resolve())
        path, data = assignment.check_data_path, serialise(build(assignment))
        if not args.check:
            path.write_bytes(data)
            print(f"wrote {path} ({len(data)} bytes)")
        elif (path.read_bytes() if path.exists() else b"") != data:
            print(f"{path} is out of date: run python -m course_tools.check_data {assignment_id}", file=sys.stderr)
            status = 1
        else:
            print(f"{path} is up to date")
    return status


if __name__ == "__main__":
    sys.exit(main())

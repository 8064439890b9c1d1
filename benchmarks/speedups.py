"""Benchmark: what each of grade-class's shortcuts buys in one grading process.

    .venv/bin/python -m benchmarks.speedups [--students 8] [--rounds 2] [--starts 5] [--scratch DIR]

Builds one scratch course with N submissions (three right for each with one of the known
mistakes; no endless loop, whose 5 s limits would swamp the figures) and measures, on this
machine:

- the start of a grading process: CPU until its NbGraderAPI is made (imports and
  configuration), with and without ``skip_iri_grammar`` (which can only be taken before
  jsonschema is imported), in ``--starts`` fresh processes each;
- per notebook, in one grading process made as grade-class's are (``grader._api_for``):
  each submission graded as shipped, without each shortcut in turn, and without any
  (nbgrader, nbclient, jupyter_client and jsonschema as they are, kernels and judge workers
  launched), one right after the other, in an order that turns with each submission. What a
  shortcut saves is the median, over submissions and rounds, of the difference between a
  grading without it and the grading as shipped of the same submission: the machine's
  drift (a 2-core machine shared with other work varies by 10-20 % from minute to minute)
  cancels out of each pair. Wall time, CPU of the grading process, and CPU of the process
  with all it started and waited for (kernels, judge workers, sandboxes).

Every grading must give each learner the same grades and the same feedback in every graded
cell; exits 1 if not. Not a test: the figures go into docs/benchmarks.md ("Shortcuts inside
other libraries"), with those of the shortcut measured by an earlier version of this script
and removed (a kernel manager that looked every 5 ms, not every 0.1 s, whether a killed
kernel had gone). The shortcuts are in ``course_tools/grade_class/speedups.py`` and
``zygote.py``; this script switches them on and off in its own processes only. The scratch
course holds solutions: give ``--scratch`` a folder of your own on a shared machine.
"""
import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The shortcuts that can be switched off for one grading, in a grading process.
PER_NOTEBOOK = ("metadata_schema_checked_once", "gradebook_engines_reused", "kernels_stopped_at_once", "forked_kernels",
                "forked_judge_workers")
KIT = Path(__file__).resolve().parent.parent


def benchmark_answers(students):
    """``{student: (kind, answers)}``: three right for each wrong one, no broken notebook."""
    from benchmarks.grade_class import class_answers

    pool = class_answers(100)
    right = [answers for kind, answers in pool.values() if kind == "right"]
    wrong = [answers for kind, answers in pool.values() if kind == "wrong"]
    chosen = {}
    for index in range(students):
        kind = "wrong" if index % 4 == 3 else "right"
        chosen[f"learner{index:03d}"] = (kind, (wrong if kind == "wrong" else right)[index // 4 % len(wrong)])
    return chosen


# -- in a grading process of the benchmark's own -----------------------------------------------

def _cpu(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _own_and_all():
    own = _cpu(resource.RUSAGE_SELF)
    return own, own + _cpu(resource.RUSAGE_CHILDREN)


def grading_api(course, skip_iri=True):
    """An NbGraderAPI made as ``grader._api_for`` makes it (``skip_iri``: with that shortcut),
    and the kernel manager the course's configuration names (the one that launches kernels)."""
    from course_tools.grade_class import speedups

    if skip_iri:
        speedups.take(["skip_iri_grammar"])
    from nbgrader.apps.api import NbGraderAPI

    from course_tools.grade_class.grader import sqlite_with_patience
    from course_tools.grade_class.zygote import use_forked_processes
    from course_tools.nbgrader_cli import course_config

    config = course_config(course)
    config.CourseDirectory.db_url = sqlite_with_patience(config.CourseDirectory.db_url)
    launching = config.HaltingExecute.kernel_manager
    use_forked_processes(config)
    speedups.apply(config)
    return NbGraderAPI(config=config), launching


class Switches:
    """Each per-notebook shortcut of a grading process made by ``grading_api``, switched off
    and on again (the originals are kept here; nothing outside this process changes)."""

    def __init__(self, api, launching):
        from nbgrader import api as nbgrader_api
        from nbgrader.nbgraderformat import common

        from course_tools.grading.judge_worker import JudgeWorker, launch_with_popen

        metadata = nbgrader_api.Base.metadata
        self.taken = {  # name: [(object, attribute, as shipped, without the shortcut)]
            "metadata_schema_checked_once": [(common, "jsonschema", common.jsonschema,
                                              sys.modules["jsonschema"])],
            "gradebook_engines_reused": [
                (nbgrader_api, "create_engine", nbgrader_api.create_engine, sys.modules["sqlalchemy"].create_engine),
                (metadata, "create_all", metadata.create_all, type(metadata).create_all.__get__(metadata))],
            "kernels_stopped_at_once": [(api.config.Execute, "shutdown_kernel", "immediate", "graceful")],
            "forked_kernels": [(api.config.HaltingExecute, "kernel_manager", api.config.HaltingExecute.kernel_manager,
                                launching)],
            "forked_judge_workers": [(JudgeWorker, "launch", JudgeWorker.__dict__["launch"], staticmethod(launch_with_popen))],
        }

    def set(self, off):
        for name, changes in self.taken.items():
            for target, attribute, shipped, without in changes:
                setattr(target, attribute, without if name in off else shipped)


def measure_notebooks(course, assignment, students, rounds, only, result_path):
    from course_tools.grade_class.zygote import reap_orphans

    api, launching = grading_api(course)
    switches = Switches(api, launching)
    variants = [(), *((name,) for name in only), *([PER_NOTEBOOK] if len(only) == len(PER_NOTEBOOK) else [])]
    records, failed = [], []
    for off in (PER_NOTEBOOK, ()):  # warm up: what a process does once (imports, the zygote, engines)
        switches.set(set(off))
        api.autograde(assignment, students[0], force=True, create=True)
        reap_orphans()
    for round_ in range(rounds):
        for index, student in enumerate(students):
            turn = (index + round_) % len(variants)
            for off in variants[turn:] + variants[:turn]:
                switches.set(set(off))
                (own, every), started = _own_and_all(), time.monotonic()
                success = api.autograde(assignment, student, force=True, create=True)["success"]
                reap_orphans()
                wall, (own_after, every_after) = time.monotonic() - started, _own_and_all()
                records.append({"round": round_, "student": student, "off": list(off), "wall": wall,
                                "own_cpu": own_after - own, "cpu": every_after - every})
                if not success:
                    failed.append([student, list(off)])
                _snapshot_outcome(course, assignment, student, off, result_path)
    switches.set(set())
    Path(result_path).write_text(json.dumps({"records": records, "failed": failed}))


def _snapshot_outcome(course, assignment, student, off, result_path):
    """Append what the grading of ``student`` gave (grades, graded cells' feedback) to a file
    the coordinator compares."""
    from nbgrader.api import Gradebook

    from benchmarks.grade_class import graded_cell_outputs

    with Gradebook(f"sqlite:///{course}/gradebook.db") as gradebook:
        notebook = gradebook.find_submission_notebook(assignment, assignment, student)
        grades = sorted([grade.name, grade.auto_score, grade.max_score] for grade in notebook.grades)
    with open(result_path + ".outcomes", "a") as handle:
        handle.write(json.dumps({"student": student, "off": list(off), "grades": grades,
                                 "feedback": graded_cell_outputs(Path(course), student)}) + "\n")


def measure_start(course, skip_iri, result_path):
    grading_api(course, skip_iri)
    Path(result_path).write_text(json.dumps({"cpu": _cpu(resource.RUSAGE_SELF)}))


# -- the coordinator -----------------------------------------------------------------------

def _run_self(scratch, *args):
    result = Path(scratch) / "result.json"
    completed = subprocess.run([sys.executable, "-m", "benchmarks.speedups", *args, "--result", str(result)],
                               cwd=KIT, capture_output=True, text=True)
    if completed.returncode != 0 or not result.exists():
        raise RuntimeError(f"benchmarks.speedups {' '.join(args)} failed:\n{completed.stderr[-3000:]}")
    notes = [line for line in completed.stderr.splitlines() if line.startswith("grade-class:")]
    for note in notes:  # a shortcut not taken: another version installed
        print(f"  ({note})")
    found = json.loads(result.read_text())
    result.unlink()
    return found


def _differences(records, name, key):
    """Per pair (submission, round): the grading without ``name`` minus the one as shipped."""
    shipped = {(r["round"], r["student"]): r[key] for r in records if not r["off"]}
    return [r[key] - shipped[(r["round"], r["student"])] for r in records if r["off"] == name]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2, help="how often each submission is graded each way")
    parser.add_argument("--starts", type=int, default=5, help="grading processes started each way")
    parser.add_argument("--scratch", type=Path, help="where the scratch course goes (default: a temporary folder)")
    parser.add_argument("--only", nargs="+", choices=PER_NOTEBOOK, default=list(PER_NOTEBOOK),
                        help="switch off only these, one at a time (default: each, then all at once)")
    for hidden in ("--notebooks", "--start", "--result"):  # the benchmark's own grading processes
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    parser.add_argument("--assignment", help=argparse.SUPPRESS)
    parser.add_argument("--grade-students", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.notebooks:
        measure_notebooks(args.notebooks, args.assignment, args.grade_students.split(","), args.rounds, args.only,
                          args.result)
        return 0
    if args.start:
        course, skip = args.start.rsplit(":", 1)
        measure_start(course, skip == "skip", args.result)
        return 0

    from benchmarks.grade_class import ASSIGNMENT, make_course

    answers = benchmark_answers(args.students)
    students = sorted(answers)
    if args.scratch:
        args.scratch.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="speedups-bench-", dir=args.scratch))
    course = make_course(scratch / "course", answers)
    print(f"{args.students} submissions ({sum(k == 'wrong' for k, _ in answers.values())} with a known mistake)",
          flush=True)

    starts = {"skip": [], "import": []} if args.starts else {}
    for _ in range(args.starts):
        for way in starts:
            starts[way].append(_run_self(scratch, "--start", f"{course}:{way}")["cpu"])
    if starts:
        with_skip, without_skip = statistics.median(starts["skip"]), statistics.median(starts["import"])
        print(f"start of a grading process (median of {args.starts}): {with_skip:.2f} s CPU with skip_iri_grammar, "
              f"{without_skip:.2f} s without: saves {without_skip - with_skip:.2f} s CPU per process", flush=True)

    found = _run_self(scratch, "--notebooks", str(course), "--assignment", ASSIGNMENT, "--grade-students",
                      ",".join(students), "--rounds", str(args.rounds), "--only", *args.only)
    records = found["records"]
    outcomes = {}
    for line in (scratch / "result.json.outcomes").read_text().splitlines():
        record = json.loads(line)
        outcomes.setdefault(record["student"], []).append((record["grades"], record["feedback"]))
    differ = sorted(student for student, seen in outcomes.items() if any(o != seen[0] for o in seen))

    shipped = [r for r in records if not r["off"]]
    print(f"\nper notebook, as shipped (median of {len(shipped)} gradings): "
          + ", ".join(f"{title} {statistics.median(r[key] for r in shipped):.3f} s" for key, title in
                      (("wall", "wall"), ("own_cpu", "CPU of the grading process"), ("cpu", "CPU in all"))))
    print("what a notebook costs more without each (median of the paired differences; share of the time without):")
    for off in [[name] for name in args.only] + ([list(PER_NOTEBOOK)] if len(args.only) == len(PER_NOTEBOOK) else []):
        label = off[0] if len(off) == 1 else "all of them (none taken)"
        parts = []
        for key, title in (("wall", "wall"), ("own_cpu", "grader CPU"), ("cpu", "CPU in all")):
            diff = statistics.median(_differences(records, off, key))
            base = statistics.median(r[key] for r in records if r["off"] == off)
            parts.append(f"{title} {diff:+.3f} s ({diff / base:+.0%})")
        print(f"  {label:30} " + ", ".join(parts))
    if found["failed"]:
        print(f"FAILED gradings: {found['failed']}")
    print(f"grades and feedback identical in every grading for {len(students) - len(differ)} of {len(students)} "
          "learners" + (f"; DIFFERENT for {', '.join(differ)}" if differ else ""))
    return 1 if differ or found["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())

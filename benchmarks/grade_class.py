"""Benchmark: plain ``nbgrader autograde`` against the kit's ``grade-class``, confined and not,
on one class.

    .venv/bin/python -m benchmarks.grade_class [--students N] [--workers W]

Builds N synthetic submissions (most right, some with one of the mistakes learners make, a
few broken: a cell that never ends, a syntax error), each with a comment of its own so that
no two are the same file. Three scratch courses get the same submissions; in this run, one is
graded by ``nbgrader autograde`` (the kit's configuration: learner code confined), one by
``python -m course_tools.grade_class`` (confined too), and one by grade-class with confinement
turned off (``c.Confinement.enabled = False``). The grades of every learner on every exercise
must be identical, and so must what each graded cell says in the autograded notebooks (the
feedback). Prints submissions per minute for each and the ratios; exits 1 if anything differs.
"""
import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from course_tools.assignment import load_assignment
from course_tools.nbgrader_cli import nbgrader_env, run_nbgrader
from course_tools.scores import gradebook_url, scores_by_exercise
from course_tools.scratch import copy_course
from course_tools.submissions import fill_release, submit

RNN = load_assignment("rnn_step_by_step")
ASSIGNMENT, EXERCISES = RNN.id, RNN.exercises

SHARE_WRONG = 0.15  # one of the known mistakes
BROKEN = ("endless_loop", "syntax_error")  # one of each per 100 learners (at least one each)


def class_answers(students, seed=2026):
    """``{student: (kind, answers)}``: answers for each exercise, mostly the reference."""
    solutions = RNN.solution_sources()
    rng = random.Random(seed)
    broken_every = max(2, students // (len(BROKEN) * max(1, students // 100)))
    answers = {}
    for index in range(students):
        student = f"learner{index:05d}"
        mine = {name: f"# {student}'s answer\n{source}" for name, source in solutions.items()}
        if index % broken_every == broken_every - 1:
            kind = BROKEN[(index // broken_every) % len(BROKEN)]
            exercise = rng.choice(EXERCISES)
            if kind == "endless_loop":  # never returns when the cell runs
                mine[exercise] = "while True:\n    pass\n\n" + mine[exercise]
            else:
                mine[exercise] = mine[exercise].replace("):\n", ")\n", 1)  # a def without its colon
        elif rng.random() < SHARE_WRONG:
            kind = "wrong"
            mine = rng.choice(RNN.instructor.MISTAKES).apply(mine)
        else:
            kind = "right"
        answers[student] = (kind, mine)
    return answers


def make_course(dest, answers, confined=True):
    course = copy_course(dest)
    if not confined:
        with open(course / "nbgrader_config.py", "a") as config:
            config.write("\nc.Confinement.enabled = False  # the benchmark's unconfined course\n")
    run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--log-level=ERROR", capture=True)
    release = course / "release" / ASSIGNMENT
    for student, (_, mine) in answers.items():
        submit(course, student, release, fill_release(mine, release / f"{ASSIGNMENT}.ipynb"))
    return course


def _coalesced(outputs):
    """Outputs with consecutive pieces of the same stream joined: how a kernel splits what a
    cell prints into messages depends on timing, in any two runs."""
    joined = []
    for output in outputs:
        output = {key: value for key, value in output.items() if key != "execution_count"}
        if (joined and output["output_type"] == "stream" and joined[-1]["output_type"] == "stream"
                and joined[-1]["name"] == output["name"]):
            joined[-1] = {**joined[-1], "text": joined[-1]["text"] + output["text"]}
        else:
            joined.append(output)
    return joined


def graded_cell_outputs(course, student):
    """What each graded cell of a learner's autograded notebook shows, by grade_id."""
    path = course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    if not path.exists():
        return None
    nb = nbformat.read(str(path), as_version=4)
    return {cell.metadata["nbgrader"]["grade_id"]: _coalesced(cell.get("outputs", []))
            for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("grade")}


def timed(command, cwd):
    started = time.monotonic()
    completed = subprocess.run(command, cwd=cwd, env=nbgrader_env(), capture_output=True, text=True)
    return time.monotonic() - started, completed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--workers", type=int, default=None, help="grade-class workers (default: one per core)")
    args = parser.parse_args(argv)

    answers = class_answers(args.students)
    kinds = {kind: sum(1 for k, _ in answers.values() if k == kind) for kind in ("right", "wrong", *BROKEN)}
    print(f"{args.students} submissions: " + ", ".join(f"{n} {kind}" for kind, n in kinds.items()), flush=True)
    workers = [] if args.workers is None else ["--workers", str(args.workers)]
    kit_root = Path(__file__).resolve().parent.parent
    runs = {}  # name -> (seconds, course)
    with tempfile.TemporaryDirectory(prefix="grade-class-bench-") as scratch:
        courses = {"plain nbgrader autograde": make_course(Path(scratch) / "plain", answers),
                   "grade-class, confined": make_course(Path(scratch) / "confined", answers),
                   "grade-class, unconfined": make_course(Path(scratch) / "unconfined", answers, confined=False)}
        for name, course in courses.items():
            if name.startswith("plain"):
                command, cwd = [sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--log-level=ERROR"], course
            else:
                command, cwd = [sys.executable, "-m", "course_tools.grade_class", ASSIGNMENT, "--course", str(course),
                                *workers], kit_root
            seconds, completed = timed(command, cwd)
            print(f"{name + ':':26} {seconds:7.1f} s (exit {completed.returncode})", flush=True)
            runs[name] = seconds
        scores = {name: scores_by_exercise(gradebook_url(course), RNN) for name, course in courses.items()}
        feedback = {name: {s: graded_cell_outputs(course, s) for s in answers} for name, course in courses.items()}
    plain = "plain nbgrader autograde"
    differences = sorted({s for name in scores for s in answers if scores[name].get(s) != scores[plain].get(s)})
    other_feedback = sorted({s for name in feedback for s in answers if feedback[name][s] != feedback[plain][s]})
    print(f"grades identical in all three for {args.students - len(differences)} of {args.students} learners"
          + (f"; DIFFERENT for {', '.join(differences[:10])}" if differences else ""))
    print(f"graded cells' feedback identical for {args.students - len(other_feedback)} of {args.students} learners"
          + (f"; DIFFERENT for {', '.join(other_feedback[:10])}" if other_feedback else ""))
    rates = {name: args.students / seconds * 60 for name, seconds in runs.items()}
    for name, rate in rates.items():
        print(f"{name + ':':26} {rate:7.1f} submissions/min")
    confined, unconfined = rates["grade-class, confined"], rates["grade-class, unconfined"]
    print(f"confined grade-class / plain nbgrader:     {confined / rates[plain]:5.2f}x")
    print(f"confined / unconfined grade-class:         {confined / unconfined:5.1%}")
    complete = all(len(table) == args.students for table in scores.values())
    return 1 if differences or other_feedback or not complete else 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: how long the language model's training cell takes, and what it learns.

    .venv/bin/python -m benchmarks.lm_training [--iterations 8000] [--runs 3]

Runs the training of the second assignment's notebook (``model`` on the shuffled corpus,
n_a = 50, learning rate 0.01, seed 0) with the reference solutions of its source notebook,
``--runs`` times, and prints each run's wall time, the average loss of a name over the first
and the last 1,000 iterations (guessing among the 27 symbols costs about 38 a name), and five
names drawn at the end with the reference ``sample``.
"""
import argparse
import time

import numpy as np

from course_tools.assignment import load_assignment
from course_tools.reference import load_reference


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=8000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    assignment = load_assignment("char_language_model")
    reference = load_reference(assignment)
    helpers = reference["model"].__globals__  # the namespace of the notebook's setup cell
    names = helpers["load_names"](shuffle_seed=0)
    char_to_ix, ix_to_char = helpers["vocabulary"](names)
    for run in range(1, args.runs + 1):
        start = time.perf_counter()
        parameters, losses = reference["model"](names, args.iterations, n_a=50, learning_rate=0.01, seed=0)
        seconds = time.perf_counter() - start
        drawn = [helpers["decode"](reference["sample"](parameters, char_to_ix, seed), ix_to_char) for seed in range(5)]
        print(f"run {run}: {args.iterations} iterations in {seconds:.1f} s; loss of a name "
              f"{np.mean(losses[:1000]):.1f} -> {np.mean(losses[-1000:]):.1f}; drawn: {', '.join(drawn)}")


if __name__ == "__main__":
    main()

"""Stress: start many grading kernels from several processes at once, and count failures.

    .venv/bin/python -m benchmarks.kernel_starts [--processes 3] [--kernels 100] [--manager NAME]

Each process starts ``--kernels`` kernels one after another, as a grading does (nbclient with
the kernel manager nbgrader's configuration selects), and runs one cell in each. ``--manager``
picks the kit's ``private-sockets`` manager (Unix sockets, the default), the ``forked`` one of
grade-class (the same, forked from a zygote), or jupyter_client's own ``tcp`` manager for a
comparison. Prints the starts, the failures with their reasons, and the time; exits 1 on any
failure. Not a test: its figures go into notes and docs/benchmarks.md.
"""
import argparse
import multiprocessing
import sys
import time
from collections import Counter

MANAGERS = {
    "private-sockets": "course_tools.grading.kernels.PrivateSocketKernelManager",
    "forked": "course_tools.grade_class.zygote.ForkedKernelManager",
    "tcp": "jupyter_client.manager.AsyncKernelManager",
}


def start_kernels(manager, count, results):
    import nbformat
    from nbclient import NotebookClient

    if manager == "forked":
        from course_tools.grade_class.zygote import become_subreaper

        if not become_subreaper():
            sys.exit("forked kernels need Linux's child subreaper")
    failures = Counter()
    for _ in range(count):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
        try:
            NotebookClient(nb, timeout=30, kernel_name="python3", kernel_manager_class=MANAGERS[manager],
                           shutdown_kernel="immediate").execute()
            if nb.cells[0].outputs[0]["text"] != "42\n":
                failures["wrong output"] += 1
        except Exception as error:
            failures[f"{type(error).__name__}: {str(error)[:120]}"] += 1
    results.put(failures)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--kernels", type=int, default=100, help="kernels started by each process")
    parser.add_argument("--manager", choices=MANAGERS, default="private-sockets")
    args = parser.parse_args(argv)
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    started = time.monotonic()
    processes = [context.Process(target=start_kernels, args=(args.manager, args.kernels, results))
                 for _ in range(args.processes)]
    for process in processes:
        process.start()
    failures = Counter()
    for _ in processes:
        failures.update(results.get())
    for process in processes:
        process.join()
    seconds = time.monotonic() - started
    total = args.processes * args.kernels
    print(f"{args.manager}: {total} kernels started from {args.processes} processes at once in {seconds:.0f} s "
          f"({total / seconds:.1f} per second), {sum(failures.values())} failed")
    for reason, count in failures.most_common():
        print(f"  {count} x {reason}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

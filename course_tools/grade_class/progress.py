"""What a class grading run shows: a progress bar while it runs, a summary table at the end."""
import sys
import time

from course_tools.scores import pass_rates

BAR_WIDTH = 30


def _clock(seconds):
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 \
        else f"{seconds // 60}:{seconds % 60:02d}"


class ProgressBar:
    """One line redrawn in place on a terminal; in a log file, a line every tenth of the run."""

    def __init__(self, total, stream=None):
        self.total, self.stream = total, stream or sys.stderr
        self.done = self.failed = 0
        self.started = time.monotonic()
        self.interactive = self.stream.isatty()
        self._next_report = 0

    def advance(self, result):
        self.done += 1
        self.failed += result["status"] != "graded"
        if self.interactive:
            self.stream.write("\r" + self.line())
            self.stream.flush()
        elif self.done >= self._next_report or self.done == self.total:
            self.stream.write(self.line() + "\n")
            self.stream.flush()
            self._next_report = self.done + max(1, self.total // 10)

    def line(self):
        elapsed = time.monotonic() - self.started
        filled = int(BAR_WIDTH * self.done / self.total) if self.total else BAR_WIDTH
        rate = self.done / elapsed * 60 if elapsed > 0 else 0.0
        eta = (self.total - self.done) / (self.done / elapsed) if self.done else 0.0
        failed = f"  {self.failed} failed" if self.failed else ""
        return (f"grading [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {self.done}/{self.total}"
                f"  {rate:.1f}/min  elapsed {_clock(elapsed)}  left ~{_clock(eta)}{failed}")

    def finish(self):
        if self.interactive and self.total:
            self.stream.write("\n")
            self.stream.flush()


def summary(assignment, students, journal, scores, seconds, engine, graded_now):
    """The table printed at the end of grading ``assignment`` (course_tools/assignment.py):
    what was graded, what was not (whose fault, why, and what to do), and how the class did on
    each exercise (the share of graded submissions with full points). A submission that was not
    graded has no score anywhere, so it counts in no rate."""
    status = {s: journal.latest.get(s, {}) for s in students}
    graded = [s for s in students if status[s].get("status") == "graded"]
    failed = [s for s in students if status[s].get("status") == "failed"]
    left = [s for s in students if s not in graded and s not in failed]
    lines = [f"{assignment.id}: {len(students)} submissions; {len(graded)} graded "
             f"({graded_now} in this run, {_clock(seconds)} on {engine}), {len(failed)} not graded, "
             f"{len(left)} not tried yet"]
    by_fault = {fault: [s for s in failed if (status[s].get("fault") or "submission") == fault]
                for fault in ("submission", "grader")}
    if by_fault["submission"]:
        lines += ["", "Not graded, because of the submission (once it is fixed or submitted again, "
                      "the same command grades it):"]
        lines += _reasons(by_fault["submission"], status)
    if by_fault["grader"]:
        lines += ["", "Not graded, because of trouble in the grader, not in the submission (the same "
                      "command grades them):"]
        lines += _reasons(by_fault["grader"], status, tries=True)
    table = {s: scores[s] for s in graded if s in scores}
    rows = list(table.values())
    if rows:
        lines += ["", f"{'exercise':<22}{'full points':>12}{'pass rate':>11}", "-" * 45]
        rates = pass_rates(table, assignment.exercises)
        for number, (name, (passed, total)) in enumerate(rates.items(), start=1):
            lines.append(f"{number} {name:<20}{f'{passed}/{total}':>12}{passed / total:>10.0%}")
        totals = [sum(score for score, _ in row.values()) for row in rows]
        maximum = max(sum(m for _, m in row.values()) for row in rows)
        lines += ["-" * 45, f"mean score {sum(totals) / len(totals):.1f} of {maximum:g}"]
    if left or by_fault["grader"]:
        lines += ["", "Run the same command again to grade what is left."]
    return "\n".join(lines)


def _reasons(students, status, tries=False):
    width = max(len(s) for s in students)
    return [f"  {s:<{width}}  {status[s]['reason']}" + (f" ({status[s].get('tries', 1)} tries)" if tries else "")
            for s in students]

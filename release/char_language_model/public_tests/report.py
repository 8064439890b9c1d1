"""How a check's message is shown: a few short lines, the same in the notebook, in the
Validate dialog, in ``nbgrader validate`` and in the feedback pages.

A message is plain text. Lines that start with spaces are code and are kept as they are; every
other line is wrapped, and its "Likely cause:" starts a line of its own.
"""
import textwrap

# nbgrader validate indents each line by 4 and cuts it at 87 characters
WIDTH = 78
CAUSE = "Likely cause:"


def report_lines(message, width=WIDTH):
    """The lines that show ``message`` to a learner, none longer than ``width`` (code lines aside)."""
    lines = []
    for line in message.splitlines():
        if line.startswith(" "):
            lines.append(line)
            continue
        text, _, cause = line.partition(" " + CAUSE + " ")
        lines.extend(textwrap.wrap(text, width, break_on_hyphens=False) or [""])
        if cause:
            lines.extend(textwrap.wrap(f"{CAUSE} {cause}", width, break_on_hyphens=False))
    return lines

"""The report as one self-contained HTML page (plots embedded as data URIs)."""
import base64
from datetime import datetime, timezone
from html import escape

from course_tools.report.plots import pass_rate_chart, score_histogram

MOST_COMMON = 15

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #1a1a1a; background: #fff; line-height: 1.45; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.8rem; text-align: left; vertical-align: top; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
img { max-width: 100%; height: auto; }
.summary { font-size: 1.1rem; }
"""


def _image(png, alt):
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{escape(alt)}">'


def _table(headers, rows, numeric=()):
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(
        f'<td class="number">{escape(str(v))}</td>' if i in numeric else f"<td>{escape(str(v))}</td>"
        for i, v in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render(results):
    rates = results.pass_rates()
    totals = results.totals()
    graded = len(results.scores)
    mean = sum(totals) / len(totals) if totals else 0.0
    parts = [
        f"<h1>{escape(results.assignment.id)}: class report</h1>",
        f'<p class="summary">{len(results.submitted)} submissions, {graded} graded, '
        f"{len(results.ungraded)} without a grade. Mean score {mean:.1f} of {results.max_total():g}.</p>",
        f"<p>Written {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC from the gradebook and the autograded "
        "notebooks.</p>",
        '<h2 id="pass-rates">Pass rate per exercise</h2>',
        _image(pass_rate_chart(rates), "Pass rate per exercise") if graded else "<p>Nothing graded yet.</p>",
        _table(["#", "exercise", "full points", "pass rate"],
               [(n, name, f"{rates[name][0]}/{rates[name][1]}",
                 f"{100 * rates[name][0] / rates[name][1]:.0f}%" if rates[name][1] else "-")
                for n, name in enumerate(results.assignment.exercises, start=1)], numeric=(0, 2, 3)),
        '<h2 id="scores">Total scores</h2>',
        _image(score_histogram(totals, results.max_total()), "Histogram of total scores") if graded else "",
        '<h2 id="reasons">Most common reasons for lost points</h2>',
    ]
    if results.reasons:
        rows = [(count, exercise, reason) for (exercise, reason), count in results.reasons.most_common(MOST_COMMON)]
        parts.append(_table(["learners", "exercise", "reason"], rows, numeric=(0,)))
    else:
        parts.append("<p>No points were lost.</p>")
    parts.append('<h2 id="ungraded">Submissions that could not be graded</h2>')
    if results.ungraded:
        parts.append(_table(["student", "why"], sorted(results.ungraded.items())))
    else:
        parts.append("<p>None: every submission has a grade.</p>")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{escape(results.assignment.id)}: class report</title><style>{STYLE}</style></head>"
            f"<body>{''.join(parts)}</body></html>\n")

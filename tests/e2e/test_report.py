"""The instructor's report, written from the class graded by grade-class, read as HTML and
opened in Chromium."""
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from course_tools.report.data import reason_of
from tests.conftest import NO_NOTEBOOK
from tests.support.chromium import launch_chromium, needs_chromium
from tests.support.expected import expected_grades
from tests.support.markers import CLASS_GRADING
from tests.support.mutants import EXPECTED_MESSAGE, first_mistake_of
from tests.support.rnn_assignment import ASSIGNMENT, EXERCISES, RNN, ROOT

pytestmark = CLASS_GRADING
SCREENSHOTS = ROOT / "test-output" / "report"


@pytest.fixture(scope="module")
def report(class_run):
    path = class_run.course / "reports" / f"{ASSIGNMENT}.html"
    completed = subprocess.run([sys.executable, "-m", "course_tools.report", ASSIGNMENT, "--course",
                                str(class_run.course)], cwd=ROOT, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert str(path) in completed.stdout
    return path


class Tables(HTMLParser):
    """Every table of a page, as lists of rows of cell texts, by the heading before it."""

    def __init__(self):
        super().__init__()
        self.tables, self._heading, self._text, self._row = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        if tag in ("h2", "td", "th"):
            self._text = ""
        elif tag == "tr":
            self._row = []

    def handle_endtag(self, tag):
        if tag == "h2":
            self._heading = self._text.strip()
        elif tag in ("td", "th"):
            self._row.append(self._text.strip())
        elif tag == "tr":
            self.tables.setdefault(self._heading, []).append(self._row)

    def handle_data(self, data):
        if self._text is not None:
            self._text += data


def tables_of(path):
    parser = Tables()
    parser.feed(path.read_text())
    return parser.tables


def test_pass_rates_match_the_grades(report):
    grades = expected_grades()
    rows = tables_of(report)["Pass rate per exercise"][1:]
    assert [row[1] for row in rows] == list(EXERCISES)
    for _, name, full, _ in rows:
        assert full == f"{sum(1 for g in grades.values() if g[name] > 0)}/{len(grades)}", name


def test_the_most_common_reasons_name_the_mistakes(report):
    rows = tables_of(report)["Most common reasons for lost points"][1:]
    counts = [int(row[0]) for row in rows]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 2
    reasons = [row[2] for row in rows]
    assert any(EXPECTED_MESSAGE[first_mistake_of("rnn_cell_forward").name] in reason for reason in reasons)
    assert "rnn_forward passed a0 to rnn_cell_forward at t = #." in reasons
    assert all(not re.search(r"\d\.\d", reason) for reason in reasons)  # numbers folded: one row per mistake


def test_a_reason_keeps_the_mistake_and_folds_the_numbers():
    assert reason_of("Graded: lstm_forward started the cell state at a0: got 0.25, expected 0", RNN.checks.CAUSE) == \
        "lstm_forward started the cell state at a0."
    assert reason_of("rnn_cell_forward on hidden inputs (one example (m = 1)): a_next is off by 1e-3", RNN.checks.CAUSE) == \
        "rnn_cell_forward on hidden inputs (one example (m = #))."
    assert reason_of("y_pred differs. Likely cause: the bias by is missing (related to by?).", RNN.checks.CAUSE) == \
        "Likely cause: the bias by is missing (related to by?)."


def test_the_submission_that_could_not_be_graded_is_listed_with_why(report):
    rows = tables_of(report)["Submissions that could not be graded"][1:]
    assert rows == [[NO_NOTEBOOK, rows[0][1]]] and "No notebooks were matched" in rows[0][1]


@needs_chromium
def test_the_report_opens_in_a_browser_with_its_plots(report):
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.goto(report.as_uri())
        assert page.locator("h1").inner_text() == f"{ASSIGNMENT}: class report"
        sizes = page.eval_on_selector_all("img", "images => images.map(i => [i.alt, i.naturalWidth, i.naturalHeight])")
        assert [alt for alt, _, _ in sizes] == ["Pass rate per exercise", "Histogram of total scores"]
        assert all(width > 300 and height > 200 for _, width, height in sizes), sizes
        page.screenshot(path=str(SCREENSHOTS / "report.png"), full_page=True)
        browser.close()

"""The notebook's prose says what the audit asked for, in the source and in the learners' release."""
import re
from html.parser import HTMLParser

import nbformat
import pytest

from tests.support.markers import QUICK
from tests.support.rnn_assignment import ASSIGNMENT, EXERCISES, RELEASE_DIR, RNN

pytestmark = QUICK

NOTEBOOKS = {"source": RNN.notebook_path, "release": RELEASE_DIR / f"{ASSIGNMENT}.ipynb"}
LAST_DIGITS = "The last digit or two of the long numbers may differ"


@pytest.fixture(scope="module", params=sorted(NOTEBOOKS))
def notebook(request):
    return nbformat.read(str(NOTEBOOKS[request.param]), as_version=4)


def markdown(cells):
    return "\n".join(cell.source for cell in cells if cell.cell_type == "markdown")


def flat(text):
    return " ".join(text.split())


def section(nb, heading):
    """The text under the heading line that starts with ``heading``, up to the next heading of its level or above."""
    text = markdown(nb.cells)
    start = re.search("^" + re.escape(heading), text, re.MULTILINE).end()
    level = len(heading) - len(heading.lstrip("#"))
    end = re.search(f"^#{{1,{level}}} ", text[start:], re.MULTILINE)
    return text[start:start + end.start()] if end else text[start:]


def images(text):
    """The attributes of each <img> in ``text``."""
    found = []
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, attrs: found.append(dict(attrs)) if tag == "img" else None
    parser.feed(text)
    return found


def test_every_image_has_a_text_alternative(notebook):
    """Every <img> of the markdown has a non-empty alt."""
    found = images(markdown(notebook.cells))
    assert found and [img.get("src") for img in found if not (img.get("alt") or "").strip()] == []


def test_the_rnn_type_figures_are_shown_large_enough(notebook):
    """Section 4's four RNN-type figures are at least 560 pixels wide."""
    found = images(section(notebook, "## 4 - Types of RNN"))
    assert len({img["src"] for img in found}) == 4
    assert {img["src"]: int(img.get("width", 0)) >= 560 for img in found} == {img["src"]: True for img in found}


def test_rnn_backward_takes_each_steps_cache_from_cell_caches(notebook):
    """Section 3.2 indexes cell_caches[t], never caches[t]."""
    text = flat(section(notebook, "### 3.2 - Backward through the whole RNN"))
    assert "rnn_cell_backward(da[:, :, t] + da_prevt, cell_caches[t])" in text
    assert "`cell_caches` is the list unpacked from `caches`" in text
    assert not re.search(r"(?<!cell_)caches\[t\]", text)


def test_the_lstm_cell_backward_names_the_update_gates_parameters_wi_and_bi(notebook):
    """Section 3.3 gives dWi and dbi from the update gate's dΓ_u, with no generic gate g."""
    text = section(notebook, "### 3.3 - Backward through one LSTM cell")
    assert r"dW_i = d\Gamma_u\, s^T" in text and r"db_i = \sum_{\text{batch}} d\Gamma_u" in text
    assert r"W_i^T d\Gamma_u" in text
    assert not re.search(r"g\s*(∈|\\in)", text)
    assert not re.search(r"\b(d?W_u|d?b_u|d?Wu|d?bu)\b", markdown(notebook.cells))


@pytest.mark.parametrize("number", [4, 7, 8])
def test_the_last_digits_note_is_under_the_exercises_expected_output(notebook, number):
    """The note that the last digits may differ follows exercise 4, 7 and 8, before the next heading."""
    exercise = EXERCISES[number - 1]
    index = next(i for i, cell in enumerate(notebook.cells)
                 if cell.metadata.get("nbgrader", {}).get("grade_id") == exercise)
    after = markdown(notebook.cells[index + 1:])
    under = re.split(r"^#", after, maxsplit=1, flags=re.MULTILINE)[0]
    assert LAST_DIGITS in flat(under)


def test_the_notebook_has_contents_that_link_every_section(notebook):
    """The first cell's Contents links each numbered section by its heading's anchor."""
    contents = notebook.cells[0].source
    assert "**Contents**" in contents
    headings = re.findall(r"^## ([1-9]\d* - .+)$", markdown(notebook.cells), re.MULTILINE)
    assert len(headings) == 6
    assert [h for h in headings if f"(#{h.replace(' ', '-')})" not in contents] == []


def test_the_notebook_says_how_steps_map_to_array_indices(notebook):
    """A paragraph maps step t = 1..T_x to array index t - 1 = 0..T_x - 1."""
    text = flat(markdown(notebook.cells))
    assert "**Counting steps.** The equations and the figures count time steps from 1 to $T_x$" in text
    assert "So step $t$ lives at index `t - 1`" in text
    assert "the loop variable `t` is the array index, from 0 to `T_x - 1`" in text

"""Math in the feedback pages as MathML (course_tools/grading/feedback_math.py)."""
import nbformat
import pytest
from nbconvert import HTMLExporter

from course_tools.grading.feedback_math import MathAsMathML, math_as_mathml
from tests.support.markers import QUICK

pytestmark = QUICK


def test_inline_and_display_math_become_mathml():
    page = math_as_mathml("The state $a^{\\langle t \\rangle}$ is\n\n$$a = \\tanh(z)$$\n")
    assert page.count('<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">') == 1
    assert page.count('display="block"') == 1
    assert "$" not in page and "\\tanh" not in page and "\n" in page


@pytest.mark.parametrize("text", [
    "costs $5 and $6",  # amounts of money: a $ followed by a digit closes nothing
    "an escaped \\$x\\$ stays",
    "code `x = $y$` and\n```\n$$z$$\n```\n",
    "no math at all",
])
def test_text_that_is_not_math_is_left_as_it_is(text):
    assert math_as_mathml(text) == text


def test_math_that_cannot_be_converted_is_left_for_the_reader():
    assert math_as_mathml("broken $\\frac{1}{$ here") == "broken $\\frac{1}{$ here"


def test_the_page_has_mathml_for_the_text_and_keeps_the_code():
    """Registered with an HTML exporter as nbgrader's GenerateFeedback registers it."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("the gate $\\Gamma_f$"),
                                               nbformat.v4.new_code_cell("cost = '$5$'")])
    exporter = HTMLExporter()
    exporter.register_preprocessor(MathAsMathML)
    page, _ = exporter.from_notebook_node(notebook)
    assert page.count('<math display="inline"') == 1
    assert "$\\Gamma_f$" not in page and "$5$" in page

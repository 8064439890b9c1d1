"""Math in the feedback pages as MathML, so it shows without any script.

nbgrader's feedback page leaves ``$...$`` in the text for MathJax, a script fetched from a CDN.
JupyterLab shows an HTML file with its scripts off until the learner clicks *Trust HTML*, and a
server without internet never gets MathJax at all: the learner reads raw LaTeX.
``MathAsMathML`` (a ``GenerateFeedback`` preprocessor) turns the math of every Markdown cell
into MathML, which browsers draw themselves.
"""
import re

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

# code (fenced blocks and inline spans) is left as it is; math is looked for between them
CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.DOTALL)
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?![\s$])([^$\n]+?)(?<![\s\\])\$(?!\d)")


def _mathml(latex, display):
    # imported here, not with the module: nbgrader_config.py imports this module, and nbgrader
    # goes on with its defaults (no sandbox) when its config fails to load, so a missing
    # package must break the feedback pages, not the grading
    from latex2mathml.converter import convert
    try:
        markup = convert(latex.strip(), display="block" if display else "inline")
    except Exception:  # latex2mathml raises its own errors and plain ones; leave such math as it was
        return None
    return markup.replace("\n", " ")


def _replace(pattern, text, display):
    def one(match):
        markup = _mathml(match.group(1), display)
        return match.group(0) if markup is None else markup
    return pattern.sub(one, text)


def math_as_mathml(markdown):
    """``markdown`` with each ``$$...$$`` and ``$...$`` outside code replaced by MathML."""
    parts = CODE.split(markdown)
    for index in range(0, len(parts), 2):  # the even parts are outside code
        text = _replace(DISPLAY_MATH, parts[index], display=True)
        parts[index] = _replace(INLINE_MATH, text, display=False)
    return "".join(parts)


class MathAsMathML(Preprocessor):
    """Turn the math of Markdown cells into MathML (for pages read without MathJax)."""

    enabled = Bool(True, help="nbconvert runs a preprocessor only when it is enabled").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            cell.source = math_as_mathml(cell.source)
        return cell, resources

"""Draw the notebook's diagrams: ``python -m course_tools.figures rnn_step_by_step``.

Every figure is an original drawing made here with matplotlib patches, arrows and mathtext, and
is written as a PNG into this assignment's ``images/``. The output is byte-identical from run
to run (fixed style, size and dpi, no randomness, no date or software stamp), so the committed
images can be checked: ``python -m course_tools.figures --check`` renders everything into a
temporary folder and exits 1, naming the stale files, if a committed image differs from a fresh
render, is missing, or is not produced here.

Figures are laid out in "units" of half an inch (50 px at the fixed dpi of 100): a canvas
``width`` units wide is ``50 * width`` pixels wide. Every figure has an opaque white background,
dark ink and a thin light-grey border, so it reads in light and dark notebook themes alike.

Time steps are numbered as in the math, <1>..<T_x>, with a<0> = a0 the initial state. Where a
figure also shows the code's arrays (in monospace), their time index is one less: x[:, :, t-1]
holds x<t>, a[:, :, t-1] holds a<t>, da[:, :, t-1] is the gradient on a<t>; a0 is not in ``a``.
"""
import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import matplotlib.style
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path as MplPath

IMAGES = Path(__file__).resolve().parent.parent / "images"

DPI = 100
UNIT = 0.5  # inches per layout unit
FONT = 13  # points: about 13 px tall when a 9-inch figure is shown 800 px wide

# Colours. Okabe-Ito for everything that carries meaning (colour-blind safe).
INK = "#222222"
MUTED = "#a8a8a8"  # forward arrows in the backward figures
MUTED_TEXT = "#767676"  # their labels: still 4.5:1 against white
BORDER = "#c8c8c8"
CELL_FILL = "#f3f3f3"
BOX_FILL = "#ffffff"
GRADIENT = "#c05000"  # Okabe-Ito vermillion, a shade darker so its text reads (4.8:1 on white)
GATES = {  # edge colour, light fill
    "forget": ("#0072b2", "#d5e8f4"),  # blue
    "update": ("#009e73", "#d2efe6"),  # bluish green
    "candidate": ("#e69f00", "#fbecc9"),  # orange
    "output": ("#cc79a7", "#f5e0ec"),  # reddish purple
}
ENCODER = ("#0072b2", "#d5e8f4")
DECODER = ("#e69f00", "#fbecc9")

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": FONT,
    "mathtext.fontset": "dejavusans",
    "text.color": INK,
    "text.usetex": False,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "path.simplify": False,
}

# How each kind of arrow is drawn: colour, line style, line width (points).
ARROWS = {
    "forward": (INK, "-", 1.6),
    "muted": (MUTED, "-", 1.6),
    "gradient": (GRADIENT, (0, (4, 2.5)), 2.0),
    "feedback": (INK, (0, (1, 2.2)), 1.8),
}
TEXT = {"forward": INK, "muted": MUTED_TEXT, "gradient": GRADIENT}  # label colour per kind
HEAD = "-|>,head_length=0.55,head_width=0.3"
HEAD_SCALE = 16
GAP = 0.25  # between a forward arrow and the gradient arrow running beside it


def at(symbol, step="t"):
    """Mathtext for ``symbol`` at time step ``step``, e.g. at("a", "t-1") for a<t-1>."""
    return rf"${symbol}^{{\langle {step} \rangle}}$"


def step_name(k):
    """The name of time step ``k`` (numbered from 1 as in the math), e.g. step_name(1) for "step <1>"."""
    return rf"step $\langle {k} \rangle$"


def sliced(array, index):
    """The code's slice of ``array`` at time index ``index`` (0-based: it holds step <index + 1>)."""
    return f"{array}[:, :, {index}]"


SHAPES = {"x": r"$(n_x, m)$", "a": r"$(n_a, m)$", "y": r"$(n_y, m)$"}


# ----------------------------------------------------------------------------------------------
# Drawing helpers shared by every figure
# ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Shape:
    """The bounding box of something drawn, with the points where arrows attach."""

    x: float
    y: float
    w: float
    h: float

    def left(self, dy=0.0):
        return (self.x - self.w / 2, self.y + dy)

    def right(self, dy=0.0):
        return (self.x + self.w / 2, self.y + dy)

    def top(self, dx=0.0):
        return (self.x + dx, self.y + self.h / 2)

    def bottom(self, dx=0.0):
        return (self.x + dx, self.y - self.h / 2)


def canvas(width, height):
    """A white figure ``width`` x ``height`` units with one axes spanning it, in unit coordinates."""
    fig = Figure(figsize=(width * UNIT, height * UNIT), dpi=DPI, facecolor="white",
                 edgecolor=BORDER, linewidth=2.5)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    return fig, ax


def label(ax, xy, text, size=FONT, color=INK, ha="center", va="center", **kwargs):
    """Write ``text`` at ``xy`` (mathtext allowed)."""
    return ax.text(xy[0], xy[1], text, fontsize=size, color=color, ha=ha, va=va, **kwargs)


def box(ax, xy, size, text="", edge=INK, fill=BOX_FILL, text_size=FONT, text_color=INK,
        radius=0.15, lw=1.4, zorder=2):
    """A rounded box centred at ``xy`` of ``size`` (w, h) with centred text; returns its Shape."""
    (x, y), (w, h) = xy, size
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle=f"round,pad=0,rounding_size={radius}",
                                facecolor=fill, edgecolor=edge, linewidth=lw, zorder=zorder))
    if text:
        label(ax, xy, text, size=text_size, color=text_color, zorder=zorder + 1)
    return Shape(x, y, w, h)


def node(ax, xy, symbol, edge=INK, radius=0.3):
    """A small circle at ``xy`` holding an operation symbol (+, ⊙); returns its Shape."""
    ax.add_patch(Circle(xy, radius, facecolor=BOX_FILL, edgecolor=edge, linewidth=1.4, zorder=3))
    label(ax, xy, symbol, size=FONT + 1, color=edge, zorder=4)
    return Shape(xy[0], xy[1], 2 * radius, 2 * radius)


def dot(ax, xy, color=INK):
    """A junction dot where a line splits in two."""
    ax.add_patch(Circle(xy, 0.08, facecolor=color, edgecolor=color, zorder=3))


def line(ax, start, end, color=INK):
    """A plain line without a head, e.g. a bus that several arrows branch off."""
    ax.plot([start[0], end[0]], [start[1], end[1]], color=color, linewidth=ARROWS["forward"][2], zorder=1)


def arrow(ax, *points, kind="forward", color=None):
    """An arrow along the polyline through ``points``, its head at the last point."""
    default_color, style, lw = ARROWS[kind]
    common = dict(color=color or default_color, linewidth=lw, shrinkA=0, zorder=1, capstyle="butt",
                  joinstyle="miter")
    path = MplPath(points, [MplPath.MOVETO] + [MplPath.LINETO] * (len(points) - 1))
    if style == "-":
        ax.add_patch(FancyArrowPatch(path=path, arrowstyle=HEAD, mutation_scale=HEAD_SCALE, shrinkB=0, **common))
        return
    # A broken line: draw the body broken and the head solid (on a tiny last piece), so it stays crisp.
    ax.add_patch(FancyArrowPatch(path=path, arrowstyle="-", linestyle=style, shrinkB=6, **common))
    (x0, y0), (x1, y1) = points[-2], points[-1]
    length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    before = (x1 - 0.02 * (x1 - x0) / length, y1 - 0.02 * (y1 - y0) / length)
    ax.add_patch(FancyArrowPatch(before, (x1, y1), arrowstyle=HEAD, mutation_scale=HEAD_SCALE, shrinkB=0,
                                 **common))


def legend(ax, xy, entries, row=0.62, swatch=(0.55, 0.38), size=FONT - 1):
    """Rows of coloured swatches and text, the first row's swatch centred at ``xy``."""
    x, y = xy
    for i, (edge, fill, text) in enumerate(entries):
        box(ax, (x, y - i * row), swatch, edge=edge, fill=fill, radius=0.06)
        label(ax, (x + swatch[0] / 2 + 0.25, y - i * row), text, size=size, ha="left")


def arrow_key(ax, xy, step=4.4):
    """A one-line key, starting at ``xy``: the forward arrows are muted, the gradients coloured."""
    x, y = xy
    for i, (kind, text) in enumerate([("muted", "forward pass"), ("gradient", "gradients")]):
        arrow(ax, (x + i * step, y), (x + i * step + 1.1, y), kind=kind)
        label(ax, (x + i * step + 1.35, y), text, color=TEXT[kind], size=FONT - 1, ha="left")


def gradient_label(ax, xy, text, **kwargs):
    """A label in the colour of the gradients."""
    return label(ax, xy, text, color=GRADIENT, **kwargs)


def code_label(ax, xy, text, size=FONT - 1, **kwargs):
    """A name or slice from the code (e.g. x[:, :, 0]), in a monospace font to set it apart from the math."""
    return label(ax, xy, text, size=size, family="monospace", **kwargs)


def phrase(ax, xy, pieces, size=FONT - 1, color=INK):
    """One line centred at ``xy`` from (text, is_code) pieces: text may hold mathtext, code is monospace.

    The pieces are separate labels set side by side on one baseline, a word space apart, since
    mathtext has no monospace font for code."""
    renderer = ax.figure.canvas.get_renderer()
    texts = [code_label(ax, (0, xy[1]), text, size=size, color=color, ha="left", va="baseline") if is_code
             else label(ax, (0, xy[1]), text, size=size, color=color, ha="left", va="baseline")
             for text, is_code in pieces]
    px_per_unit = DPI * UNIT
    space = 0.3 * size / 72 * DPI / px_per_unit
    widths = [text.get_window_extent(renderer).width / px_per_unit for text in texts]
    x = xy[0] - (sum(widths) + space * (len(texts) - 1)) / 2
    for text, width in zip(texts, widths):
        text.set_x(x)
        x += width + space
    return texts


# ----------------------------------------------------------------------------------------------
# Building blocks used by several figures
# ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RnnCore:
    """Where the parts of the drawn basic RNN cell are."""

    waa: Shape
    wax: Shape
    plus: Shape
    tanh: Shape
    a_out: tuple


def rnn_core(ax, kind="forward"):
    """The inside of a basic RNN cell: the two products, + b_a, tanh, with inputs and a<t> out.

    Drawn forward, the inputs and output are labelled with their shapes; drawn muted (under a
    backward pass) they are labelled by name only, and x<t> on the left, leaving room for dx<t>."""
    ink, text = ARROWS[kind][0], TEXT[kind]
    y = 4.4
    waa = box(ax, (5.2, y), (2.5, 0.95), rf"$W_{{aa}}\,${at('a', 't-1')}", edge=ink, text_color=text)
    wax = box(ax, (8.4, 2.6), (2.5, 0.95), rf"$W_{{ax}}\,${at('x')}", edge=ink, text_color=text)
    plus = node(ax, (8.4, y), "+", edge=ink)
    tanh = box(ax, (10.6, y), (1.3, 0.8), r"$\tanh$", edge=ink, text_color=text)
    arrow(ax, (1.2, y), waa.left(), kind=kind)
    arrow(ax, (8.4, 0.5), wax.bottom(), kind=kind)
    arrow(ax, waa.right(), plus.left(), kind=kind)
    arrow(ax, wax.top(), plus.bottom(), kind=kind)
    arrow(ax, (8.4, 5.9), plus.top(), kind=kind)
    label(ax, (8.4, 6.25), r"$b_a$", color=text)
    arrow(ax, plus.right(), tanh.left(), kind=kind)
    a_out = (17.0, y)
    arrow(ax, tanh.right(), a_out, kind=kind)
    forward = kind == "forward"
    shapes = SHAPES if forward else dict.fromkeys(SHAPES)
    input_label(ax, (0.3, 4.85), "a", "t-1", shapes["a"], color=text, ha="left")
    input_label(ax, (17.4, 4.85), "a", "t", shapes["a"], color=text, ha="right")
    input_label(ax, (8.75 if forward else 8.1, 0.55), "x", "t", shapes["x"], color=text,
                ha="left" if forward else "right")
    return RnnCore(waa, wax, plus, tanh, a_out)


def cell_outline(ax, left, bottom, right, top, edge=INK):
    """The light-grey rounded outline that groups the inside of one cell."""
    return box(ax, ((left + right) / 2, (bottom + top) / 2), (right - left, top - bottom),
               edge=edge, fill=CELL_FILL, radius=0.35, lw=1.2, zorder=0)


def input_label(ax, xy, name, step, shape=None, color=INK, ha="center"):
    """The label of an input or output: name<step>, followed by its shape if given."""
    text = at(name, step) if shape is None else f"{at(name, step)}  {shape}"
    return label(ax, xy, text, color=color, ha=ha)


def cell_row(ax, count, first_x, y, size=(2.0, 1.4), gap=1.5, names=None, colors=None, kind="forward",
             text_size=FONT, dy=0.0):
    """``count`` equal cell boxes in a row joined by a<t> arrows (``dy`` above the middle); their Shapes."""
    cells = []
    for i in range(count):
        edge, fill = colors[i] if colors else (ARROWS[kind][0], BOX_FILL)
        x = first_x + i * (size[0] + gap)
        text = names[i] if names else ""
        cells.append(box(ax, (x, y), size, text, edge=edge, fill=fill, text_size=text_size,
                         text_color=TEXT[kind]))
    for left, right in zip(cells, cells[1:]):
        arrow(ax, left.right(dy), right.left(dy), kind=kind)
    return cells


def numbered(symbol, k, count, last):
    """The k-th (0-based) of ``count`` inputs or outputs: plain if alone, ``last`` for the last of 3+."""
    if count == 1:
        return f"${symbol}$"
    return at(symbol, last if k == count - 1 and count > 2 else k + 1)


def small_rnn(title, steps, inputs, outputs, encoder=0, feedback=False):
    """A small unrolled RNN for the "types of RNN" figures, all drawn on one canvas size.

    ``inputs`` and ``outputs`` are the steps (0-based) that have an x or a y; the first
    ``encoder`` cells are coloured as the encoder, the others as the decoder. With
    ``feedback``, a dotted arrow feeds each output to the next cell as its input."""
    fig, ax = canvas(13.6, 7.0)
    size, gap = (1.3, 1.0), 1.05
    width = steps * size[0] + (steps - 1) * gap
    colors = [ENCODER if i < encoder else DECODER for i in range(steps)] if encoder else None
    y = 3.5
    cells = cell_row(ax, steps, 7.3 - width / 2 + size[0] / 2, y, size=size, gap=gap, colors=colors)
    first = cells[0]
    arrow(ax, (first.left()[0] - 1.2, y), first.left())
    label(ax, (first.left()[0] - 1.15, y + 0.4), at("a", "0"), ha="left", size=FONT - 1)
    for k, i in enumerate(inputs):
        arrow(ax, (cells[i].x, 1.7), cells[i].bottom())
        label(ax, (cells[i].x, 1.3), numbered("x", k, len(inputs), "T_x"), size=FONT - 1)
    for k, i in enumerate(outputs):
        arrow(ax, cells[i].top(), (cells[i].x, 5.3))
        label(ax, (cells[i].x, 5.7), numbered(r"\hat{y}", k, len(outputs), "T_y"), size=FONT - 1)
    if feedback:
        for cell, following in zip(cells, cells[1:]):
            turn = (cell.x + following.x) / 2
            dot(ax, (cell.x, 4.75))
            arrow(ax, (cell.x, 4.75), (turn, 4.75), (turn, 2.25), (following.x, 2.25), following.bottom(),
                  kind="feedback")
    if encoder:
        middle = (cells[0].x + cells[encoder - 1].x) / 2
        label(ax, (middle, 4.7), "encoder", size=FONT - 1, style="italic")
        middle = (cells[encoder].x + cells[-1].x) / 2
        label(ax, (middle, 2.1), "decoder", size=FONT - 1, style="italic")
    label(ax, (0.4, 6.55), title, ha="left", size=FONT)
    return fig


# ----------------------------------------------------------------------------------------------
# The figures
# ----------------------------------------------------------------------------------------------

FIGURES = {}


def figure(name):
    """Register a drawing function under the file name it is saved as."""
    def register(draw):
        FIGURES[name] = draw
        return draw
    return register


@figure("rnn_cell.png")
def rnn_cell():
    """One basic RNN cell: a<t> = tanh(W_aa a<t-1> + W_ax x<t> + b_a), y<t> = softmax(W_ya a<t> + b_y)."""
    fig, ax = canvas(18, 12.6)
    cell_outline(ax, 3.4, 1.3, 15.2, 10.2)
    core = rnn_core(ax)
    head = box(ax, (13.3, 6.6), (3.2, 0.95), rf"$W_{{ya}}\,${at('a')}$\,+\,b_y$")
    softmax = box(ax, (13.3, 8.6), (2.2, 0.85), "softmax")
    dot(ax, (13.3, core.a_out[1]))
    arrow(ax, (13.3, core.a_out[1]), head.bottom())
    arrow(ax, head.top(), softmax.bottom())
    arrow(ax, softmax.top(), (13.3, 11.4))
    input_label(ax, (13.3, 11.9), r"\hat{y}", "t", SHAPES["y"])
    label(ax, (3.7, 9.75), "RNN cell", size=FONT - 1, ha="left", style="italic")
    return fig


@figure("rnn_unrolled.png")
def rnn_unrolled():
    """The RNN unrolled over T_x = 4 steps, one set of parameters shared by every cell.

    Steps are numbered <1>..<4> as in the math; in monospace beside each input and state is where
    the code keeps it: the array index is the step minus one, and a<0> is a0, not part of ``a``."""
    fig, ax = canvas(19, 9.4)
    y, size, gap = 4.9, (1.8, 1.5), 2.3
    cells = cell_row(ax, 4, 2.4 + size[0] / 2, y, size=size, gap=gap,
                     names=[f"RNN cell\n{step_name(i)}" for i in range(1, 5)], text_size=FONT - 1)
    first, last = cells[0], cells[-1]
    arrow(ax, (0.5, y), first.left())
    label(ax, (0.55, y + 0.4), at("a", "0"), ha="left")
    code_label(ax, (0.55, y - 0.4), "a0", ha="left", size=FONT - 2)
    arrow(ax, last.right(), (18.6, y))
    label(ax, (18.55, y + 0.4), at("a", "4"), ha="right")
    code_label(ax, (18.55, y - 0.4), sliced("a", 3), ha="right", size=FONT - 2)
    for i, cell in enumerate(cells):
        arrow(ax, (cell.x, 2.6), cell.bottom())
        label(ax, (cell.x, 2.2), at("x", i + 1))
        code_label(ax, (cell.x, 1.7), sliced("x", i), size=FONT - 2)
        arrow(ax, cell.top(), (cell.x, 7.2))
        label(ax, (cell.x, 7.65), at(r"\hat{y}", i + 1))
    for i, (left, right) in enumerate(zip(cells, cells[1:])):
        middle = (left.x + right.x) / 2
        label(ax, (middle, y + 0.4), at("a", i + 1))
        code_label(ax, (middle, y - 0.4), sliced("a", i), size=FONT - 2)
    label(ax, (9.5, 8.75), r"$T_x = 4$ time steps, one cell applied at each step", size=FONT - 1)
    label(ax, (9.5, 0.95), r"every cell uses the same parameters $W_{ax}$, $W_{aa}$, $W_{ya}$, $b_a$, $b_y$",
          size=FONT - 1)
    label(ax, (9.5, 0.4), "in monospace: where the code keeps each value (array index = step − 1)",
          size=FONT - 1)
    return fig


@figure("lstm_cell.png")
def lstm_cell():
    """One LSTM cell: four gates on [a<t-1>; x<t>], the cell state along the top, a<t> and y<t>."""
    fig, ax = canvas(18, 15.4)
    y_state, y_mix, y_gate, y_bus, y_out = 13.8, 11.2, 8.6, 6.4, 5.3
    cell_outline(ax, 2.0, 4.6, 15.0, 14.6)
    label(ax, (2.3, 14.2), "LSTM cell", size=FONT - 1, ha="left", style="italic")
    # Input: a<t-1> and x<t> stacked, then a bus feeding the four gates.
    stack = box(ax, (3.9, y_bus), (2.9, 0.95), rf"$[a^{{\langle t-1 \rangle}};\, x^{{\langle t \rangle}}]$")
    arrow(ax, (0.4, y_bus), stack.left())
    input_label(ax, (0.3, y_bus + 0.42), "a", "t-1", ha="left")
    arrow(ax, (3.9, 3.6), stack.bottom())
    input_label(ax, (4.15, 3.85), "x", "t", ha="left")
    gates = {}
    specs = [("forget", 6.4, r"$\Gamma_f$"), ("update", 8.6, r"$\Gamma_u$"),
             ("candidate", 11.2, at(r"\tilde{c}")), ("output", 13.4, r"$\Gamma_o$")]
    line(ax, stack.right(), (specs[-1][1], y_bus))
    for role, x, symbol in specs:
        edge, fill = GATES[role]
        squash = r"$\tanh$" if role == "candidate" else r"$\sigma$"
        gates[role] = box(ax, (x, y_gate), (1.6, 1.35), f"{symbol}\n{squash}", edge=edge, fill=fill, lw=1.8)
        dot(ax, (x, y_bus))
        arrow(ax, (x, y_bus), gates[role].bottom())
    forget, update, candidate, output = (gates[role] for role in GATES)
    # The cell state: keep part of c<t-1>, add part of the candidate.
    keep = node(ax, (forget.x, y_state), r"$\odot$")
    add = node(ax, (9.9, y_state), "+")
    write = node(ax, (9.9, y_mix), r"$\odot$")
    arrow(ax, (0.4, y_state), keep.left())
    input_label(ax, (0.3, y_state + 0.42), "c", "t-1", ha="left")
    arrow(ax, forget.top(), keep.bottom(), color=GATES["forget"][0])
    arrow(ax, keep.right(), add.left())
    arrow(ax, update.top(), (update.x, y_mix), write.left(), color=GATES["update"][0])
    arrow(ax, candidate.top(), (candidate.x, y_mix), write.right(), color=GATES["candidate"][0])
    arrow(ax, write.top(), add.bottom())
    arrow(ax, add.right(), (17.6, y_state))
    input_label(ax, (17.6, y_state + 0.42), "c", "t", ha="right")
    # The output: show part of tanh(c<t>), then the prediction.
    squash = box(ax, (14.4, 12.45), (1.25, 0.75), r"$\tanh$")
    show = node(ax, (14.4, 10.9), r"$\odot$")
    dot(ax, (14.4, y_state))
    arrow(ax, (14.4, y_state), squash.top())
    arrow(ax, squash.bottom(), show.top())
    arrow(ax, output.top(), (output.x, show.y), show.left(), color=GATES["output"][0])
    arrow(ax, show.bottom(), (14.4, y_out), (17.6, y_out))
    input_label(ax, (17.6, y_out - 0.45), "a", "t", ha="right")
    softmax = box(ax, (16.4, 8.2), (1.9, 0.8), "softmax", text_size=FONT - 1)
    dot(ax, (16.4, y_out))
    arrow(ax, (16.4, y_out), softmax.bottom())
    arrow(ax, softmax.top(), (16.4, 10.5))
    label(ax, (16.4, 10.95), at(r"\hat{y}"))
    legend(ax, (0.9, 2.75), [
        (*GATES["forget"], r"$\Gamma_f$  forget gate: how much of $c^{\langle t-1 \rangle}$ to keep"),
        (*GATES["update"], r"$\Gamma_u$  update gate: how much of the candidate to write"),
        (*GATES["candidate"], at(r"\tilde{c}") + "  candidate: the new values that could be written"),
        (*GATES["output"], r"$\Gamma_o$  output gate: how much of the cell to show"),
    ])
    return fig


@figure("rnn_cell_backward.png")
def rnn_cell_backward():
    """The backward pass through one RNN cell: da_next in from the right, the gradients out."""
    fig, ax = canvas(18, 10.6)
    cell_outline(ax, 3.4, 1.3, 15.2, 7.7, edge=MUTED)
    core = rnn_core(ax, kind="muted")
    plus, waa, wax, d = core.plus, core.waa, core.wax, GAP
    rim = (plus.w ** 2 / 4 - d ** 2) ** 0.5  # where a line at distance d from the centre meets the circle
    # Into the cell, through tanh, into the sum.
    arrow(ax, (17.0, plus.y - d), core.tanh.right(-d), kind="gradient")
    gradient_label(ax, (17.4, 3.65), r"$da_{\mathrm{next}}$", ha="right")
    arrow(ax, core.tanh.left(-d), (plus.x + rim, plus.y - d), kind="gradient")
    gradient_label(ax, (9.25, 3.6), r"$dz = da_{\mathrm{next}} \odot (1 - (a^{\langle t \rangle})^2)$", ha="left")
    # Out of the sum: to the two products and to the bias.
    arrow(ax, (plus.x - rim, plus.y + d), waa.right(d), kind="gradient")
    arrow(ax, (plus.x - d, plus.y - rim), wax.top(-d), kind="gradient")
    arrow(ax, (plus.x + d, plus.y + rim), (plus.x + d, 5.9), kind="gradient")
    gradient_label(ax, (8.95, 6.05), r"$db_a = \sum_{\mathrm{batch}}\, dz$", ha="left")
    gradient_label(ax, (8.95, 5.3), r"shape $(n_a, 1)$: keep the column", ha="left", size=FONT - 2)
    # Out of the products: to the inputs and to the weights.
    arrow(ax, waa.left(-d), (1.2, plus.y - d), kind="gradient")
    gradient_label(ax, (0.3, 3.6), r"$da_{\mathrm{prev}} = W_{aa}^{\top}\, dz$", ha="left")
    arrow(ax, waa.top(), (waa.x, 6.4), kind="gradient")
    gradient_label(ax, (waa.x, 6.8), r"$dW_{aa} = dz\,(a^{\langle t-1 \rangle})^{\top}$")
    arrow(ax, wax.bottom(d), (wax.x + d, 0.5), kind="gradient")
    gradient_label(ax, (wax.x + 0.5, 0.55), r"$dx^{\langle t \rangle} = W_{ax}^{\top}\, dz$", ha="left")
    arrow(ax, wax.left(), (5.7, wax.y), kind="gradient")
    gradient_label(ax, (5.55, wax.y), r"$dW_{ax} = dz\,(x^{\langle t \rangle})^{\top}$", ha="right")
    arrow_key(ax, (9.4, 9.8))
    return fig


@figure("rnn_backward_through_time.png")
def rnn_backward_through_time():
    """Backpropagation through time over T_x = 4 steps, last step first.

    The cells are the steps <1>..<4> of the math; the gradients going in and out are labelled with
    the code's slices, whose index is the step minus one (step <1> takes da[:, :, 0])."""
    fig, ax = canvas(19, 13.0)
    y, d = 6.2, 0.35
    cells = cell_row(ax, 4, 3.6, y, size=(2.4, 1.7), gap=1.8, names=[step_name(i) for i in range(1, 5)],
                     kind="muted", dy=d)
    first, last = cells[0], cells[-1]
    arrow(ax, (0.6, y + d), first.left(d), kind="muted")
    label(ax, (0.65, y + d + 0.4), at("a", "0"), color=MUTED_TEXT, ha="left")
    arrow(ax, last.right(d), (18.6, y + d), kind="muted")
    label(ax, (18.55, y + d + 0.4), at("a", "4"), color=MUTED_TEXT, ha="right")
    for i, (left, right) in enumerate(zip(cells, cells[1:]), start=1):
        label(ax, ((left.x + right.x) / 2, y + d + 0.4), at("a", i), color=MUTED_TEXT)
    # Gradients along the chain: each cell hands da_prev to the one before it.
    arrow(ax, (18.6, y - d), last.right(-d), kind="gradient")
    gradient_label(ax, (18.55, y - d - 0.45), "zeros", ha="right", size=FONT - 1)
    for right, left in zip(cells[1:], cells):
        arrow(ax, right.left(-d), left.right(-d), kind="gradient")
        gradient_label(ax, ((left.x + right.x) / 2, y - d - 0.45), r"$da_{\mathrm{prev}}$", size=FONT - 1)
    arrow(ax, first.left(-d), (0.6, y - d), kind="gradient")
    gradient_label(ax, (0.65, y - d - 0.45), r"$da_0$", ha="left")
    # Into each cell from above, out of each cell below: the code's slices, index = step - 1.
    total = 2.5
    for i, cell in enumerate(cells):
        arrow(ax, (cell.x, 8.8), cell.top(), kind="gradient")
        code_label(ax, (cell.x, 9.2), sliced("da", i), color=GRADIENT)
        arrow(ax, cell.bottom(-0.6), (cell.x - 0.6, 4.1), kind="gradient")
        code_label(ax, (cell.x - 0.6, 3.7), sliced("dx", i), color=GRADIENT)
        arrow(ax, cell.bottom(0.85), (cell.x + 0.85, total + 0.6), kind="gradient")
    steps = r"\sum_{t=1}^{T_x}"  # over the steps <1>..<T_x>
    box(ax, (10.5, total), (15.6, 1.2),
        rf"$dW_{{ax}} = {steps} dW_{{ax}}^{{\langle t \rangle}}, \quad "
        rf"dW_{{aa}} = {steps} dW_{{aa}}^{{\langle t \rangle}}, \quad "
        rf"db_a = {steps} db_a^{{\langle t \rangle}}$", edge=GRADIENT, text_color=GRADIENT)
    label(ax, (9.6, 12.3), r"loop order: steps $\langle T_x \rangle, \ldots, \langle 2 \rangle, \langle 1 \rangle$"
          r"  (array index $T_x - 1, \ldots, 1, 0$)", size=FONT - 1)
    arrow(ax, (16.8, 11.65), (2.4, 11.65))
    rule = sliced("da", "t-1")
    phrase(ax, (9.6, 10.75), [(r"step $\langle t \rangle$ is given", False), (rule, True),
                              (r"+ $da_{\mathrm{prev}}$ from step $\langle t+1 \rangle$", False)], color=GRADIENT)
    phrase(ax, (9.6, 10.1), [(rule, True), (rf"is the gradient on {at('a')} from the layers above it", False)],
           color=GRADIENT)
    arrow_key(ax, (6.2, 0.8))
    return fig


@figure("rnn_many_to_one.png")
def rnn_many_to_one():
    """Many-to-one: an input at every step, a single output after the last step."""
    return small_rnn("many-to-one", steps=4, inputs=range(4), outputs=[3])


@figure("rnn_many_to_many_equal.png")
def rnn_many_to_many_equal():
    """Many-to-many with T_y = T_x: an output at every step."""
    return small_rnn(r"many-to-many, $T_y = T_x$", steps=4, inputs=range(4), outputs=range(4))


@figure("rnn_many_to_many_unequal.png")
def rnn_many_to_many_unequal():
    """Many-to-many with T_y != T_x: an encoder reads the inputs, then a decoder writes the outputs."""
    return small_rnn(r"many-to-many, $T_y \neq T_x$", steps=5, inputs=range(3), outputs=[3, 4], encoder=3)


@figure("rnn_one_to_many.png")
def rnn_one_to_many():
    """One-to-many: one input at the first step; each output is fed back as the next input."""
    return small_rnn("one-to-many", steps=4, inputs=[0], outputs=range(4), feedback=True)


# ----------------------------------------------------------------------------------------------
# Writing and checking the files
# ----------------------------------------------------------------------------------------------

def style():
    """The fixed matplotlib settings every figure is drawn and saved under (a context manager)."""
    return matplotlib.style.context(["default", STYLE])


def render_all(folder):
    """Write every figure into ``folder`` (created if needed); return the written paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    with style():
        for name, draw in FIGURES.items():
            path = folder / name
            draw().savefig(path, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
            paths.append(path)
    return paths


def stale_files(folder=IMAGES):
    """The names of the images in ``folder`` that differ from a fresh render, are missing or extra."""
    folder = Path(folder)
    with tempfile.TemporaryDirectory() as scratch:
        fresh = {path.name: path.read_bytes() for path in render_all(scratch)}
    committed = {path.name for path in folder.glob("*")} if folder.is_dir() else set()
    stale = [name for name, data in fresh.items()
             if name not in committed or (folder / name).read_bytes() != data]
    return sorted(stale + [name for name in committed if name not in fresh])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="compare the committed images with a fresh render instead of writing")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        if stale:
            print(f"stale images in {IMAGES} (rerun python -m course_tools.figures): {', '.join(stale)}")
            return 1
        print(f"all {len(FIGURES)} images in {IMAGES} are up to date")
        return 0
    for path in render_all(IMAGES):
        print(f"wrote {path}")
    extra = sorted(path.name for path in IMAGES.iterdir() if path.name not in FIGURES)
    if extra:
        print(f"not made here, remove them or add their figure: {', '.join(extra)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

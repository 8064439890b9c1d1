"""The drawing kit of the assignments' figure scripts (``source/<id>/instructor/figures.py``).

A figure script draws each figure with the helpers here (matplotlib patches, arrows and mathtext,
or an ordinary matplotlib plot on ``canvas``), registers it with the ``figure`` decorator of its
``registry()``, and ``python -m course_tools.figures`` saves it as a PNG under ``style()``.

Figures are laid out in "units" of half an inch (50 px at the fixed dpi of 100): a canvas
``width`` units wide is ``50 * width`` pixels wide. Every figure has an opaque white background,
dark ink and a thin light-grey border, so it reads in light and dark notebook themes alike.

Colours: Okabe-Ito (colour-blind safe) for everything that carries meaning, each with a light
fill to go with it; greys for ink, muted parts and borders.
"""
import io
from dataclasses import dataclass

import matplotlib.style
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path as MplPath

DPI = 100
UNIT = 0.5  # inches per layout unit
FONT = 13  # points: about 13 px tall when a 9-inch figure is shown 800 px wide

INK = "#222222"
MUTED = "#a8a8a8"  # e.g. the forward arrows under a backward pass
MUTED_TEXT = "#767676"  # their labels: still 4.5:1 against white
BORDER = "#c8c8c8"
CELL_FILL = "#f3f3f3"
BOX_FILL = "#ffffff"
GRADIENT = "#c05000"  # Okabe-Ito vermillion, a shade darker so its text reads (4.8:1 on white)
OKABE_ITO = {  # edge colour, light fill
    "blue": ("#0072b2", "#d5e8f4"),
    "green": ("#009e73", "#d2efe6"),  # bluish green
    "orange": ("#e69f00", "#fbecc9"),
    "purple": ("#cc79a7", "#f5e0ec"),  # reddish purple
}

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
    "thin dashed": (INK, (0, (3, 2.5)), 1.2),
}
TEXT = {"forward": INK, "muted": MUTED_TEXT, "gradient": GRADIENT}  # label colour per kind
HEAD = "-|>,head_length=0.55,head_width=0.3"
HEAD_SCALE = 16


def at(symbol, step="t"):
    """Mathtext for ``symbol`` at time step ``step``, e.g. at("a", "t-1") for a<t-1>."""
    return rf"${symbol}^{{\langle {step} \rangle}}$"


def step_name(k):
    """The name of time step ``k`` (numbered from 1 as in the math), e.g. step_name(1) for "step <1>"."""
    return rf"step $\langle {k} \rangle$"


# ----------------------------------------------------------------------------------------------
# Drawing helpers
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


def bend(ax, start, end, turn, color=INK, lw=1.6, rounding=0.35):
    """A solid arrow from ``start`` that runs to the right up to x = ``turn``, goes straight up or
    down there (corners rounded by ``rounding`` units), and comes into ``end`` from the left."""
    (_, y0), (_, y1) = start, end
    r = rounding if y1 < y0 else -rounding
    points = [start, (turn - abs(r), y0), (turn, y0), (turn, y0 - r), (turn, y1 + r), (turn, y1),
              (turn + abs(r), y1), end]
    codes = [MplPath.MOVETO, MplPath.LINETO, MplPath.CURVE3, MplPath.CURVE3, MplPath.LINETO, MplPath.CURVE3,
             MplPath.CURVE3, MplPath.LINETO]
    ax.add_patch(FancyArrowPatch(path=MplPath(points, codes), arrowstyle=HEAD, mutation_scale=HEAD_SCALE,
                                 shrinkA=0, shrinkB=0, color=color, linewidth=lw, zorder=1, capstyle="butt",
                                 joinstyle="round"))


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
# Building blocks of recurrent diagrams
# ----------------------------------------------------------------------------------------------

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


# ----------------------------------------------------------------------------------------------
# Registering and saving figures
# ----------------------------------------------------------------------------------------------

def registry():
    """A figure script's ``FIGURES`` ({file name: function drawing it}, in the order registered)
    and the decorator ``@figure(file_name)`` that registers a function returning a Figure."""
    figures = {}

    def figure(name):
        def register(draw):
            figures[name] = draw
            return draw
        return register
    return figures, figure


def style():
    """The fixed matplotlib settings every figure is drawn and saved under (a context manager)."""
    return matplotlib.style.context(["default", STYLE])


def png(fig):
    """``fig`` as PNG bytes: the same from run to run (fixed dpi, white, no software stamp)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()


def render(figures):
    """Every figure of ``figures`` ({file name: draw function}) drawn and saved: {file name: PNG bytes}."""
    with style():
        return {name: png(draw()) for name, draw in figures.items()}

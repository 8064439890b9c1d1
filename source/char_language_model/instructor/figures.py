"""Draw the notebook's diagrams: ``python -m course_tools.figures char_language_model``.

Every figure is an original drawing made here, with the kit's drawing helpers
(``course_tools.drawing``: units, colours, background) and fixed, hand-chosen values, and is
written as a PNG into this assignment's ``images/``; ``python -m course_tools.figures --check``
says whether the committed images are those a fresh render gives.

Characters are shown in monospace, END ("\\n", which ends every name and also stands before its
first letter) as ``\\n``. Time steps are numbered from 1 as in the math; a<0> = 0.
"""
from pathlib import Path

from course_tools.drawing import (FONT, INK, MUTED_TEXT, OKABE_ITO, arrow, at, bend, box, canvas, cell_row, code_label,
                                  label, registry)

IMAGES = Path(__file__).resolve().parent.parent / "images"
FIGURES, figure = registry()

ALPHABET = "\n" + "abcdefghijklmnopqrstuvwxyz"  # the 27 characters, END first as the corpus sorts them
INPUT = OKABE_ITO["blue"]
TARGET = OKABE_ITO["orange"]
DRAWN = OKABE_ITO["green"]
CLIP_AT = 5


def shown(character):
    """A character as a box shows it: END as \\n."""
    return r"\n" if character == "\n" else character


def character_box(ax, xy, character, colors, size=(0.9, 0.8)):
    """A small box holding one character in monospace; returns its Shape."""
    shape = box(ax, xy, size, edge=colors[0], fill=colors[1], radius=0.1)
    code_label(ax, xy, shown(character), size=FONT + 1, zorder=3)
    return shape


def distribution(ax, xy, target, heights, width=1.5, height=1.1):
    """A small bar chart of a softmax over the 27 characters, its baseline centred at ``xy``; the
    bar of ``target`` is drawn in the target colour. ``heights``: 27 fixed numbers, the largest 1."""
    x0, y0 = xy[0] - width / 2, xy[1]
    pitch = width / len(ALPHABET)
    for i, (character, h) in enumerate(zip(ALPHABET, heights)):
        color = TARGET[0] if character == target else "#9ab8cc"
        ax.fill_between([x0 + i * pitch + 0.008, x0 + (i + 1) * pitch - 0.008], y0, y0 + h * height,
                        color=color, linewidth=0, zorder=2)
    ax.plot([x0 - 0.05, x0 + width + 0.05], [y0, y0], color=INK, linewidth=1.0, zorder=3)


def predicted(target, step):
    """27 fixed bar heights for a cartoon softmax at ``step`` that favours ``target``."""
    heights = [0.08 + 0.22 * ((5 * i + 3 * step) % 7) / 6 for i in range(len(ALPHABET))]
    heights[ALPHABET.index(target)] = 1.0
    heights[(ALPHABET.index(target) + 9 + 4 * step) % len(ALPHABET)] = 0.55
    return heights


def read_row(ax, inputs, first, pitch, cell_y, start):
    """The unrolled cells reading ``inputs`` (one character box each, below its cell), joined by
    a<t> and fed a<0> = 0 from x = ``start``; returns the cells' Shapes."""
    cells = cell_row(ax, len(inputs), first, cell_y, size=(1.75, 1.2), gap=pitch - 1.75,
                     names=["RNN cell"] * len(inputs), text_size=FONT - 1)
    arrow(ax, (start, cell_y), cells[0].left())
    label(ax, (start + 0.05, cell_y + 0.42), at("a", "0") + r"$\,=\,0$", ha="left", size=FONT - 1)
    for k, left in enumerate(cells[:-1], start=1):
        label(ax, (left.right()[0] + 0.1, cell_y + 0.4), at("a", k), ha="left", size=FONT - 1)
    for k, (cell, character) in enumerate(zip(cells, inputs), start=1):
        source = character_box(ax, (cell.x, 2.5), character, INPUT)
        label(ax, (cell.x, 1.6), at("x", k), size=FONT - 1)
        arrow(ax, source.top(), cell.bottom())
    return cells


@figure("char_model.png")
def char_model():
    """The RNN reading "trex": inputs \\n t r e x, targets t r e x \\n, one step apart."""
    name = "trex"
    inputs, targets = "\n" + name, name + "\n"
    fig, ax = canvas(18, 12.4)
    cells = read_row(ax, inputs, first=4.2, pitch=3.15, cell_y=5.0, start=1.2)
    for k, (cell, target) in enumerate(zip(cells, targets), start=1):
        x = cell.x
        arrow(ax, cell.top(), (x, 7.1))
        label(ax, (x - 0.12, 6.45), at(r"\hat{y}", k), ha="right", size=FONT - 1)
        distribution(ax, (x, 7.25), target, predicted(target, k))
        goal = character_box(ax, (x, 10.0), target, TARGET)
        label(ax, (x, 10.95), at("y", k), size=FONT - 1)
        if k < len(cells):
            arrow(ax, goal.right(-0.25), (cells[k].x - 0.45, 2.75), kind="thin dashed", color=MUTED_TEXT)
    label(ax, (0.35, 11.8), r"reading the name “trex”: at each step the same cell predicts $\hat{y}^{\langle t \rangle}$, "
          "a softmax over 27 characters", ha="left", size=FONT - 1)
    arrow(ax, (0.5, 0.6), (1.6, 0.6), kind="thin dashed", color=MUTED_TEXT)
    label(ax, (1.85, 0.6), "the next input is this step's target", ha="left", size=FONT - 1)
    box(ax, (10.9, 0.6), (0.45, 0.35), edge=TARGET[0], fill=TARGET[0], radius=0.03)
    label(ax, (11.3, 0.6), r"in $\hat{y}^{\langle t \rangle}$: the target's probability", ha="left",
          size=FONT - 1)
    return fig


@figure("sampling.png")
def sampling():
    """Generating a name: each step draws a character from its softmax and feeds it in next, until END."""
    drawn = ["b", "o", "r", "\n"]
    inputs = ["\n"] + drawn[:-1]
    fig, ax = canvas(17, 11.4)
    cells = read_row(ax, inputs, first=3.7, pitch=3.8, cell_y=4.6, start=0.5)
    for k, (cell, out) in enumerate(zip(cells, drawn), start=1):
        x = cell.x
        draw = box(ax, (x, 7.0), (2.75, 1.2))
        label(ax, (x, 7.25), r"draw from " + at(r"\hat{y}", k), size=FONT - 1)
        code_label(ax, (x, 6.75), "rng.choice", size=FONT - 1)
        arrow(ax, cell.top(), draw.bottom())
        result = character_box(ax, (x, 9.1), out, DRAWN)
        arrow(ax, draw.top(), result.bottom())
        if k < len(cells):
            bend(ax, result.right(), (cells[k].x - 0.45, 2.5), (x + cells[k].x) / 2, color=DRAWN[0], rounding=0.5)
    last = cells[-1]
    label(ax, (last.x + 0.6, 9.1), "END:\nstop", ha="left", size=FONT - 1, linespacing=1.1)
    label(ax, (0.35, 10.85), r"generating the name “bor”: start from $x^{\langle 1 \rangle}$ = END, "
          r"$a^{\langle 0 \rangle} = 0$; stop when END is drawn", ha="left", size=FONT - 1)
    arrow(ax, (0.5, 0.6), (1.6, 0.6), color=DRAWN[0])
    label(ax, (1.85, 0.6), "the drawn character, one-hot, is the next step's input", ha="left", size=FONT - 1)
    return fig


@figure("clipping.png")
def clipping():
    """One gradient's entries before and after clipping every entry to [-maxValue, maxValue] = [-5, 5]."""
    before = [3.2, -7.5, 1.1, 6.4, -2.6, 9.3, -4.4, 0.6, -5.8, 4.1, 11.0, -1.7]
    after = [max(-CLIP_AT, min(CLIP_AT, value)) for value in before]
    fig, _ = canvas(14, 8.6)
    plot = fig.add_axes((0.1, 0.15, 0.7, 0.72))
    entries = range(len(before))
    plot.bar(entries, before, width=0.7, color=INPUT[1], edgecolor=INPUT[0], linewidth=1.0, linestyle=(0, (3, 2)),
             label="before clipping", zorder=2)
    plot.bar(entries, after, width=0.7, color=INPUT[0], edgecolor=INPUT[0], linewidth=1.2,
             label=f"after clipping at ±{CLIP_AT}", zorder=3)
    for value, name in ((CLIP_AT, "maxValue"), (-CLIP_AT, "−maxValue")):
        plot.axhline(value, color=INK, linewidth=1.2, linestyle=(0, (4, 2.5)), zorder=4)
        plot.text(len(before) - 0.25, value, name, ha="left", va="center", fontsize=FONT - 1, clip_on=False)
    plot.axhline(0, color=INK, linewidth=0.8, zorder=4)
    plot.set_xlim(-0.6, len(before) - 0.4)
    plot.set_ylim(-9, 12)
    plot.set_xticks(list(entries))
    plot.set_yticks([-5, 0, 5, 10])
    plot.spines[["top", "right"]].set_visible(False)
    plot.set_xlabel("entry of the gradient", fontsize=FONT - 1)
    plot.set_ylabel("value", fontsize=FONT - 1)
    plot.tick_params(labelsize=FONT - 1)
    plot.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, fontsize=FONT - 1, frameon=False,
                borderaxespad=0.3)
    return fig

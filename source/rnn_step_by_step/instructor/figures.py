"""Draw the notebook's diagrams: ``python -m course_tools.figures rnn_step_by_step``.

Every figure is an original drawing made here with matplotlib patches, arrows and mathtext, with
the kit's drawing helpers (``course_tools.drawing``: units, colours, background), and is written
as a PNG into this assignment's ``images/``; ``python -m course_tools.figures --check`` says
whether the committed images are those a fresh render gives.

Time steps are numbered as in the math, <1>..<T_x>, with a<0> = a0 the initial state. Where a
figure also shows the code's arrays (in monospace), their time index is one less: x[:, :, t-1]
holds x<t>, a[:, :, t-1] holds a<t>, da[:, :, t-1] is the gradient on a<t>; a0 is not in ``a``.
"""
from dataclasses import dataclass
from pathlib import Path

from course_tools.drawing import (ARROWS, FONT, GRADIENT, MUTED, MUTED_TEXT, OKABE_ITO, TEXT, Shape, arrow,
                                  arrow_key, at, box, canvas, cell_outline, cell_row, code_label, dot,
                                  gradient_label, input_label, label, legend, line, node, phrase, registry,
                                  step_name)

IMAGES = Path(__file__).resolve().parent.parent / "images"
FIGURES, figure = registry()

GATES = {  # edge colour, light fill
    "forget": OKABE_ITO["blue"],
    "update": OKABE_ITO["green"],
    "candidate": OKABE_ITO["orange"],
    "output": OKABE_ITO["purple"],
}
ENCODER = OKABE_ITO["blue"]
DECODER = OKABE_ITO["orange"]
GAP = 0.25  # between a forward arrow and the gradient arrow running beside it


def sliced(array, index):
    """The code's slice of ``array`` at time index ``index`` (0-based: it holds step <index + 1>)."""
    return f"{array}[:, :, {index}]"


SHAPES = {"x": r"$(n_x, m)$", "a": r"$(n_a, m)$", "y": r"$(n_y, m)$"}


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

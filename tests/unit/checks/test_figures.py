"""The committed diagrams are exactly what the assignment's instructor/figures.py draws, and they
look sane."""
import itertools

import matplotlib.image
import numpy as np
import pytest

from tests.support.rnn_assignment import RNN

FIGURE_SCRIPT = RNN.instructor_module("figures")
FIGURES, IMAGES, render_all, style = (FIGURE_SCRIPT.FIGURES, FIGURE_SCRIPT.IMAGES, FIGURE_SCRIPT.render_all,
                                      FIGURE_SCRIPT.style)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """Every figure rendered anew into a scratch folder: {file name: path}."""
    return {path.name: path for path in render_all(tmp_path_factory.mktemp("figures"))}


def test_the_images_folder_holds_exactly_the_generated_figures(fresh):
    assert sorted(path.name for path in IMAGES.iterdir()) == sorted(fresh), \
        "run python -m course_tools.figures (and remove images it does not make)"


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_committed_image_equals_a_fresh_render(fresh, name):
    committed = IMAGES / name
    assert committed.is_file(), f"{committed} is missing: run python -m course_tools.figures"
    assert committed.read_bytes() == fresh[name].read_bytes(), \
        f"{committed} is stale: run python -m course_tools.figures"


def test_rendering_is_byte_identical_from_run_to_run(fresh, tmp_path):
    for path in render_all(tmp_path):
        assert path.read_bytes() == fresh[path.name].read_bytes(), path.name


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_image_opens_with_a_sensible_size_opaque_white_and_not_blank(fresh, name):
    pixels = matplotlib.image.imread(fresh[name])
    height, width = pixels.shape[:2]
    assert 500 <= width <= 2000 and 250 <= height <= 2000, (width, height)
    if pixels.shape[2] == 4:
        assert np.all(pixels[..., 3] == 1.0), "the background must be opaque"
    gray = pixels[..., :3].mean(axis=2)
    assert (gray < 0.5).sum() > 500, "no dark ink or lines"
    assert (gray > 0.95).mean() > 0.5, "the background should be mostly white"
    assert gray[height // 2, 0] < 0.9 and gray[0, width // 2] < 0.9, "the thin light-grey border is missing"


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_no_two_labels_overlap_and_all_lie_inside(name):
    with style():
        fig = FIGURES[name]()
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        texts = [(text.get_text(), text.get_window_extent(renderer))
                 for ax in fig.axes for text in ax.texts if text.get_text()]
    inside = fig.bbox.padded(-4)
    for text, extent in texts:
        assert inside.contains(extent.x0, extent.y0) and inside.contains(extent.x1, extent.y1), \
            f"{text!r} runs off the figure"
    for (first, a), (second, b) in itertools.combinations(texts, 2):
        assert not a.overlaps(b), f"{first!r} overlaps {second!r}"

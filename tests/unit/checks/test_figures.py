"""The committed diagrams of every assignment with a figure script (instructor/figures.py) are
exactly what the script draws, and they look sane."""
import io
import itertools

import matplotlib.image
import numpy as np
import pytest

from course_tools.drawing import render, style
from course_tools.figures import ids_with_figures, load_script, stale_files

ASSIGNMENTS = ids_with_figures()
CASES = [(assignment_id, name) for assignment_id in ASSIGNMENTS for name in load_script(assignment_id).FIGURES]


def test_the_kit_draws_figures():
    assert ASSIGNMENTS, "no assignment has instructor/figures.py"


@pytest.fixture(scope="module")
def fresh():
    """Every figure of every assignment rendered anew: {assignment id: {file name: PNG bytes}}."""
    return {assignment_id: render(load_script(assignment_id).FIGURES) for assignment_id in ASSIGNMENTS}


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_the_images_folder_holds_exactly_the_generated_figures(fresh, assignment_id):
    images = load_script(assignment_id).IMAGES
    assert sorted(path.name for path in images.iterdir()) == sorted(fresh[assignment_id]), \
        f"run python -m course_tools.figures {assignment_id} (and remove images it does not make)"


@pytest.mark.parametrize("assignment_id, name", CASES)
def test_committed_image_equals_a_fresh_render(fresh, assignment_id, name):
    committed = load_script(assignment_id).IMAGES / name
    assert committed.is_file(), f"{committed} is missing: run python -m course_tools.figures {assignment_id}"
    assert committed.read_bytes() == fresh[assignment_id][name], \
        f"{committed} is stale: run python -m course_tools.figures {assignment_id}"


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_rendering_is_byte_identical_from_run_to_run(fresh, assignment_id):
    again = render(load_script(assignment_id).FIGURES)
    for name, data in again.items():
        assert data == fresh[assignment_id][name], name


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_the_check_names_a_stale_a_missing_and_an_extra_image(tmp_path, fresh, assignment_id):
    script = load_script(assignment_id)
    first, *rest = sorted(fresh[assignment_id])
    (tmp_path / first).write_bytes(b"not the figure")
    for name in rest[1:]:
        (tmp_path / name).write_bytes(fresh[assignment_id][name])
    (tmp_path / "extra.png").write_bytes(b"")
    assert stale_files(script, tmp_path) == sorted([first, *rest[:1], "extra.png"])


@pytest.mark.parametrize("assignment_id, name", CASES)
def test_image_opens_with_a_sensible_size_opaque_white_and_not_blank(fresh, assignment_id, name):
    pixels = matplotlib.image.imread(io.BytesIO(fresh[assignment_id][name]), format="png")
    height, width = pixels.shape[:2]
    assert 500 <= width <= 2000 and 250 <= height <= 2000, (width, height)
    if pixels.shape[2] == 4:
        assert np.all(pixels[..., 3] == 1.0), "the background must be opaque"
    gray = pixels[..., :3].mean(axis=2)
    assert (gray < 0.5).sum() > 500, "no dark ink or lines"
    assert (gray > 0.95).mean() > 0.5, "the background should be mostly white"
    assert gray[height // 2, 0] < 0.9 and gray[0, width // 2] < 0.9, "the thin light-grey border is missing"


@pytest.mark.parametrize("assignment_id, name", CASES)
def test_no_two_labels_overlap_and_all_lie_inside(assignment_id, name):
    with style():
        fig = load_script(assignment_id).FIGURES[name]()
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

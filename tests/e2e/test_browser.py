"""The notebook as a student sees it: a real JupyterLab (and Notebook 7) server on loopback,
driven by headless Chromium (Debian's package, through Playwright's Python client).

Every cell is run one at a time, as a student would with Shift+Enter; screenshots are saved
under test-output/browser/ (those of the second assignment, char_language_model, named "lm-...").
"""
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from course_tools.scratch import IGNORE
from course_tools.submissions import answers_from_file
from tests.support.chromium import needs_chromium
from tests.support.expected import BEN_WRONG
from tests.support.lm_assignment import LM, LM_BEN_WRONG, LM_SAMPLES_DIR, lm_filled
from tests.support.markers import BROWSER
from tests.support.ports import free_port
from tests.support.rnn_assignment import ASSIGNMENT, EXERCISES, RELEASE_DIR, ROOT, SAMPLES_DIR, SOURCE_DIR, filled

SCREENSHOTS = ROOT / "test-output" / "browser"
FIGURES = 9
LM_FIGURES = 3
LM_TRAIN = "num_iterations=8000"  # the LM's ungraded training run, ~10 s: run once, in the solved source

pytestmark = [needs_chromium, BROWSER]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A Jupyter server on loopback serving a copy of the release and of the source."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(RELEASE_DIR, root / "release" / ASSIGNMENT, ignore=IGNORE)
    shutil.copytree(SOURCE_DIR, root / "source" / ASSIGNMENT, ignore=IGNORE)
    # a learner midway: the release with samples/ben.py's answers typed in
    shutil.copytree(RELEASE_DIR, root / "ben" / ASSIGNMENT, ignore=IGNORE)
    nbformat.write(filled(answers_from_file(SAMPLES_DIR / "ben.py", EXERCISES)),
                   str(root / "ben" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"))
    # the same three for the second assignment (samples/char_language_model/ben.py for the learner)
    shutil.copytree(LM.release_dir, root / "release" / LM.id, ignore=IGNORE)
    shutil.copytree(LM.source_dir, root / "source" / LM.id, ignore=IGNORE)
    shutil.copytree(LM.release_dir, root / "ben" / LM.id, ignore=IGNORE)
    nbformat.write(lm_filled(answers_from_file(LM_SAMPLES_DIR / "ben.py", LM.exercises)),
                   str(root / "ben" / LM.id / f"{LM.id}.ipynb"))
    state = root / "jupyter-state"
    # render every cell up front (JupyterLab otherwise only renders what is on screen)
    settings = state / "settings" / "@jupyterlab"
    (settings / "notebook-extension").mkdir(parents=True)
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    # and ask no question about Jupyter news over the screenshots
    (settings / "apputils-extension").mkdir(parents=True)
    (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(state / "config"), JUPYTER_RUNTIME_DIR=str(state / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(state / "settings"), JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"))
    port, token = free_port(), secrets.token_hex(16)
    log = open(root / "server.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--allow-root",
         "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        env=env, cwd=root, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("the Jupyter server did not start:\n" + (root / "server.log").read_text())
            time.sleep(0.5)
    yield url, token
    process.terminate()
    process.wait(timeout=30)
    log.close()


def open_notebook(browser, url, token, path, ui="lab"):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    # a fresh workspace each time, so no notebook opened earlier is restored beside this one
    route = f"lab/workspaces/w{secrets.token_hex(4)}/tree/{path}?reset&" if ui == "lab" else f"notebooks/{path}?"
    page.goto(f"{url}/{route}token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_function("document.querySelector('.jp-Notebook').textContent.length > 1000", timeout=60_000)
    # the kernel is ready when the toolbar's status says idle; in JupyterLab that indicator says
    # idle before the session has its kernel (seen: "No Kernel | Initializing" in the status bar
    # meanwhile), and a cell run then is skipped without a word ("[ ]"), so wait for the status
    # bar too
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    if ui == "lab":
        page.wait_for_function("() => [...document.querySelectorAll('.jp-StatusBar-TextItem')]"
                               ".some(item => / \\| Idle$/.test(item.textContent))", timeout=60_000)
    return page


def run_every_cell(page, skip=()):
    """Select the first cell and press Shift+Enter once per cell, waiting for each to finish; a
    cell whose input contains one of ``skip`` is stepped over (ArrowDown), left unrun."""
    cells = page.locator(".jp-Notebook .jp-Cell")
    count = cells.count()
    # select it by its prompt area (further left is the collapser, and a click there folds the cell away)
    cells.nth(0).click(position={"x": 40, "y": 5})
    page.keyboard.press("Escape")  # command mode
    for index in range(count):
        cell = cells.nth(index)
        code = "jp-CodeCell" in (cell.get_attribute("class") or "")
        if code and skip and any(marker in cell.locator(".jp-InputArea").inner_text() for marker in skip):
            page.keyboard.press("ArrowDown")
            continue
        page.keyboard.press("Shift+Enter")
        if code:
            # done when its prompt shows an execution count: "[ ]" (not yet queued, on a busy
            # machine) and "[*]" (running) both mean wait
            prompt = cell.locator(".jp-InputPrompt")
            try:
                page.wait_for_function("el => /\\[\\d+\\]/.test(el.textContent)", arg=prompt.element_handle(),
                                       timeout=120_000)
            except PlaywrightTimeout:
                raise AssertionError(_stalled(page, cells, index)) from None
    return cells


def _stalled(page, cells, index):
    """What the page shows when a cell never got its execution count: which cell, its prompt,
    the active cell and the kernel's status, and a screenshot of it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    cells.nth(index).scroll_into_view_if_needed()
    shot = SCREENSHOTS / "stalled-cell.png"
    page.screenshot(path=str(shot))
    active = [i for i in range(cells.count()) if "jp-mod-active" in (cells.nth(i).get_attribute("class") or "")]
    status = page.locator(".jp-Notebook-ExecutionIndicator").first.get_attribute("data-status")
    return (f"cell {index} of {cells.count()} never got an execution count: prompt "
            f"{cells.nth(index).locator('.jp-InputPrompt').inner_text()!r}, first line "
            f"{cells.nth(index).locator('.jp-InputArea').inner_text().splitlines()[:1]}, active cells {active}, "
            f"kernel {status}; screenshot {shot}")


def output_of(cells, marker):
    """The output text of the code cell whose input contains ``marker``."""
    for index in range(cells.count()):
        cell = cells.nth(index)
        if marker in cell.locator(".jp-InputArea").inner_text():
            return cell.locator(".jp-OutputArea").inner_text() if cell.locator(".jp-OutputArea").count() else ""
    raise AssertionError(f"no cell contains {marker!r}")


def figures_loaded(page, figures=FIGURES):
    """The natural width of each figure of the rendered notebook, once every one has finished
    loading (or failed to: a broken image is complete with width 0)."""
    page.wait_for_function(f"document.querySelectorAll('.jp-RenderedMarkdown img').length >= {figures} && "
                           "[...document.querySelectorAll('.jp-RenderedMarkdown img')].every(i => i.complete)",
                           timeout=60_000)
    sizes = page.eval_on_selector_all(".jp-RenderedMarkdown img",
                                      "images => images.map(i => [i.getAttribute('src'), i.naturalWidth])")
    return {src: width for src, width in sizes}


def screenshots(page, cells, name, markers):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    cells.nth(0).scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"{name}-top.png"))
    for marker in markers:
        for index in range(cells.count()):
            if marker in cells.nth(index).inner_html():
                cells.nth(index).scroll_into_view_if_needed()
                page.screenshot(path=str(SCREENSHOTS / f"{name}-{marker.split('.')[0].replace(' ', '_')}.png"))
                break
        else:
            raise AssertionError(f"no cell shows {marker!r}")


SHOTS = ["rnn_cell.png", "lstm_cell.png", "rnn_backward_through_time.png", "4 - Types of RNN",
         "5 - A model that learns", "6 - Where you stand"]


def test_release_in_jupyterlab(server, browser):
    url, token = server
    page = open_notebook(browser, url, token, f"release/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
    cells = run_every_cell(page)
    figures = figures_loaded(page)
    assert len(figures) == FIGURES and all(width > 0 for width in figures.values()), figures
    assert page.locator(".jp-RenderedMarkdown mjx-container").count() > 20, "the equations must render"
    for exercise in EXERCISES:
        shown = output_of(cells, f"{exercise}_test({exercise})")
        assert shown.startswith(f"Check failed: {exercise} is not implemented yet"), shown
    assert "Training needs your lstm_forward" in output_of(cells, "train_lstm(lstm_forward")
    screenshots(page, cells, "release-lab", SHOTS)


def screenshot_of(page, cells, marker, name):
    """A screenshot of the first cell whose input contains ``marker``, scrolled into view."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for index in range(cells.count()):
        if marker in cells.nth(index).locator(".jp-InputArea").inner_text():
            cells.nth(index).scroll_into_view_if_needed()
            cells.nth(index).screenshot(path=str(SCREENSHOTS / f"{name}.png"))
            return
    raise AssertionError(f"no cell contains {marker!r}")


def assert_a_short_failure(text, first, cause):
    """A failing check's output: its message first, the likely cause within its first lines, a
    few short lines, none of the checks' code."""
    lines = text.splitlines()
    assert lines[0].startswith(first), lines
    assert any(line.startswith(cause) for line in lines[:5]), lines
    assert len(lines) <= 5 and all(len(line) <= 80 for line in lines), lines
    assert "public_tests" not in text and "Traceback" not in text


def assert_standing(text, exercises, wrong):
    """The Where-you-stand cell: a mark per exercise, ✗ on those ``wrong``, then the count."""
    standing, count = text.splitlines(), len(exercises)
    marks = {line.split()[2]: line.split()[0] for line in standing[:count]}
    assert marks == {name: "✗" if name in wrong else "✓" for name in exercises}, standing
    assert standing[count] == f"{count - len(wrong)} of {count} exercises pass their visible checks.", standing


def test_a_learner_midway_in_jupyterlab(server, browser):
    """Ben's notebook (samples/ben.py): a failing check shows its message first, in a few short
    lines and none of the checks' code, in its cell and in the Validate dialog; the last cell
    gives one line per exercise."""
    url, token = server
    page = open_notebook(browser, url, token, f"ben/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
    cells = run_every_cell(page)
    assert_a_short_failure(output_of(cells, "rnn_cell_forward_test(rnn_cell_forward)"),
                           "Check failed: rnn_cell_forward on the demo inputs: a_next",
                           "Likely cause: the bias ba is missing")
    assert "rnn_forward: all checks passed" in output_of(cells, "rnn_forward_test(rnn_forward)")
    assert_standing(output_of(cells, "where_you_stand(globals())"), EXERCISES, BEN_WRONG)
    screenshot_of(page, cells, "rnn_cell_forward_test(rnn_cell_forward)", "midway-failing-check")
    screenshot_of(page, cells, "rnn_forward_test(rnn_forward)", "midway-passing-check")
    screenshot_of(page, cells, "where_you_stand(globals())", "midway-where-you-stand")
    # nbgrader's Validate button: the dialog shows each failing cell's error as the same short lines
    page.locator(".validate-button").first.click()
    page.wait_for_selector(".jp-Dialog .validation-failed", timeout=180_000)
    failures = page.eval_on_selector_all(
        ".jp-Dialog .validation-failed .jp-RenderedText pre", "blocks => blocks.map(block => block.innerText)")
    pairs = dict(zip(failures[0::2], failures[1::2]))  # each failing cell's source, then its error
    error = next(text for source, text in pairs.items() if "rnn_cell_forward_test(rnn_cell_forward)" in source)
    lines = error.strip().splitlines()
    assert lines[0].startswith("Check failed: rnn_cell_forward on the demo inputs: a_next"), lines
    assert any(line.startswith("Likely cause: the bias ba is missing") for line in lines), lines
    assert len(lines) <= 5 and all(len(line) <= 80 for line in lines), lines
    page.locator(".jp-Dialog").screenshot(path=str(SCREENSHOTS / "midway-validate-dialog.png"))
    page.locator(".jp-Dialog .jp-mod-accept").click()


def test_solved_source_in_jupyterlab(server, browser):
    url, token = server
    page = open_notebook(browser, url, token, f"source/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
    cells = run_every_cell(page)
    assert all(width > 0 for width in figures_loaded(page).values())
    for exercise in EXERCISES:
        assert f"{exercise}: all checks passed" in output_of(cells, f"{exercise}_test({exercise})")
    assert "check this one" not in output_of(cells, "gradient_check(loss_tmp")
    # every entry of the table of contents leads to a heading of the page (JupyterLab names a
    # heading by its data-jupyter-id, and gives it a "¶" anchor of its own)
    targets = page.eval_on_selector_all(
        ".jp-RenderedMarkdown a[href^='#']:not(.jp-InternalAnchorLink)",
        "links => links.map(link => { const id = decodeURIComponent(link.getAttribute('href').slice(1)); "
        "return [id, [...document.querySelectorAll('.jp-RenderedMarkdown [data-jupyter-id]')]"
        ".some(heading => /^H[1-6]$/.test(heading.tagName) && heading.getAttribute('data-jupyter-id') === id)]; })")
    assert len(targets) == 6 and all(found for _, found in targets), targets
    training = output_of(cells, "train_lstm(lstm_forward")
    assert "at the start" in training and "\nLearned: " in training, training
    plot = [c for c in range(cells.count()) if "train_lstm(lstm_forward" in cells.nth(c).inner_text()][0]
    assert cells.nth(plot).locator(".jp-OutputArea img").count() == 1, "the loss curve must be drawn"
    screenshots(page, cells, "source-lab", SHOTS)
    screenshot_of(page, cells, "train_lstm(lstm_forward", "source-lab-training-verdict")
    # the figures have their own white ground, so they read in the dark theme too
    page.keyboard.press("Escape")
    page.keyboard.press("Control+Shift+C")  # the command palette
    page.keyboard.type("Use Theme: JupyterLab Dark")
    page.keyboard.press("Enter")
    page.wait_for_selector("body[data-jp-theme-light='false']", state="attached", timeout=30_000)
    screenshots(page, cells, "source-lab-dark", ["lstm_cell.png", "5 - A model that learns"])


def test_release_in_notebook_7(server, browser):
    url, token = server
    page = open_notebook(browser, url, token, f"release/{ASSIGNMENT}/{ASSIGNMENT}.ipynb", ui="notebook")
    figures = figures_loaded(page)
    assert len(figures) == FIGURES and all(width > 0 for width in figures.values()), figures
    cells = page.locator(".jp-Notebook .jp-Cell")
    cells.nth(2).locator(".jp-InputArea-editor").click()  # into the setup cell
    page.keyboard.press("Shift+Enter")
    page.wait_for_function("el => /\\[\\d+\\]/.test(el.textContent)",
                           arg=cells.nth(2).locator(".jp-InputPrompt").element_handle(), timeout=60_000)
    assert not cells.nth(2).locator(".jp-OutputArea-output[data-mime-type*='error']").count()
    screenshots(page, cells, "release-notebook7", ["rnn_cell.png"])


# the second assignment, char_language_model: one page per notebook, and its 8,000-iteration
# training run only once (in the solved source)

LM_SHOTS = ["char_model.png", "clipping.png", "sampling.png", "6 - Where you stand"]


def test_lm_release_in_jupyterlab(server, browser):
    url, token = server
    page = open_notebook(browser, url, token, f"release/{LM.id}/{LM.id}.ipynb")
    cells = run_every_cell(page)
    figures = figures_loaded(page, LM_FIGURES)
    assert len(figures) == LM_FIGURES and all(width > 0 for width in figures.values()), figures
    assert page.locator(".jp-RenderedMarkdown mjx-container").count() > 5, "the equations must render"
    for exercise in LM.exercises:
        shown = output_of(cells, f"{exercise}_test({exercise})")
        assert shown.startswith(f"Check failed: {exercise} is not implemented yet"), shown
    assert "Training needs your model" in output_of(cells, LM_TRAIN)
    standing = output_of(cells, "where_you_stand(globals())").splitlines()
    assert standing[4] == "0 of 4 exercises pass their visible checks.", standing
    screenshots(page, cells, "lm-release-lab", LM_SHOTS)
    screenshot_of(page, cells, "clip_test(clip)", "lm-release-lab-failing-check")
    page.close()


def test_lm_learner_midway_in_jupyterlab(server, browser):
    """Ben's notebook (samples/char_language_model/ben.py), run top to bottom but for the
    ungraded training: a failing check shows its message first, in a few short lines; the last
    cell gives one line per exercise."""
    url, token = server
    page = open_notebook(browser, url, token, f"ben/{LM.id}/{LM.id}.ipynb")
    cells = run_every_cell(page, skip=[LM_TRAIN])
    train = [c for c in range(cells.count()) if LM_TRAIN in cells.nth(c).locator(".jp-InputArea").inner_text()]
    assert cells.nth(train[0]).locator(".jp-InputPrompt").inner_text().strip() == "[ ]:", "the training must not run"
    assert_a_short_failure(output_of(cells, "sample_test(sample)"), "Check failed: sample on the demo inputs",
                           "Likely cause: the next character is drawn at random")
    assert "clip: all checks passed" in output_of(cells, "clip_test(clip)")
    assert_standing(output_of(cells, "where_you_stand(globals())"), LM.exercises, LM_BEN_WRONG)
    screenshot_of(page, cells, "sample_test(sample)", "lm-midway-failing-check")
    screenshot_of(page, cells, "clip_test(clip)", "lm-midway-passing-check")
    screenshot_of(page, cells, "where_you_stand(globals())", "lm-midway-where-you-stand")
    page.close()


def test_lm_solved_source_in_jupyterlab(server, browser):
    """The solved source passes every check (its training, run by tests/e2e/test_notebooks.py,
    is left out here: one run of it in the suite is enough)."""
    url, token = server
    page = open_notebook(browser, url, token, f"source/{LM.id}/{LM.id}.ipynb")
    cells = run_every_cell(page, skip=[LM_TRAIN])
    for exercise in LM.exercises:
        assert f"{exercise}: all checks passed" in output_of(cells, f"{exercise}_test({exercise})")
    assert "4 of 4 exercises pass their visible checks." in output_of(cells, "where_you_stand(globals())")
    screenshot_of(page, cells, "optimize_test(optimize)", "lm-source-lab-passing-check")
    page.close()


def test_lm_release_in_notebook_7(server, browser):
    url, token = server
    page = open_notebook(browser, url, token, f"release/{LM.id}/{LM.id}.ipynb", ui="notebook")
    figures = figures_loaded(page, LM_FIGURES)
    assert len(figures) == LM_FIGURES and all(width > 0 for width in figures.values()), figures
    cells = page.locator(".jp-Notebook .jp-Cell")
    setup = cells.filter(has_text="from public_tests import clip_test").first
    setup.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function("el => /\\[\\d+\\]/.test(el.textContent)",
                           arg=setup.locator(".jp-InputPrompt").element_handle(), timeout=60_000)
    assert not setup.locator(".jp-OutputArea-output[data-mime-type*='error']").count()
    screenshots(page, cells, "lm-release-notebook7", ["clipping.png"])
    page.close()

from tests.e2e.test_browser import *  # noqa
from tests.e2e.test_browser import server  # noqa


def test_debug(server, browser):
    url, token = server
    page = open_notebook(browser, url, token, f"ben/{LM.id}/{LM.id}.ipynb")
    cells = page.locator(".jp-Notebook .jp-Cell")
    for i in range(3):
        print(i, cells.nth(i).get_attribute("class"), cells.nth(i).evaluate("e => e.innerHTML.slice(0, 600)"))

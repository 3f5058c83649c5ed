"""The explorer in a real browser: headless Chromium from the system's packages, driven by Selenium.

Skipped when Chromium or its driver is absent (``.ci/run`` installs them). The browser never
downloads anything: it is Debian's, with background networking off, and every host but
127.0.0.1 resolves to nothing; the tests also check from the browser's own log that no request
left 127.0.0.1. Screenshots go to ``$AUTOKG_SCREENSHOTS`` when it is set.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.parse
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

pytestmark = pytest.mark.skipif(not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()),
                                reason="chromium and chromium-driver are not installed")


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="autokg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
                 "--disable-extensions", f"--user-data-dir={profile}", "--window-size=1280,1800",
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _screenshot(driver, name: str) -> None:
    folder = os.environ.get("AUTOKG_SCREENSHOTS")
    target = Path(folder) if folder else Path(tempfile.gettempdir()) / "autokg-screenshots"
    target.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(height, 800), 6000))
    assert driver.save_screenshot(str(target / f"{name}.png"))


def _requests_and_errors(driver) -> tuple[set[str], list[str]]:
    urls = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.add(message["params"]["request"]["url"])
    errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    return urls, errors


def _assert_local_only(driver) -> None:
    urls, errors = _requests_and_errors(driver)
    assert errors == [], errors
    assert urls, "the browser's network log is empty"
    for url in urls:
        parts = urllib.parse.urlsplit(url)
        assert parts.scheme in ("data", "about") or parts.hostname == "127.0.0.1", url


def test_search_model_y_reaches_its_page_with_the_yu7_among_rivals(browser, web_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(web_server + "/")
    _requests_and_errors(browser)  # start the logs from here
    browser.get(web_server + "/")
    box = browser.find_element(By.ID, "bigq")
    box.send_keys("Model Y")
    box.submit()
    WebDriverWait(browser, 20).until(ec.title_contains("Tesla Model Y"))
    assert browser.current_url.endswith("/model/tesla-model-y")
    rivals = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "table.rivals td a")]
    assert "Xiaomi YU7" in rivals
    rival_map = browser.find_element(By.CSS_SELECTOR, "figure.map svg")
    assert "Xiaomi YU7" in rival_map.get_attribute("innerHTML")
    _screenshot(browser, "model-y")
    _assert_local_only(browser)


def test_xiaomi_page_shows_a_family_tree_and_charts_as_svg(browser, web_server):
    from selenium.webdriver.common.by import By

    browser.get(web_server + "/maker/xiaomi")
    tree = browser.find_element(By.CSS_SELECTOR, "figure.tree svg")
    assert len(tree.find_elements(By.CSS_SELECTOR, "rect")) >= 4
    assert tree.size["width"] > 100 and tree.size["height"] > 50
    charts = browser.find_elements(By.CSS_SELECTOR, "figure.chart svg")
    assert charts, "no chart on the maker page"
    assert charts[0].size["height"] > 100
    assert charts[0].find_elements(By.CSS_SELECTOR, "circle.dot, .dot")
    _screenshot(browser, "xiaomi")
    _assert_local_only(browser)


def test_a_miss_gets_suggestions_and_the_query_page_runs(browser, web_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(web_server + "/search?q=Xiaomi+YU8")
    assert "Did you mean" in browser.page_source
    _, errors = _requests_and_errors(browser)
    assert len(errors) == 1 and "404" in errors[0], errors  # the miss itself is a 404, as it should be
    browser.find_element(By.LINK_TEXT, "Xiaomi YU7").click()
    WebDriverWait(browser, 20).until(lambda d: d.current_url.endswith("/model/xiaomi-yu7"))
    browser.get(web_server + "/query")
    area = browser.find_element(By.ID, "query")
    area.clear()
    area.send_keys("SELECT ?label WHERE { id:xiaomi-yu7 rdfs:label ?label }")
    browser.find_element(By.CSS_SELECTOR, "form.query button").click()
    WebDriverWait(browser, 20).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "table.results, p.error"))
    cells = browser.find_elements(By.CSS_SELECTOR, "table.results td")
    errors = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".error")]
    assert cells and any(c.text == "Xiaomi YU7" for c in cells), errors
    _screenshot(browser, "query")
    _assert_local_only(browser)

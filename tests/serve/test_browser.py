"""A real browser (Debian's headless Chromium, driven by Selenium) uses the served pages
as a reader would: search, follow, read the evidence, run a packaged query. Screenshots
go to test-artifacts/ (or $CTLD_TEST_ARTIFACTS) for a human to look at."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select, WebDriverWait

ARTIFACTS = Path(os.environ.get("CTLD_TEST_ARTIFACTS", ROOT / "test-artifacts"))


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert binary and driver, "Debian's chromium and chromium-driver are required"
    options = Options()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1280,1600", "--lang=en-GB"):
        options.add_argument(flag)  # fmt: skip
    chrome = webdriver.Chrome(service=Service(driver), options=options)
    chrome.set_page_load_timeout(30)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield chrome
    chrome.quit()


def wait(browser: webdriver.Chrome, condition: object, seconds: float = 15) -> object:
    return WebDriverWait(browser, seconds).until(condition)


def test_search_follow_and_read_the_evidence(browser: webdriver.Chrome, server: str) -> None:
    browser.get(server + "/")
    box = browser.find_element(By.ID, "index-q")
    box.send_keys("Voronkov")
    link = wait(browser, ready.element_to_be_clickable(
        (By.CSS_SELECTOR, "#suggestions a[href='/doc/person/vladimir-voronkov']")))  # fmt: skip
    browser.save_screenshot(str(ARTIFACTS / "1-search.png"))
    link.click()
    wait(browser, ready.title_contains("Vladimir Voronkov"))
    posts = browser.find_element(By.ID, "posts").text
    assert "Head of the United Nations Office of Counter-Terrorism" in posts
    quotes = browser.find_elements(By.CSS_SELECTOR, "#evidence li.quote blockquote")
    assert quotes and any("Voronkov" in q.text for q in quotes)
    names = browser.find_element(By.ID, "labels").text
    assert "Владимир Воронков" in names
    browser.save_screenshot(str(ARTIFACTS / "2-person.png"))
    quote_link = browser.find_element(By.CSS_SELECTOR, "#evidence li.quote a[href*='#t-']")
    fragment = quote_link.get_attribute("href").rsplit("#", 1)[1]
    quote_link.click()
    anchor = wait(browser, ready.presence_of_element_located((By.ID, fragment)))
    assert anchor is not None and "/doc/article/" in browser.current_url
    browser.save_screenshot(str(ARTIFACTS / "3-article.png"))


def test_run_a_packaged_query(browser: webdriver.Chrome, server: str) -> None:
    browser.get(server + "/sparql")
    examples = Select(browser.find_element(By.ID, "examples"))
    names = [o.get_attribute("value") for o in examples.options if o.get_attribute("value")]
    assert names, "the query page lists the packaged queries"
    examples.select_by_value(names[0])
    assert "SELECT" in browser.find_element(By.ID, "query").get_attribute("value").upper() or \
        "CONSTRUCT" in browser.find_element(By.ID, "query").get_attribute("value").upper()
    Select(browser.find_element(By.ID, "format")).select_by_value("table")
    browser.find_element(By.ID, "run").click()
    rows = wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#results table tbody tr"))
    assert len(rows) >= 1
    assert browser.find_element(By.ID, "status").text == ""
    browser.save_screenshot(str(ARTIFACTS / "4-query.png"))


def test_static_site_search(browser: webdriver.Chrome, static_host: str) -> None:
    """The static site has no /search: the box reads search-index.json in the browser."""
    browser.get(static_host + "/")
    browser.find_element(By.ID, "index-q").send_keys("Воронков")
    link = wait(browser, ready.element_to_be_clickable(
        (By.CSS_SELECTOR, "#suggestions a[href='/doc/person/vladimir-voronkov/']")))  # fmt: skip
    link.click()
    wait(browser, ready.title_contains("Vladimir Voronkov"))
    assert browser.find_elements(By.CSS_SELECTOR, "#evidence li.quote")
    browser.save_screenshot(str(ARTIFACTS / "5-static-site.png"))

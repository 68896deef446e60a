"""The dashboard in a real browser (Debian's headless chromium, Playwright), issue 18.

Main paths: the first screen, running the flagship, editing a lever, a pair without a case
pack (built from WDI and KNOMAD), the claims tab, a shared URL, a phone-sized screen, and the
report's length. Screenshots are written to ``tests/artifacts/`` (git-ignored).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from geolever.scenario import load_scenario
from geolever.web import create_app, serve_in_background

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"  # tests/artifacts/
REPO = Path(__file__).resolve().parents[2]
DRAWS = "300"  # enough for the paths; the numbers are pinned elsewhere

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is absent (install Debian's chromium: apt-get install -y chromium)",
)


@pytest.fixture(scope="module")
def store_file(pair_datasets_store: Callable[[], Path]) -> Path:
    """A store with the standard datasets a pair without a pack needs (RUS -> GEO, 2021)."""
    return pair_datasets_store()


@pytest.fixture(scope="module")
def base_url(store_file: Path) -> Iterator[str]:
    with serve_in_background(create_app(store_path=store_file, max_jobs=1, max_queue=4)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("*\n")  # screenshots never get committed
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            yield b
        finally:
            b.close()


class Page:
    """A page that records console errors and every request that leaves the server."""

    def __init__(self, browser: Any, base_url: str, width: int = 1280, height: int = 900):
        self.browser = browser
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: None if r.url.startswith(base_url)
                     else self.outside.append(r.url))
        self.base_url = base_url

    def open(self, path: str = "/") -> Any:
        self.page.goto(self.base_url + path)
        self.page.wait_for_selector("body[data-ready='true']", timeout=60_000)
        return self.page

    def run(self) -> None:
        pg = self.page
        pg.evaluate("delete document.body.dataset.resultReady")
        pg.click("#run")
        pg.wait_for_selector("body[data-result-ready='true']", timeout=240_000)

    def close(self) -> None:
        assert not self.errors, self.errors
        assert not self.outside, f"requests outside the server (CDN?): {self.outside}"
        self.page.close()


def _cards(pg: Any) -> dict[str, str]:
    return {c.get_attribute("data-lever-id"): c.locator(".verdict").inner_text().strip()
            for c in pg.locator("#verdict-cards .vcard").all()}


def _card_loss(pg: Any, lever_id: str) -> float:
    text = pg.locator(f".vcard[data-lever-id='{lever_id}'] .vcard-row strong").first.inner_text()
    number = float(re.sub(r"[^\d.]", "", text))
    return number * {"k": 1e3, "m": 1e6, "bn": 1e9}.get(re.sub(r"[^a-z]", "", text), 1.0)


@pytest.fixture(scope="module")
def flagship(browser: Any, base_url: str) -> Iterator[tuple[Page, str]]:
    """The flagship as a user runs it: first screen, then Run (shared by the tests below)."""
    p = Page(browser, base_url)
    pg = p.open()
    pg.screenshot(path=str(ARTIFACTS / "dashboard_first_screen.png"))
    pg.fill("#draws", DRAWS)
    p.run()
    pg.wait_for_selector("#map-ge .main-svg", timeout=30_000)
    pg.screenshot(path=str(ARTIFACTS / "dashboard_results.png"), full_page=True)
    yield p, pg.url
    p.close()


def test_first_screen_is_the_case_with_compact_lever_cards(browser: Any, base_url: str) -> None:
    p = Page(browser, base_url)
    pg = p.open()
    flagship = load_scenario(REPO / "src/geolever/packs/russia-azerbaijan/scenario.yaml")
    assert pg.locator("#levers .lever").count() == len(flagship.levers)
    assert pg.input_value("#sender") == "RUS" and pg.input_value("#target") == "AZE"
    assert pg.locator("#run").count() == 1 and pg.locator("button[type=submit]").count() == 1
    # compact: the fields are folded until asked for; titles are labels, not snake_case ids
    assert pg.locator("#levers .lever-body:visible").count() == 0
    titles = pg.locator("#levers .lever-title").all_inner_texts()
    assert titles[0] == flagship.levers[0].label and not any("_" in t for t in titles)
    # a pe trade lever shows neither the IO table nor the tariff; choosing IO shows the table
    card = pg.locator("#levers .lever[data-kind='trade_restriction']").first
    card.get_by_role("button", name=re.compile("^Edit")).click()
    names = card.locator(".lever-body > .grid > label.field:visible .field-name").all_inner_texts()
    assert "Goods *" in names and "Direction" in names
    assert not any(n.startswith(("Table", "Tariff", "ID", "Alternative")) for n in names)
    assert all("_" not in n for n in names)  # "Alternative to", not alternative_to
    card.locator("fieldset.submodel select").select_option("io")
    assert card.locator("fieldset.submodel .field-name", has_text="Table").count() == 1
    card.locator("label.field[data-name='measure'] select").select_option("tariff")
    assert card.locator("label.field[data-name='tariff_pct']").is_visible()
    p.close()


def test_run_the_flagship_results_first(flagship: tuple[Page, str]) -> None:
    p, _ = flagship
    pg = p.page
    flagship_levers = load_scenario(REPO / "src/geolever/packs/russia-azerbaijan/scenario.yaml")
    cards = _cards(pg)
    assert len(cards) == len(flagship_levers.levers) + 1  # and all levers together
    assert cards["oil_transit"].startswith("infeasible")
    # results come before the lever form in the page
    box = pg.locator("#results").bounding_box()
    assert box["x"] < pg.locator("#lever-panel").bounding_box()["x"]
    # loss vs cost with bands, labelled with the levers' labels
    pg.wait_for_selector("#chart-loss .main-svg")
    ticks = " ".join(pg.eval_on_selector_all("#chart-loss .ytick text",
                                             "els => els.map(e => e.textContent)"))
    assert "Ban on remittances" in ticks and "oil_transit" not in ticks
    assert pg.locator("#chart-loss .errorbar").count() > 0
    assert "Monte Carlo" in pg.inner_text("#chart-loss-caption")
    # the world map of GE effects, drawn offline from the bundled base map
    assert pg.locator("#map-ge .choroplethlocation").count() > 20
    assert "general equilibrium" in pg.inner_text("#map-caption")
    # drill-down from the keyboard: sources, assumptions, the sensitivity ranking
    pg.locator(".vcard[data-lever-id='remittances']").focus()
    pg.keyboard.press("Enter")
    drill = pg.locator("#drill")
    assert drill.is_visible()
    assert drill.locator("ol.drivers li").count() >= 1
    assert drill.locator("summary", has_text="Sources").count() == 1
    assert drill.locator("summary", has_text="Assumptions").count() == 1
    pg.screenshot(path=str(ARTIFACTS / "dashboard_drilldown.png"), full_page=False)
    # the result is also a report people read: short, sources collapsed
    report = p.browser.new_page(viewport={"width": 1280, "height": 900})
    report.goto(p.base_url + pg.get_attribute("#open-report", "href"))
    assert report.locator("h1").count() == 1
    height = report.evaluate("document.documentElement.scrollHeight")
    assert height < 16_000, f"report.html is {height} px tall"
    assert report.locator("details summary", has_text="Sources of this section").count() >= 5
    report.screenshot(path=str(ARTIFACTS / "report_top.png"))
    report.close()


def test_edit_a_lever_and_run_again(flagship: tuple[Page, str]) -> None:
    p, _ = flagship
    pg = p.page
    before = _card_loss(pg, "remittances")
    card = pg.locator("#levers .lever[data-kind='remittance_ban']").first
    card.get_by_role("button", name=re.compile("^Edit")).click()
    card.locator("label.field[data-name='share'] input").fill("0.5")
    card.locator("label.field[data-name='share'] input").dispatch_event("change")
    assert "Share: 0.5" in card.locator(".lever-summary").inner_text()
    p.run()
    after = _card_loss(pg, "remittances")
    assert 0.35 * before < after < 0.65 * before  # half the flow banned, about half the loss
    assert '"share": 0.5' in pg.input_value("#scenario-json")


def test_open_a_shared_url(browser: Any, flagship: tuple[Page, str]) -> None:
    p, url = flagship
    assert "#s=" in url
    other = Page(browser, p.base_url)
    other.page.goto(url)  # the link alone: the scenario is in it, and it runs
    other.page.wait_for_selector("body[data-result-ready='true']", timeout=240_000)
    assert other.page.input_value("#draws") == DRAWS
    assert _cards(other.page)["oil_transit"].startswith("infeasible")
    other.close()


def test_a_pair_without_a_case_pack(browser: Any, base_url: str) -> None:
    p = Page(browser, base_url)
    pg = p.open()
    pg.select_option("#case", "")
    pg.fill("#sender", "RUS")
    pg.fill("#target", "GEO")
    pg.fill("#year", "2021")
    pg.fill("#draws", DRAWS)
    pg.dispatch_event("#year", "change")
    # keep only the remittance ban (the store holds WDI and KNOMAD, not Georgia's trade)
    while pg.locator("#levers .lever").count() > 1:
        pg.locator("#levers .lever").last.get_by_role("button", name=re.compile("^Remove")).click()
    assert pg.locator("#levers .lever").count() == 1
    p.run()
    cards = _cards(pg)
    assert cards["remittance_ban"].split(" · ")[0] in (
        "moderate leverage", "strong leverage", "weak leverage")
    assert _card_loss(pg, "remittance_ban") > 100e6  # KNOMAD: US$1.34bn sent from RUS in 2021
    assert "Georgia" in pg.inner_text("#result-title") + pg.inner_text("#result-meta")
    p.close()


def test_claims_tab_highlights_sentences(browser: Any, base_url: str) -> None:
    p = Page(browser, base_url)
    pg = p.open()
    tab = pg.locator("#tab-btn-assess")
    tab.focus()
    pg.keyboard.press("ArrowRight")  # tabs work from the keyboard
    assert pg.locator("#tab-claims").is_visible() and not pg.locator("#tab-assess").is_visible()
    text = ("Remittances from migrants in Russia are about 7% of Azerbaijan's state budget. "
            "The weather in Baku was mild. The Baku-Novorossiysk pipeline is not operating.")
    pg.fill("#claims-text", text)
    pg.click("#check-text")
    pg.wait_for_selector("body[data-claims-ready='true']", timeout=120_000)
    marks = {m.get_attribute("data-verdict") for m in pg.locator("#highlighted mark").all()}
    assert {"false", "accurate"} <= marks
    assert "The weather in Baku was mild." in pg.inner_text("#highlighted")
    assert pg.locator("#highlighted mark").count() == 2
    pg.screenshot(path=str(ARTIFACTS / "dashboard_claims.png"), full_page=True)
    p.close()


def test_readable_on_a_phone(browser: Any, base_url: str) -> None:
    p = Page(browser, base_url, width=390, height=844)
    pg = p.open()
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    run = pg.locator("#run").bounding_box()
    assert run["x"] + run["width"] <= 390
    pg.screenshot(path=str(ARTIFACTS / "dashboard_phone.png"), full_page=False)
    pg.fill("#draws", "100")
    while pg.locator("#levers .lever").count() > 2:  # a short run: two levers
        pg.locator("#levers .lever").last.get_by_role("button", name=re.compile("^Remove")).click()
    p.run()
    pg.wait_for_selector("#chart-loss .main-svg")
    # results above the levers, nothing wider than the screen
    results, levers = pg.locator("#results"), pg.locator("#lever-panel")
    assert results.bounding_box()["y"] < levers.bounding_box()["y"]
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    pg.locator("#results").scroll_into_view_if_needed()
    pg.screenshot(path=str(ARTIFACTS / "dashboard_phone_results.png"), full_page=False)
    p.close()


def test_plotly_and_base_map_are_served_by_the_package(base_url: str) -> None:
    assert httpx.get(base_url + "/vendor/plotly.min.js").status_code == 200
    topo = httpx.get(base_url + "/vendor/topojson/world_110m.json")
    assert topo.status_code == 200 and "countries" in topo.json()["objects"]


def test_a_list_whose_entries_hold_commas_takes_one_entry_per_line(browser: Any,
                                                                     base_url: str) -> None:
    """trade_cost_change.change entries hold commas (RTA=0@CAN-USA,CAN-MEX): one per line."""
    page = Page(browser, base_url)
    pg = page.open()
    pg.select_option("#new-lever-kind", "trade_cost_change")
    pg.click("#add-lever")
    card = pg.locator("#levers .lever[data-kind='trade_cost_change']").last
    box = card.locator("[data-field='change']")
    assert box.evaluate("e => e.tagName") == "TEXTAREA"
    box.fill("RTA=0@CAN-USA,CAN-MEX\nINTL_BRDR=0")
    box.dispatch_event("change")
    tariff = card.locator("[data-field='tariff']")  # an ordinary list: comma-separated
    tariff.fill("AZE:RUS=0.2, RUS:AZE=0.1")
    tariff.dispatch_event("change")
    doc = json.loads(pg.input_value("#scenario-json"))
    lever = [lv for lv in doc["levers"] if lv["kind"] == "trade_cost_change"][-1]
    assert lever["change"] == ["RTA=0@CAN-USA,CAN-MEX", "INTL_BRDR=0"]
    assert lever["tariff"] == ["AZE:RUS=0.2", "RUS:AZE=0.1"]
    page.close()

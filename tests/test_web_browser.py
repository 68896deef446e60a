"""End-to-end: run the flagship from the dashboard in Debian's headless chromium (Playwright)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from geolever.scenario import load_scenario
from geolever.web import create_app, serve_in_background

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is absent (install Debian's chromium: apt-get install -y chromium)",
)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve_in_background(create_app(max_jobs=1, max_queue=2)) as url:
        yield url


def test_flagship_from_the_dashboard(base_url: str) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("*\n")  # screenshots never get committed
    console_errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on(
                "console", lambda m: console_errors.append(m.text) if m.type == "error" else None
            )
            outside: list[str] = []
            page.on(
                "request",
                lambda r: outside.append(r.url) if not r.url.startswith(base_url) else None,
            )
            page.goto(base_url + "/")
            page.wait_for_selector("body[data-ready='true']", timeout=30_000)
            # The form starts from the flagship template: its levers, RUS -> AZE.
            flagship = load_scenario(
                Path(__file__).resolve().parents[1] / "examples" / "russia-azerbaijan.yaml"
            )
            assert page.locator("#levers .lever").count() == len(flagship.levers)
            assert page.input_value("#sender") == "RUS"
            assert page.input_value("#target") == "AZE"

            page.click("#run")
            page.wait_for_selector("#verdicts tbody tr", timeout=120_000)
            job_id = page.get_attribute("body", "data-job-id")
            assert job_id
            shown = {
                row.get_attribute("data-lever-id"): row.locator("td.verdict").inner_text().strip()
                for row in page.locator("#verdicts tbody tr").all()
            }

            # The charts are drawn by the bundled Plotly.js.
            page.wait_for_selector("#chart-loss .main-svg", timeout=30_000)
            assert page.locator(".route-chart .main-svg").count() >= 1
            assert page.locator("#claims-table tbody tr").count() == 3
            assert page.get_attribute("#dl-report", "href") == (
                f"/api/assessments/{job_id}/report.html?download=true"
            )

            # The claims of a text, checked from the page (the same code path as the CLI).
            page.fill(
                "#claims-text",
                "Remittances from migrants in Russia are about 7% of Azerbaijan's state budget.",
            )
            page.click("#check-text")
            page.wait_for_selector("#text-claims tbody tr[data-status='checked']", timeout=60_000)
            text_verdict = page.locator("#text-claims tbody tr td").nth(5).inner_text()
            page.screenshot(path=str(ARTIFACTS / "dashboard_flagship.png"), full_page=True)
        finally:
            browser.close()

    result = httpx.get(f"{base_url}/api/assessments/{job_id}/result.json", timeout=30).json()
    expected = {lv["id"]: lv["verdict"] for lv in result["levers"]}
    expected["combined"] = result["combined"]["verdict"]
    assert shown == expected
    assert text_verdict == "false"
    assert not outside, f"the page fetched from outside the server: {outside}"
    assert not console_errors, console_errors

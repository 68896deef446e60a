"""``POST /api/claims/check`` with ``sender``/``target``: a pair without a case pack."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from geolever.web import create_app, serve_in_background

TEXT = ("Remittances to Guatemala reached a record $15.3 billion in 2021, according to the "
        "Bank of Guatemala. Remittances are equivalent to about 18 percent of Guatemala's "
        "GDP.")


@pytest.fixture(scope="module")
def client(pair_datasets_store: Callable[[], Path]) -> Iterator[httpx.Client]:
    app = create_app(store_path=pair_datasets_store(), max_jobs=1, max_queue=2)
    with serve_in_background(app) as url, httpx.Client(base_url=url, timeout=60) as c:
        yield c


def test_claims_about_another_pair_are_checked_on_the_store(client: httpx.Client) -> None:
    response = client.post("/api/claims/check", json={
        "text": TEXT, "sender": "USA", "target": "GTM", "year": 2021, "published": 2022})
    assert response.status_code == 200, response.text
    doc = response.json()
    assert (doc["sender"], doc["target"]) == ("USA", "GTM")
    claims = [c for s in doc["sentences"] for c in s.get("claims", [])]
    assert [(c["metric"], c["verdict"]) for c in claims] == [
        ("remittances_total", "accurate"), ("remittances_total_share_of_gdp", "accurate")]


def test_an_unknown_target_names_the_field(client: httpx.Client) -> None:
    response = client.post("/api/claims/check", json={"text": TEXT, "sender": "USA",
                                                      "target": "GTX"})
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["field"] == "target" and "GTM (Guatemala)" in body["message"]

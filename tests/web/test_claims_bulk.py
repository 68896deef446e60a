"""Web claims checks read the store's bulk tables, as ``geolever claims check`` does.

The claims workers used to see only a snapshot of the facts and datasets tables: a claim that
needs bulk ``trade_flows`` (here: tomatoes by product, from a BACI-layout file) was
"unverifiable" on the web while the CLI checked it on the same store (issue 14).
"""

from __future__ import annotations

from pathlib import Path

import httpx

from geolever.claims import check_text
from geolever.cli.data_sources import import_source
from geolever.store import FactStore
from geolever.web import create_app, serve_in_background

TEXT = ("Russia buys 94% of Azerbaijan's tomato exports in 2020.\n\n"
        "In 2020 Azerbaijan exported tomatoes worth $120 million to Russia.")


def _store(tmp_path: Path) -> Path:
    """A store whose only 2020 tomato figures are bulk BACI rows (invented round numbers)."""
    folder = tmp_path / "baci"
    folder.mkdir()
    (folder / "BACI_HS17_Y2020_V202401b.csv").write_text(
        "t,i,j,k,v,q\n2020,31,643,070200,120000.0,90000.0\n"
        "2020,31,268,070200,5000.0,4000.0\n2020,31,398,070200,3000.0,2000.0\n")
    (folder / "country_codes_V202401b.csv").write_text(
        "country_code,country_name,country_iso2,country_iso3\n31,Azerbaijan,AZ,AZE\n"
        "643,Russian Federation,RU,RUS\n268,Georgia,GE,GEO\n398,Kazakhstan,KZ,KAZ\n")
    path = tmp_path / "store.duckdb"
    with FactStore(path) as store:
        assert import_source("baci", folder / "BACI_HS17_Y2020_V202401b.csv", store) == 3
    return path


def _verdicts(doc: dict) -> list[tuple[str, str, float | None]]:
    return [(c["metric"], c["verdict"], (c.get("result") or {}).get("computed"))
            for s in doc["sentences"] for c in s.get("claims", [])]


def test_web_and_cli_give_the_same_verdicts_on_a_store_with_bulk_flows(tmp_path: Path) -> None:
    path = _store(tmp_path)
    app = create_app(store_path=path, max_jobs=1, max_queue=1, claims_workers=1)
    with serve_in_background(app) as url, httpx.Client(base_url=url, timeout=120) as client:
        response = client.post("/api/claims/check",
                               json={"text": TEXT, "case": "russia-azerbaijan"})
    assert response.status_code == 200, response.text
    web = response.json()
    with FactStore(path) as store:
        cli = check_text(TEXT, case="russia-azerbaijan", store=store).to_dict()
    assert _verdicts(web) == _verdicts(cli)
    assert [v for _, v, _ in _verdicts(cli)] == ["accurate", "accurate"]
    assert web == cli

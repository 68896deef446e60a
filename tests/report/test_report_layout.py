"""Reports people read (issue 18): labels not ids, sources once, collapsed per section,
captions with source and year on every chart, legends off the bars."""

from __future__ import annotations

import re
from typing import Any

import pytest

import geolever
from geolever.report.charts import loss_vs_cost_figure, route_edges, routes_figure
from geolever.report.render import charts, render_html, render_markdown, source_index
from geolever.scenario import run_scenario
from geolever.store import FactStore


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    store = tmp_path_factory.mktemp("report") / "store.duckdb"
    scenario = geolever.pack_scenario().model_copy(update={"draws": 200, "seed": 5})
    with FactStore(store) as db:  # the document reads the store's dataset list
        return run_scenario(scenario, db).to_dict()


def test_every_source_is_listed_once_in_full_and_referenced_by_number(doc) -> None:
    md = render_markdown(doc)
    sources = source_index(doc)
    assert 0 < len(sources) < sum(len(lv["sources"]) for lv in doc["levers"])
    tail = md.split("## All sources", 1)[1]
    for i in range(1, len(sources) + 1):
        assert f"\n{i}. " in tail
    # a citation is written out in full once, at the end, not under each lever
    ge = next(lv for lv in doc["levers"] if lv["engine"] == "ge_trade_cost")
    citation = next(s["citation"] for s in ge["sources"] if s.get("citation"))
    assert md.count(citation.replace("_", "\\_")) + md.count(citation) >= 1
    head = md.split("## All sources", 1)[0]
    assert citation not in head.split("## " + ge["label"].split(" (")[0], 1)[1].split("\n## ")[0]


def test_html_collapses_each_sections_sources_and_matrix(doc) -> None:
    page = render_html(doc)
    sections = page.count("<h2>") - 3  # verdicts, claims, denominators, all sources ...
    assert page.count("<details><summary>Sources of this section") >= sections - 2
    assert "<details><summary>Trade matrix" in page
    assert "<details><summary>Sources of this report" in page
    # nothing else of the source lists is left open under a lever
    assert not re.search(r"<p>Sources of this section", page)


def test_every_chart_has_a_caption_with_source_and_year(doc) -> None:
    page = render_html(doc)
    figures = re.findall(r"<figure>(.*?)</figure>", page, re.S)
    assert len(figures) == len(charts(doc)) >= 3
    for fig in figures:
        cap = re.search(r"<figcaption>(.*?)</figcaption>", fig, re.S)
        assert cap and str(doc["year"]) in cap.group(1)
        assert "Sources:" in cap.group(1) or "Monte Carlo" in cap.group(1)
    lines = render_markdown(doc).splitlines()
    for name in charts(doc):
        at = next(i for i, ln in enumerate(lines)
                  if f"(charts/{name})" in ln.replace("\\", ""))
        after = lines[at + 1]
        assert after.startswith("*") and str(doc["year"]) in after


def test_charts_use_lever_labels_and_keep_the_legend_off_the_bars(doc) -> None:
    fig = loss_vs_cost_figure(doc)
    fig.canvas.draw()
    ax = fig.axes[0]
    ticks = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    for lv, tick in zip(doc["levers"], ticks, strict=True):
        assert tick.startswith(lv["label"][:15])
        assert "_" not in lv["id"] or lv["id"] not in tick  # food_imports, oil_transit ...
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    assert legend.y1 <= ax.get_window_extent(renderer).y0  # under the axes
    net = next(lv for lv in doc["levers"] if route_edges(lv))
    rfig = routes_figure(route_edges(net), "routes")
    rfig.canvas.draw()
    rax = rfig.axes[0]
    names = [t.get_text().replace("\n", " ") for t in rax.get_yticklabels()]
    assert names[0].startswith(net["details"]["edges"][0]["name"][:10])
    # no label is clipped: every tick label lies inside the saved (tight) figure
    tight = rfig.get_tightbbox(rfig.canvas.get_renderer())
    for t in rax.get_yticklabels():
        box = t.get_window_extent(rfig.canvas.get_renderer())
        assert box.x0 >= tight.x0 * rfig.dpi - 1
    rleg = rax.get_legend().get_window_extent(rfig.canvas.get_renderer())
    assert rleg.y1 <= rax.get_window_extent(rfig.canvas.get_renderer()).y0


def test_money_reads_as_money(doc) -> None:
    md = render_markdown(doc)
    verdicts = md.split("## Verdicts", 1)[1].split("\n## ", 1)[0]
    assert re.search(r"US\$\d[\d.]*m \(US\$", verdicts)
    assert "e+0" not in md

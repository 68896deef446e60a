"""Results for analysis: the assessment and the claims check with frames, plots and HTML.

:class:`Assessment` is what :func:`geolever.assess` returns: the typed
:class:`~geolever.scenario.ScenarioResult` (its case assessment, lever assessments and claim
checks are reached through it unchanged) plus what an analyst needs in a notebook:
wide and tidy pandas tables, matplotlib figures and a rich HTML display
(``_repr_html_``). The tables are built from the result's own typed objects and its
result.json document, so a notebook, the CLI and the report show the same numbers.
"""

from __future__ import annotations

import html
from typing import Any, Literal, get_args

import pandas as pd
from matplotlib.figure import Figure

from geolever.api import plots
from geolever.assessment import Band, LeverAssessment
from geolever.scenario import ResultDocument, ScenarioResult

#: The tables :meth:`Assessment.to_frame` gives.
AssessmentTable = Literal["verdicts", "bands", "draws", "claims", "sources", "assumptions",
                          "members"]

#: Wide verdict-table columns: (column, band key in result.json, scale).
_VERDICT_BANDS = (
    ("target_loss_usd_m", "target_loss_usd", 1e-6),
    ("target_loss_pct_gdp", "target_loss_pct_gdp", 1.0),
    ("sender_cost_usd_m", "sender_cost_usd", 1e-6),
    ("sender_cost_pct_gdp", "sender_cost_pct_gdp", 1.0),
)


def _rows(doc: ResultDocument) -> list[LeverAssessment]:
    return [*doc.levers, *([doc.combined] if doc.combined else [])]


def verdict_frame(doc: ResultDocument) -> pd.DataFrame:
    """Return the verdict table of a result: a row per lever (and the combined row).

    Parameters
    ----------
    doc
        The typed result.json document (:meth:`ScenarioResult.document`).

    Returns
    -------
    pandas.DataFrame
        Indexed by lever id: ``label``, ``kind``, ``verdict``, ``judgement``, ``feasible``,
        target loss (US$ million/yr and % of the target's GDP) and sender cost (US$
        million/yr and % of the sender's GDP) as ``_p5``/``_p50``/``_p95`` columns,
        ``routed_1y``/``routed_3y`` (median shares 0-1 of the flow routed around, NaN
        where the kind has none) and ``alternative_to``.
    """
    records = []
    for lv in _rows(doc):
        rec: dict[str, object] = {"lever": lv.id, "label": lv.label, "kind": lv.kind,
                                  "verdict": lv.verdict, "judgement": lv.judgement,
                                  "feasible": lv.feasible}
        for column, key, scale in _VERDICT_BANDS:
            band: Band = getattr(lv, key)
            for p in ("p5", "p50", "p95"):
                rec[f"{column}_{p}"] = getattr(band, p) * scale
        for column, sub in (("routed_1y", lv.substitution_1y), ("routed_3y", lv.substitution_3y)):
            rec[column] = float("nan") if sub is None else sub.p50
        rec["alternative_to"] = lv.alternative_to
        records.append(rec)
    frame = pd.DataFrame.from_records(records).set_index("lever")
    frame.attrs.update(sender=doc.sender, target=doc.target, year=doc.year, draws=doc.draws,
                       seed=doc.seed,
                       units={"usd_m": "US$ million per year", "pct_gdp": "% of own GDP"})
    return frame


def claims_frame(doc: ResultDocument) -> pd.DataFrame:
    """Return the claim checks of a result (claimed, computed, verdict)."""
    columns = ["text", "indicator", "year", "claimed", "computed", "unit", "verdict",
               "explanation"]
    return pd.DataFrame([{c: claim.get(c) for c in columns} for claim in doc.claims],
                        columns=columns)


def sources_frame(doc: ResultDocument, key: Literal["sources", "assumptions"] = "sources",
                  ) -> pd.DataFrame:
    """Return the sourced figures (or the labelled assumptions) each lever used.

    One row per lever and entry: ``lever`` and the fields of
    :class:`~geolever.assessment.Source` (without its alternatives) or of
    :class:`~geolever.assessment.Assumption`.
    """
    rows = [{"lever": lv.id, **item.model_dump(exclude={"alternatives"})}
            for lv in _rows(doc) for item in getattr(lv, key)]
    return pd.DataFrame(rows)


def members_frame(doc: ResultDocument) -> pd.DataFrame:
    """Return a coalition sender's cost by member: one row per lever and member.

    Columns: ``lever, member, name, share_of_flow`` (0-1), ``cost_usd_m_p5/p50/p95``
    (US$ million per year) and ``cost_pct_gdp_p5/p50/p95`` (% of the member's own GDP).
    Empty for a single-country sender.
    """
    rows = []
    for lv in _rows(doc):
        for part in lv.sender_cost_by_member:
            row: dict[str, object] = {"lever": lv.id, "member": part.member, "name": part.name,
                                      "share_of_flow": part.share_of_flow}
            for q in ("p5", "p50", "p95"):
                row[f"cost_usd_m_{q}"] = getattr(part.cost_usd, q) / 1e6
            for q in ("p5", "p50", "p95"):
                pct = part.cost_pct_gdp
                row[f"cost_pct_gdp_{q}"] = None if pct is None else getattr(pct, q)
            rows.append(row)
    columns = ["lever", "member", "name", "share_of_flow",
               *(f"cost_usd_m_{q}" for q in ("p5", "p50", "p95")),
               *(f"cost_pct_gdp_{q}" for q in ("p5", "p50", "p95"))]
    return pd.DataFrame(rows, columns=columns)


def _html_table(frame: pd.DataFrame) -> str:
    return frame.to_html(escape=True, na_rep="-", float_format=lambda x: f"{x:,.3g}")


class Assessment:
    """The result of :func:`geolever.assess`: a scenario's lever assessments and claims.

    Every attribute of the typed :class:`~geolever.scenario.ScenarioResult` (``scenario``,
    ``assessment``, ``claims``, ``to_dict()``, ...) and of its
    :class:`~geolever.assessment.CaseAssessment` (``levers``, ``combined``, ``case``,
    ``lever(id)``, ...) is available on this object as well.

    Parameters
    ----------
    result
        The scenario run.
    """

    def __init__(self, result: ScenarioResult):
        self.result = result
        self._typed: ResultDocument | None = None
        self._doc: dict[str, Any] | None = None

    def __getattr__(self, name: str) -> Any:
        # Only called for names not found here: the run's own typed objects answer.
        if name.startswith("_") or name == "result":
            raise AttributeError(name)
        for obj in (self.result, self.result.assessment):
            if hasattr(obj, name):
                return getattr(obj, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *dir(self.result), *dir(self.result.assessment)})

    def __repr__(self) -> str:
        d = self.typed_document
        return (f"<Assessment {d.sender} -> {d.target} {d.year}: "
                f"{len(d.levers)} levers, {len(d.claims)} claims, {d.draws} draws>")

    @property
    def typed_document(self) -> ResultDocument:
        """The run's result.json as its typed model (computed once)."""
        if self._typed is None:
            self._typed = self.result.document()
        return self._typed

    @property
    def document(self) -> dict[str, Any]:
        """The result.json document of the run as JSON-ready data (computed once)."""
        if self._doc is None:
            self._doc = self.typed_document.to_dict()
        return self._doc

    def to_dict(self) -> dict[str, Any]:
        """Return result.json as a mapping (the document read when the run finished).

        The run's store may be closed by now (``store=":memory:"`` or a file the call
        opened), so this never reads it again.
        """
        return self.document

    def summary(self) -> str:
        """Return the verdict table as text (as statsmodels' ``summary()``).

        The case assessment's own ``summary()`` where it has one (geolever.assessment),
        followed by the claim checks.
        """
        own = getattr(self.result.assessment, "summary", None)
        head = own() if callable(own) else verdict_frame(self.typed_document)[
            ["verdict", "target_loss_usd_m_p50", "target_loss_pct_gdp_p50",
             "sender_cost_usd_m_p50", "sender_cost_pct_gdp_p50", "routed_1y", "routed_3y"]
        ].round(3).to_string()
        claims = claims_frame(self.typed_document)
        if claims.empty:
            return str(head)
        lines = [f"- {r.verdict}: {r.text} ({r.year})" for r in claims.itertuples()]
        return "\n".join([str(head), "Claims", *lines])

    def to_frame(self, table: AssessmentTable = "verdicts") -> pd.DataFrame:
        """Return one of the result's tables as a pandas DataFrame.

        Parameters
        ----------
        table
            ``"verdicts"``: one row per lever (see :func:`verdict_frame`; US$ million/yr
            and % of GDP). ``"bands"``: tidy p5/p50/p95 of every measure of every lever
            (``CaseAssessment.to_frame``). ``"draws"``: per-draw effects by lever and
            country (``CaseAssessment.draws_frame``, US$/yr, positive = loss).
            ``"claims"``: the claim checks. ``"sources"`` / ``"assumptions"``: the
            sourced figures and the labelled assumptions each lever used.
            ``"members"``: a coalition sender's cost by member (:func:`members_frame`).

        Returns
        -------
        pandas.DataFrame
        """
        if table == "verdicts":
            return verdict_frame(self.typed_document)
        if table == "claims":
            return claims_frame(self.typed_document)
        if table in ("sources", "assumptions"):
            return sources_frame(self.typed_document, table)
        if table == "members":
            return members_frame(self.typed_document)
        method = {"bands": "to_frame", "draws": "draws_frame"}.get(table)
        if method is None:
            raise ValueError(f"unknown table {table!r}; use one of "
                             f"{', '.join(get_args(AssessmentTable))}")
        own = getattr(self.result.assessment, method, None)
        if not callable(own):
            raise NotImplementedError(
                f"this geolever's CaseAssessment has no {method}(); table {table!r} needs it")
        frame: pd.DataFrame = own()
        return frame

    def plot(self, kind: Literal["loss_vs_cost", "routes"] = "loss_vs_cost",
             lever: str | None = None) -> Figure:
        """Draw the loss-against-cost chart or a lever's route chart (matplotlib).

        Parameters
        ----------
        kind
            ``"loss_vs_cost"``: target loss and sender cost per lever, US$ million/yr,
            medians with 5th-95th percentile whiskers. ``"routes"``: capacity and volume
            carried (Mt/yr) on each route of a network lever, before and after.
        lever
            The network lever for ``"routes"`` (default: the first one with routes).

        Returns
        -------
        matplotlib.figure.Figure
        """
        if kind == "loss_vs_cost":
            return plots.loss_vs_cost(self.document)
        if kind == "routes":
            return plots.routes(self.document, lever)
        raise ValueError(f"unknown chart {kind!r}; use 'loss_vs_cost' or 'routes'")

    def _repr_html_(self) -> str:
        d = self.typed_document
        title = html.escape(f"{d.title} ({d.year}, {d.draws} draws, seed {d.seed})")
        parts = [f"<h4>{title}</h4>", _html_table(verdict_frame(d).drop(
            columns=["kind", "judgement", "feasible", "alternative_to"]))]
        claims = claims_frame(d)
        if not claims.empty:
            parts += ["<h5>Claims</h5>", _html_table(claims[["text", "year", "claimed",
                                                            "computed", "unit", "verdict"]])]
        parts.append(plots.svg(plots.loss_vs_cost(self.document)))
        return "\n".join(parts)


class ClaimsCheck:
    """The result of :func:`geolever.check_claims`: every candidate sentence of a text.

    The attributes of the text check itself (``sentences``, ``checked``, ``not_checked``,
    ``to_dict()``, ...; see :func:`geolever.claims.check_text`) are available here too.

    Parameters
    ----------
    result
        The text check.
    """

    def __init__(self, result: Any):
        self.result = result
        self.document: dict[str, Any] = result.to_dict()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name in ("result", "document"):
            raise AttributeError(name)
        return getattr(self.result, name)

    def __repr__(self) -> str:
        s = self.document["summary"]
        return (f"<ClaimsCheck {self.document['sender']} -> {self.document['target']}: "
                f"{s['checked']} checked, {s['not_checked']} not checked>")

    def to_frame(self) -> pd.DataFrame:
        """One row per claim of a checked sentence, and one per sentence not checked.

        Returns
        -------
        pandas.DataFrame
            ``sentence`` (index in the text), ``text``, ``status``, ``metric``,
            ``claimed`` and ``unit`` (the claim in the metric's unit), ``year``,
            ``verdict``, ``explanation`` (or the reason it was not checked).
        """
        rows = []
        for s in self.document["sentences"]:
            base = {"sentence": s["index"], "text": s["text"], "status": s["status"]}
            if s["status"] != "checked":
                rows.append({**base, "explanation": s.get("reason", "")})
                continue
            for c in s["claims"]:
                rows.append({**base, "metric": c["metric"], "claimed": c["claimed"],
                             "unit": c["unit"], "year": c["year"], "verdict": c["verdict"],
                             "explanation": c["explanation"]})
        frame = pd.DataFrame(rows, columns=["sentence", "text", "status", "metric", "claimed",
                                            "unit", "year", "verdict", "explanation"])
        # a year, not a float: sentences not checked have none
        frame["year"] = frame["year"].astype("Int64")
        return frame

    def summary(self) -> str:
        """Return the checks as text: one line per claim or unchecked sentence."""
        lines = []
        for r in self.to_frame().itertuples():
            what = (f"{r.verdict} ({r.metric}, {r.year})" if r.status == "checked"
                    else f"not checked: {r.explanation}")
            lines.append(f"[{r.sentence}] {what}: {r.text}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        frame = self.to_frame().drop(columns=["claimed"])
        return _html_table(frame)

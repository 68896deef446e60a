/* geolever dashboard: builds a scenario (the same schema as the YAML files) from a form,
   submits it as a job, polls its progress and shows the verdicts, charts and claims.
   No framework; every value from the server or the user is inserted as text, never HTML. */
"use strict";

const state = {
  leverKinds: {},     // kind -> {title, schema}
  cases: {},          // name -> case info
  template: null,     // the case's example scenario
  claims: [],         // structured claims carried from the template / JSON editor
  limits: {},
  lastResult: null,
};

// ------------------------------------------------------------------ helpers
function $(id) { return document.getElementById(id); }

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

async function api(path, options = {}) {
  const res = await fetch(path, options);
  const type = res.headers.get("content-type") || "";
  const body = type.includes("json") ? await res.json() : await res.text();
  if (!res.ok) {
    const err = new Error(typeof body === "object" ? body.message : String(body));
    err.status = res.status;
    err.body = body;
    throw err;
  }
  return body;
}

function describeError(err) {
  const b = err.body;
  if (b && typeof b === "object") {
    let text = (b.field ? `${b.field}: ` : "") + (b.message || b.error);
    if (b.fix) text += `\nFix: ${b.fix}`;
    if (b.problems && b.problems.length > 1) {
      text += "\n" + b.problems.slice(1).map((p) => `• ${p.field}: ${p.message}`).join("\n");
    }
    return `${b.error || "Error"} (HTTP ${err.status})\n${text}`;
  }
  return String(err.message || err);
}

function showError(box, err) {
  box.textContent = err ? describeError(err) : "";
  box.hidden = !err;
}

const fmtM = (x) => (x === null || x === undefined ? "-" :
  (x / 1e6).toLocaleString("en-US", { maximumFractionDigits: 0 }));
const band = (b) => (b ? `${fmtM(b.p50)} [${fmtM(b.p5)}–${fmtM(b.p95)}]` : "-");
const pct = (x, d = 2) => (x === null || x === undefined ? "-" : `${x.toFixed(d)}%`);
const share = (b) => (b ? `${Math.round(b.p50 * 100)}%` : "-");
const slug = (s) => String(s).toLowerCase().replace(/[^a-z0-9]+/g, "-");

function claimValue(x, unit) {
  if (x === null || x === undefined) return "-";
  if (unit === "USD") return `US$${fmtM(x)}m`;
  if (unit === "pct") return `${x.toFixed(1)}%`;
  if (unit === "flag") return x > 0 ? "operating" : "not operating";
  return `${Number(x).toPrecision(3)} ${unit}`;
}

// ------------------------------------------------------------------ lever forms
function unwrap(prop) {
  // Optional fields are anyOf [X, null] in pydantic's JSON schema.
  if (prop.anyOf) {
    const inner = prop.anyOf.find((p) => p.type !== "null");
    return { ...inner, description: prop.description, default: prop.default, optional: true };
  }
  return prop;
}

function fieldInput(kind, name, prop, value) {
  const p = unwrap(prop);
  const id = `f-${Math.random().toString(36).slice(2)}`;
  let input;
  if (p.enum) {
    input = el("select", { id, "data-field": name, "data-type": "enum" });
    if (p.optional) input.append(el("option", { value: "", text: "(none)" }));
    for (const opt of p.enum) input.append(el("option", { value: opt, text: opt }));
    input.value = value ?? p.default ?? "";
  } else if (p.type === "array" && p.prefixItems) {
    input = el("span", { class: "tuple", "data-field": name, "data-type": "tuple" });
    const vals = value ?? p.default ?? [];
    p.prefixItems.forEach((_, i) => {
      input.append(el("input", { type: "number", step: "any", value: vals[i] ?? "",
        "aria-label": `${name} ${i + 1}`, required: true }));
    });
  } else if (p.type === "array") {
    const list = name === "goods" ? "products" : null;
    input = el("input", { id, "data-field": name, "data-type": "list", list,
      placeholder: "comma-separated", value: (value ?? []).join(", ") });
  } else if (p.type === "number" || p.type === "integer") {
    input = el("input", { id, type: "number", step: "any", "data-field": name,
      "data-type": "number", min: p.minimum ?? p.exclusiveMinimum, max: p.maximum,
      value: value ?? p.default ?? "" });
  } else if (name === "rationale") {
    input = el("textarea", { id, rows: 3, "data-field": name, "data-type": "string" });
    input.value = value ?? "";
  } else {
    const list = { asset: "assets", corridor: "corridors", excluded: "countries" }[name] || null;
    input = el("input", { id, "data-field": name, "data-type": "string", list,
      value: value ?? p.default ?? "" });
  }
  const label = el("label", { for: id }, name + (p.optional || "default" in p ? "" : " *"), input);
  if (p.description) label.append(el("span", { class: "help", text: p.description }));
  return label;
}

function leverCard(lever) {
  const kind = lever.kind;
  const info = state.leverKinds[kind];
  const card = el("div", { class: "lever", "data-kind": kind });
  const remove = el("button", { type: "button", class: "secondary", text: "Remove" });
  remove.addEventListener("click", () => { card.remove(); syncJson(); });
  card.append(el("div", { class: "lever-head" },
    el("strong", { text: `${kind}` }), el("span", { class: "muted", text: info.title }), remove));
  const grid = el("div", { class: "grid" });
  for (const [name, prop] of Object.entries(info.schema.properties)) {
    if (name === "kind") continue;
    grid.append(fieldInput(kind, name, prop, lever[name]));
  }
  card.append(grid);
  card.addEventListener("change", syncJson);
  return card;
}

function readLever(card) {
  const out = { kind: card.dataset.kind };
  for (const node of card.querySelectorAll("[data-field]")) {
    const name = node.dataset.field;
    const type = node.dataset.type;
    if (type === "tuple") {
      const vals = [...node.querySelectorAll("input")].map((i) => i.value);
      if (vals.some((v) => v !== "")) out[name] = vals.map(Number);
    } else if (type === "list") {
      const vals = node.value.split(",").map((s) => s.trim()).filter(Boolean);
      if (vals.length) out[name] = vals;
    } else if (type === "number") {
      if (node.value !== "") out[name] = Number(node.value);
    } else if (node.value.trim() !== "") {
      out[name] = node.value.trim();
    }
  }
  return out;
}

// ------------------------------------------------------------------ scenario <-> form
function readForm() {
  const s = {
    case: $("case").value,
    sender: $("sender").value.trim(),
    target: $("target").value.trim(),
    seed: Number($("seed").value),
    draws: Number($("draws").value),
    levers: [...document.querySelectorAll("#levers .lever")].map(readLever),
    claims: state.claims,
  };
  if ($("year").value !== "") s.year = Number($("year").value);
  if ($("title").value.trim() !== "") s.title = $("title").value.trim();
  return s;
}

function fillForm(s) {
  if (s.case && state.cases[s.case]) $("case").value = s.case;
  $("sender").value = s.sender ?? "";
  $("target").value = s.target ?? "";
  $("year").value = s.year ?? "";
  $("seed").value = s.seed ?? 0;
  $("draws").value = s.draws ?? 2000;
  $("title").value = s.title ?? "";
  const box = $("levers");
  box.replaceChildren();
  for (const lever of s.levers || []) {
    if (state.leverKinds[lever.kind]) box.append(leverCard(lever));
  }
  state.claims = Array.isArray(s.claims) ? s.claims : [];
  syncJson();
}

function syncJson() {
  $("scenario-json").value = JSON.stringify(readForm(), null, 2);
  const n = state.claims.length;
  $("claims-summary").textContent = n
    ? `${n} structured claim(s) will be checked with the levers: ` +
      state.claims.map((c) => `“${c.text}”`).join("; ") + ". Edit them in the JSON editor below."
    : "No structured claims (add them in the JSON editor below, or check a text further down).";
}

function applyCaseInfo(name) {
  const info = state.cases[name];
  if (!info) return;
  $("case-description").textContent = info.description || "";
  const assets = $("assets");
  const corridors = $("corridors");
  assets.replaceChildren();
  corridors.replaceChildren();
  for (const [key, net] of Object.entries(info.networks || {})) {
    corridors.append(el("option", { value: key, text: net.title }));
    for (const e of net.edges) assets.append(el("option", { value: e.id, text: e.name }));
  }
}

async function loadTemplate(name) {
  applyCaseInfo(name);
  const info = state.cases[name];
  if (info && info.has_scenario) {
    state.template = await api(`/api/cases/${encodeURIComponent(name)}/scenario`);
    fillForm(state.template);
  } else {
    fillForm({ case: name, sender: info?.sender, target: info?.target,
      year: info?.default_year, levers: [] });
  }
}

// ------------------------------------------------------------------ running a job
async function runScenario(ev) {
  ev.preventDefault();
  showError($("error"), null);
  let scenario;
  try {
    scenario = $("json-editor").open ? JSON.parse($("scenario-json").value) : readForm();
  } catch (e) {
    showError($("error"), { body: { error: "MalformedJSON", message: e.message, field: "JSON editor" }, status: "-" });
    return;
  }
  const button = $("run");
  button.disabled = true;
  const bar = $("progress");
  bar.hidden = false;
  bar.value = 0;
  $("job-stage").textContent = "submitting";
  try {
    let job = await api("/api/assessments", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(scenario),
    });
    document.body.dataset.jobId = job.id;
    while (job.state === "queued" || job.state === "running") {
      bar.value = job.progress.fraction;
      $("job-stage").textContent = job.state === "queued"
        ? `queued (${job.queue_position ?? 0} ahead)` : job.stage;
      await new Promise((r) => setTimeout(r, 300));
      job = await api(`/api/assessments/${job.id}`);
    }
    if (job.state === "failed") {
      throw { body: job.error, status: "job failed" };
    }
    bar.value = 1;
    $("job-stage").textContent = `done in ${job.elapsed_s}s`;
    const result = await api(job.links.result);
    state.lastResult = result;
    showResult(result, job);
  } catch (err) {
    $("job-stage").textContent = "";
    showError($("error"), err);
  } finally {
    button.disabled = false;
  }
}

// ------------------------------------------------------------------ results
const VERDICT_COLUMNS = ["lever", "verdict", "target loss US$m p50 [p5–p95]", "% GDP",
  "sender cost US$m p50 [p5–p95]", "asymmetry", "routed around 1y / 3y", "feasibility", "why"];

function setHead(table, cols) {
  table.tHead.replaceChildren(el("tr", {}, ...cols.map((c) => el("th", { text: c }))));
}

function showResult(r, job) {
  $("results").hidden = false;
  $("result-title").textContent = r.title;
  $("result-meta").textContent = `${r.sender_name} (${r.sender}) → ${r.target_name} (${r.target}), ` +
    `${r.year}; ${r.draws} Monte Carlo draws, seed ${r.seed}; geolever ${r.geolever_version}`;
  $("dl-report").href = `${job.links.report}?download=true`;
  $("dl-json").href = `${job.links.result}?download=true`;
  $("dl-md").href = job.links.markdown;
  $("open-report").href = job.links.report;

  const table = $("verdicts");
  setHead(table, VERDICT_COLUMNS.map((c) => c.replace("target", r.target).replace("sender", r.sender)));
  const body = table.tBodies[0];
  body.replaceChildren();
  const rows = [...r.levers, ...(r.combined ? [r.combined] : [])];
  for (const lv of rows) {
    const asym = lv.asymmetry ? lv.asymmetry.p50 : null;
    const sub = lv.substitution_1y ? `${share(lv.substitution_1y)} / ${share(lv.substitution_3y)}` : "-";
    body.append(el("tr", { "data-lever-id": lv.id, class: lv.kind === "combined" ? "combined" : null },
      el("td", {}, lv.label + (lv.judgement && lv.kind !== "combined" ? " (judgement)" : "")),
      el("td", { class: `verdict v-${slug(lv.verdict)}`, text: lv.verdict }),
      el("td", { class: "num", text: band(lv.target_loss_usd) }),
      el("td", { class: "num", text: pct(lv.target_loss_pct_gdp?.p50) }),
      el("td", { class: "num", text: band(lv.sender_cost_usd) }),
      el("td", { class: "num", text: !lv.feasible || asym === null ? "-" :
        (asym < 1e5 ? `${asym.toLocaleString("en-US", { maximumFractionDigits: 0 })}×` : ">100000×") }),
      el("td", { class: "num", text: sub }),
      el("td", { text: lv.feasibility }),
      el("td", { text: lv.reasons && lv.reasons.length ? lv.reasons[lv.reasons.length - 1] : "" })));
  }
  lossChart(r);
  routeCharts(r);
  claimsTable($("claims-table"), r.claims);
  $("no-claims").hidden = r.claims.length > 0;
}

function lossChart(r) {
  if (!window.Plotly) return;
  const levers = [...r.levers, ...(r.combined ? [r.combined] : [])];
  const labels = levers.map((lv) => `${lv.id} [${lv.verdict}]`);
  const trace = (key, name, color) => ({
    type: "bar", orientation: "h", name, y: labels,
    x: levers.map((lv) => lv[key].p50 / 1e6),
    error_x: { type: "data", symmetric: false, color: "#7f8c8d", thickness: 1.2,
      array: levers.map((lv) => Math.max(0, (lv[key].p95 - lv[key].p50) / 1e6)),
      arrayminus: levers.map((lv) => Math.max(0, (lv[key].p50 - lv[key].p5) / 1e6)) },
    marker: { color },
    hovertemplate: "%{y}<br>" + name + ": US$%{x:,.0f}m (median)<extra></extra>",
  });
  Plotly.react("chart-loss", [
    trace("target_loss_usd", `${r.target} loss`, "#c0392b"),
    trace("sender_cost_usd", `${r.sender} cost`, "#2c3e50"),
  ], {
    barmode: "group", height: 120 + 46 * levers.length, margin: { l: 220, r: 20, t: 30, b: 50 },
    xaxis: { title: { text: "US$ million per year (median; whiskers: 5th–95th percentile)" }, zeroline: true },
    yaxis: { autorange: "reversed" }, legend: { orientation: "h", y: 1.08 },
  }, { responsive: true, displaylogo: false });
}

function routeCharts(r) {
  const box = $("route-charts");
  box.replaceChildren();
  if (!window.Plotly) return;
  for (const lv of r.levers) {
    const edges = lv.details && lv.details.edges;
    if (!edges || !edges.length) continue;
    const id = `chart-routes-${slug(lv.id)}`;
    box.append(el("h3", { text: `${lv.label}: capacity and volume carried` }),
      el("div", { id, class: "chart route-chart", "data-lever-id": lv.id }));
    const names = edges.map((e) => e.id + (e.operating ? "" : " (suspended)"));
    Plotly.newPlot(id, [
      { type: "bar", orientation: "h", name: "capacity", y: names, x: edges.map((e) => e.capacity_mt),
        marker: { color: "#ecf0f1", line: { color: "#95a5a6", width: 1 } } },
      { type: "bar", orientation: "h", name: "carried (baseline)", y: names, x: edges.map((e) => e.volume_mt),
        marker: { color: "#2980b9" } },
      { type: "bar", orientation: "h", name: "after the lever", y: names, x: edges.map((e) => e.new_volume_mt),
        marker: { color: "#e67e22" } },
    ], {
      barmode: "group", height: 110 + 40 * edges.length, margin: { l: 200, r: 20, t: 20, b: 45 },
      xaxis: { title: { text: "Mt per year" } }, yaxis: { autorange: "reversed" },
      legend: { orientation: "h", y: 1.12 },
    }, { responsive: true, displaylogo: false });
  }
}

function claimsTable(table, claims) {
  setHead(table, ["claim", "year", "claimed", "computed", "verdict", "explanation"]);
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const c of claims || []) {
    const verdict = c.verdict || "unverifiable";
    body.append(el("tr", {},
      el("td", { text: c.text }),
      el("td", { text: c.year ?? "-" }),
      el("td", { class: "num", text: claimValue(c.claimed, c.unit) }),
      el("td", { class: "num", text: claimValue(c.computed, c.unit) }),
      el("td", { class: `c-${slug(verdict)}`, text: verdict }),
      el("td", { text: c.explanation })));
  }
}

// ------------------------------------------------------------------ claims of a text
function textClaimsTable(out) {
  const table = $("text-claims");
  setHead(table, ["sentence", "claim", "year", "claimed", "computed", "verdict", "explanation"]);
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const s of out.sentences) {
    if (s.status !== "checked" || !s.claims.length) {
      body.append(el("tr", { "data-status": "not-checked" },
        el("td", { text: s.text }), el("td", { text: "-" }), el("td", { text: "-" }),
        el("td", { text: "-" }), el("td", { text: "-" }),
        el("td", { class: "c-not-checked", text: "not checked" }), el("td", { text: s.reason })));
      continue;
    }
    for (const c of s.claims) {
      const verdict = c.verdict || "unverifiable";
      const r = c.result || {};
      body.append(el("tr", { "data-status": "checked" },
        el("td", { text: s.text }), el("td", { text: `${c.quantity} (${c.metric})` }),
        el("td", { text: c.year ?? "-" }),
        el("td", { class: "num", text: claimValue(c.claimed, c.unit) }),
        el("td", { class: "num", text: claimValue(r.computed, r.unit || c.unit) }),
        el("td", { class: `c-${slug(verdict)}`, text: verdict }),
        el("td", { text: c.explanation || c.note || "" })));
    }
  }
}

async function checkText() {
  showError($("text-error"), null);
  $("check-status").textContent = "checking…";
  $("check-text").disabled = true;
  try {
    const out = await api("/api/claims/check", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: $("claims-text").value, case: $("case").value }),
    });
    textClaimsTable(out);
    const sm = out.summary;
    $("check-status").textContent = `${sm.sentences} sentence(s), ${sm.candidates} candidate(s): ` +
      `${sm.checked} checked, ${sm.not_checked} not checked (reference year ${out.reference_year})`;
  } catch (err) {
    $("check-status").textContent = "";
    showError($("text-error"), err);
  } finally {
    $("check-text").disabled = false;
  }
}

// ------------------------------------------------------------------ start-up
async function init() {
  const [health, cases, countries, levers, products] = await Promise.all([
    api("/api/health"), api("/api/cases"), api("/api/countries"), api("/api/levers"),
    api("/api/products"),
  ]);
  state.limits = health.limits;
  $("version").textContent = `v${health.version}`;
  $("draws").max = health.limits.max_draws;
  $("countries").replaceChildren(...countries.map((c) => el("option", { value: c.code, text: c.name })));
  $("products").replaceChildren(...products.map((p) => el("option", { value: p.code, text: `${p.name} (HS ${p.hs})` })));
  for (const lv of levers) state.leverKinds[lv.kind] = lv;
  $("new-lever-kind").replaceChildren(...levers.map((lv) => el("option", { value: lv.kind, text: `${lv.kind}: ${lv.title}` })));
  for (const c of cases) state.cases[c.name] = c;
  $("case").replaceChildren(...cases.map((c) => el("option", { value: c.name, text: c.title })));

  $("case").addEventListener("change", () => loadTemplate($("case").value));
  $("add-lever").addEventListener("click", () => {
    if (document.querySelectorAll("#levers .lever").length >= state.limits.max_levers) {
      showError($("error"), { body: { error: "TooManyLevers", field: "levers",
        message: `at most ${state.limits.max_levers} levers` }, status: "-" });
      return;
    }
    $("levers").append(leverCard({ kind: $("new-lever-kind").value }));
    syncJson();
  });
  $("reset-template").addEventListener("click", () => loadTemplate($("case").value));
  $("apply-json").addEventListener("click", () => {
    try {
      fillForm(JSON.parse($("scenario-json").value));
      showError($("error"), null);
    } catch (e) {
      showError($("error"), { body: { error: "MalformedJSON", message: e.message, field: "JSON editor" }, status: "-" });
    }
  });
  for (const id of ["sender", "target", "year", "seed", "draws", "title"]) {
    $(id).addEventListener("change", syncJson);
  }
  $("scenario-form").addEventListener("submit", runScenario);
  $("check-text").addEventListener("click", checkText);
  if (cases.length) await loadTemplate(cases[0].name);
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", () => {
  init().catch((err) => showError($("error"), err));
});

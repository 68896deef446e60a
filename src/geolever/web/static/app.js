/* geolever dashboard. Builds a scenario (the schema of the YAML files, read from
   /api/schema/scenario) from a compact form, runs it as a job and shows the results first:
   verdict cards, loss against cost, a world map of general-equilibrium effects, a drill-down
   per lever; a claims tab highlights a text's sentences with their verdicts. The scenario is
   kept in the URL (#s=...) so a result can be shared. No framework; every value from the
   server or the user is inserted as text, never as HTML. */
"use strict";

const state = {
  schema: null,       // JSON Schema of a scenario
  leverKinds: {},     // kind -> {title, doc}
  cases: {},          // name -> case info
  groups: {},         // group code -> member ISO3 codes
  claims: [],         // structured claims carried from the template / JSON editor
  limits: {},
  lastResult: null,
  selected: null,     // lever id shown in the drill-down
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

// Numbers for people, as geolever.core.formats: US$16.1m, US$1.61bn, 0.44%.
function sig(x, digits = 3) {
  if (x === 0) return "0";
  const r = Number(x.toPrecision(digits));
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(r))));
  return r.toLocaleString("en-US", { maximumFractionDigits: decimals });
}
function money(x, currency = "US$") {
  if (x === null || x === undefined || Number.isNaN(x)) return "-";
  const sign = x < 0 ? "-" : "";
  const a = Number(Math.abs(x).toPrecision(3));
  if (a === 0) return `${currency}0`;
  for (const [t, s] of [[1e12, "tn"], [1e9, "bn"], [1e6, "m"], [1e3, "k"]]) {
    if (a >= t) return `${sign}${currency}${sig(a / t)}${s}`;
  }
  return `${sign}${currency}${a >= 1 ? sig(a) : a.toFixed(2)}`;
}
const moneyBand = (b) => (b ? `${money(b.p50)} (${money(b.p5)} to ${money(b.p95)})` : "-");
function pct(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return "-";
  if (x === 0) return "0%";
  return Math.abs(x) >= 10 ? `${x.toFixed(1)}%` : `${sig(x, 2)}%`;
}
const share = (b) => (b ? `${Math.round(b.p50 * 100)}%` : "-");
const slug = (s) => String(s).toLowerCase().replace(/[^a-z0-9]+/g, "-");

function claimValue(x, unit) {
  if (x === null || x === undefined) return "-";
  if (unit === "USD") return money(x);
  if (unit === "pct") return `${Number(x).toFixed(1)}%`;
  if (unit === "flag") return x > 0 ? "operating" : "not operating";
  if (unit === "ratio") return `${Number(x).toFixed(2)}x`;
  return `${sig(Number(x), 4)} ${unit}`;
}

// A field name for people: tariff_pct -> "Tariff (%)", target_impact_pct_gdp -> "Target
// impact (% of GDP)", alternative_to -> "Alternative to".
const WORDS = { gdp: "GDP", usd: "US$", id: "ID", hs: "HS", io: "IO", ge: "GE", pe: "PE", iso3: "ISO3" };
function humanise(name) {
  let words = String(name).split("_");
  let unit = "";
  const at = words.indexOf("pct");
  if (at >= 0) {
    unit = words.slice(at + 1).length ? ` (% of ${words.slice(at + 1).map((w) => WORDS[w] || w).join(" ")})` : " (%)";
    words = words.slice(0, at);
  }
  const text = words.map((w) => WORDS[w] || w).join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1) + unit;
}

// ------------------------------------------------------------------ schema
function resolve(node) {
  // "$ref": "#/$defs/X" -> the definition
  if (node && node.$ref) return state.schema.$defs[node.$ref.split("/").pop()];
  return node;
}

function unwrap(prop) {
  // Optional fields are anyOf [X, null] in pydantic's JSON schema.
  if (prop.anyOf) {
    const inner = prop.anyOf.find((p) => p.type !== "null");
    return { ...resolve(inner), title: prop.title, description: prop.description,
      default: prop.default, optional: true };
  }
  return prop;
}

function kindDef(kind) {
  const items = state.schema.properties.levers.items;
  return resolve({ $ref: items.discriminator.mapping[kind] });
}

function isSubModel(prop) {
  return Boolean(prop.discriminator && prop.oneOf);
}

// Fields hidden until needed: ids and cross references (they have defaults that work).
const ADVANCED = new Set(["id", "alternative_to"]);

// A field named "<value>_..." applies only when a sibling choice has that value
// (tariff_pct with measure = tariff): read from the schema's enums, no list of kinds.
function appliesTo(name, def, values) {
  for (const [other, raw] of Object.entries(def.properties)) {
    const p = unwrap(raw);
    if (other === name || !p.enum) continue;
    const prefix = p.enum.find((v) => name.startsWith(`${v}_`));
    if (prefix) return (values[other] ?? p.default) === prefix;
  }
  return true;
}

// ------------------------------------------------------------------ lever cards
let uid = 0;
const nextId = () => `f${++uid}`;

function fieldInput(name, prop, value) {
  const p = unwrap(prop);
  const id = nextId();
  let input;
  if (p.enum) {
    input = el("select", { id, "data-field": name, "data-type": "enum" });
    if (p.optional) input.append(el("option", { value: "", text: "(none)" }));
    for (const opt of p.enum) input.append(el("option", { value: opt, text: opt }));
    input.value = value ?? p.default ?? "";
  } else if (p.type === "array" && p.prefixItems) {
    input = el("span", { class: "tuple", "data-field": name, "data-type": "tuple", role: "group",
      "aria-label": humanise(name) });
    const vals = value ?? p.default ?? [];
    p.prefixItems.forEach((_, i) => {
      input.append(el("input", { type: "number", step: "any", value: vals[i] ?? "",
        "aria-label": `${humanise(name)} ${i + 1}`, required: true }));
    });
  } else if (p.type === "array" && p["x-one-per-line"]) {
    // entries that hold commas themselves (VAR=0@A-B,C:D): one entry per line
    input = el("textarea", { id, rows: 2, "data-field": name, "data-type": "lines",
      placeholder: "one per line" });
    input.value = (value ?? []).join("\n");
  } else if (p.type === "array") {
    const list = name === "goods" ? "products" : null;
    input = el("input", { id, "data-field": name, "data-type": "list", list,
      placeholder: "comma-separated", value: (value ?? []).join(", ") });
  } else if (p.type === "number" || p.type === "integer") {
    input = el("input", { id, type: "number", step: "any", "data-field": name,
      "data-type": "number", min: p.minimum ?? p.exclusiveMinimum, max: p.maximum,
      value: value ?? p.default ?? "" });
  } else if (p.type === "boolean") {
    input = el("input", { id, type: "checkbox", "data-field": name, "data-type": "boolean" });
    input.checked = Boolean(value ?? p.default);
  } else if ((p.description || "").length > 0 && name === "rationale") {
    input = el("textarea", { id, rows: 3, "data-field": name, "data-type": "string" });
    input.value = value ?? "";
  } else {
    const list = { asset: "assets", corridor: "corridors", excluded: "countries" }[name] || null;
    input = el("input", { id, "data-field": name, "data-type": "string", list,
      value: value ?? p.default ?? "" });
  }
  const required = !(p.optional || "default" in p);
  const label = el("label", { for: input.tagName === "SPAN" ? null : id, class: "field",
    "data-name": name }, el("span", { class: "field-name", text: humanise(name) + (required ? " *" : "") }), input);
  if (p.description) label.append(el("span", { class: "help", text: p.description }));
  return label;
}

function modelInput(name, prop, value) {
  // A typed sub-model chosen once (model: {name: io, table: wiod2013, year: 2011}).
  const key = prop.discriminator.propertyName;
  const options = prop.oneOf.map((ref) => resolve(ref));
  const current = (typeof value === "string" ? { [key]: value } : value) || {};
  const box = el("fieldset", { class: "submodel", "data-field": name, "data-type": "model" },
    el("legend", { text: humanise(name) }));
  const select = el("select", { "data-key": key, "aria-label": humanise(name) });
  for (const def of options) {
    const v = def.properties[key].const ?? def.properties[key].default;
    select.append(el("option", { value: v, text: `${v.toUpperCase()}: ${def.description || def.title}` }));
  }
  select.value = current[key] ?? select.options[0].value;
  const fields = el("div", { class: "grid" });
  const draw = () => {
    fields.replaceChildren();
    const def = options.find((d) => (d.properties[key].const ?? d.properties[key].default) === select.value);
    for (const [f, p] of Object.entries(def.properties)) {
      if (f === key) continue;
      fields.append(fieldInput(f, p, current[f]));
    }
  };
  select.addEventListener("change", () => { draw(); });
  draw();
  box.append(select, fields);
  if (prop.description) box.append(el("span", { class: "help", text: prop.description }));
  return box;
}

function summary(lever) {
  const parts = [];
  for (const [k, v] of Object.entries(lever)) {
    if (["kind", "id", "label", "alternative_to"].includes(k) || v === null || v === undefined) continue;
    const text = Array.isArray(v) ? v.join(", ") : typeof v === "object" ? Object.values(v).join(" ") : v;
    parts.push(`${humanise(k)}: ${text}`);
  }
  return parts.join(" · ");
}

function leverCard(lever, open = false) {
  const kind = lever.kind;
  const def = kindDef(kind);
  const info = state.leverKinds[kind] || {};
  const card = el("article", { class: "lever", role: "listitem", "data-kind": kind });
  const body = el("div", { class: "lever-body", id: nextId() });
  const title = el("strong", { class: "lever-title" });
  const sub = el("span", { class: "lever-summary muted" });
  const edit = el("button", { type: "button", class: "secondary small", "aria-expanded": String(open),
    "aria-controls": body.id, text: "Edit" });
  const remove = el("button", { type: "button", class: "secondary small", text: "Remove" });
  const refresh = () => {
    const now = readLever(card);
    title.textContent = now.label || info.title || humanise(kind);
    sub.textContent = `${humanise(kind)} · ${summary(now)}`;
    sub.title = sub.textContent;
    remove.setAttribute("aria-label", `Remove ${title.textContent}`);
    edit.setAttribute("aria-label", `Edit ${title.textContent}`);
  };
  edit.addEventListener("click", () => {
    const show = body.hidden;
    body.hidden = !show;
    edit.setAttribute("aria-expanded", String(show));
    if (show) body.querySelector("input, select, textarea")?.focus();
  });
  remove.addEventListener("click", () => { card.remove(); syncJson(); });
  card.append(el("div", { class: "lever-head" }, el("div", {}, title, el("br"), sub),
    el("div", { class: "lever-actions" }, edit, remove)));

  const main = el("div", { class: "grid" });
  const more = el("details", { class: "more" }, el("summary", { text: "Identifier and cross-reference" }));
  const moreGrid = el("div", { class: "grid" });
  more.append(moreGrid);
  for (const [name, prop] of Object.entries(def.properties)) {
    if (name === "kind") continue;
    const node = isSubModel(prop) ? modelInput(name, prop, lever[name]) : fieldInput(name, prop, lever[name]);
    if (ADVANCED.has(name)) {
      moreGrid.append(node);
      if (lever[name]) more.open = true;
    } else main.append(node);
  }
  body.append(main, more);
  body.hidden = !open;
  card.append(body);
  const applyRules = () => {
    const values = readLever(card);
    for (const node of main.querySelectorAll(":scope > label.field")) {
      node.hidden = !appliesTo(node.dataset.name, def, values);
    }
  };
  card.addEventListener("change", () => { applyRules(); refresh(); syncJson(); });
  card.addEventListener("input", () => { refresh(); });
  applyRules();
  refresh();
  return card;
}

function readFields(container, out) {
  for (const node of container.querySelectorAll(":scope [data-field]")) {
    if (node.closest("[data-type='model']") && node.dataset.type !== "model") continue;
    if (node.closest("label.field")?.hidden) continue;
    const name = node.dataset.field;
    const type = node.dataset.type;
    if (type === "model") {
      const key = node.querySelector("select[data-key]").dataset.key;
      const m = { [key]: node.querySelector("select[data-key]").value };
      for (const f of node.querySelectorAll(".grid [data-field]")) {
        const sub = {};
        readOne(f, sub);
        Object.assign(m, sub);
      }
      const first = node.querySelector("select[data-key]").options[0].value;
      // the default model with no options of its own is left out (as in the YAML files)
      if (Object.keys(m).length === 1 && m[key] === first) continue;
      out[name] = Object.keys(m).length === 1 ? m[key] : m;
    } else {
      readOne(node, out);
    }
  }
  return out;
}

function readOne(node, out) {
  const name = node.dataset.field;
  const type = node.dataset.type;
  if (type === "tuple") {
    const vals = [...node.querySelectorAll("input")].map((i) => i.value);
    if (vals.some((v) => v !== "")) out[name] = vals.map(Number);
  } else if (type === "list" || type === "lines") {
    const vals = node.value.split(type === "list" ? "," : "\n").map((s) => s.trim())
      .filter(Boolean);
    if (vals.length) out[name] = vals;
  } else if (type === "number") {
    if (node.value !== "") out[name] = Number(node.value);
  } else if (type === "boolean") {
    out[name] = node.checked;
  } else if (node.value.trim() !== "") {
    out[name] = node.value.trim();
  }
}

function readLever(card) {
  return readFields(card, { kind: card.dataset.kind });
}

// ------------------------------------------------------------------ scenario <-> form
function readForm() {
  const s = {
    sender: $("sender").value.trim(),
    target: $("target").value.trim(),
    seed: Number($("seed").value),
    draws: Number($("draws").value),
    levers: [...document.querySelectorAll("#levers .lever")].map(readLever),
    claims: state.claims,
  };
  if ($("case").value) s.case = $("case").value;
  if ($("year").value !== "") s.year = Number($("year").value);
  if (state.title && state.titleFor === `${s.case}|${s.sender}|${s.target}`) s.title = state.title;
  return s;
}

function fillForm(s) {
  $("case").value = s.case && state.cases[s.case] ? s.case : "";
  applyCaseInfo($("case").value);
  $("sender").value = s.sender ?? "";
  $("target").value = s.target ?? "";
  $("year").value = s.year ?? "";
  $("seed").value = s.seed ?? 0;
  $("draws").value = s.draws ?? 2000;
  state.title = s.title || null;
  state.titleFor = `${s.case && state.cases[s.case] ? s.case : undefined}|${s.sender}|${s.target}`;
  const box = $("levers");
  box.replaceChildren();
  for (const lever of s.levers || []) {
    if (state.leverKinds[lever.kind]) box.append(leverCard(lever));
  }
  state.claims = Array.isArray(s.claims) ? s.claims : [];
  syncJson();
}

function syncJson() {
  const s = readForm();
  $("scenario-json").value = JSON.stringify(s, null, 2);
  $("lever-count").textContent = `(${s.levers.length})`;
  const n = state.claims.length;
  $("claims-summary").textContent = n
    ? `${n} structured claim(s) are checked with the levers (edit them in the JSON).`
    : "No structured claims; the “Check a text” tab checks the claims of any text.";
}

function applyCaseInfo(name) {
  const info = state.cases[name];
  $("case-description").textContent = info ? info.description || "" :
    "No case pack: the case is built from the standard datasets in the store (BACI or Comtrade, " +
    "DOTS, WDI, KNOMAD, GEM); a lever whose data are missing is reported not assessable.";
  const assets = $("assets");
  const corridors = $("corridors");
  assets.replaceChildren();
  corridors.replaceChildren();
  for (const [key, net] of Object.entries((info && info.networks) || {})) {
    corridors.append(el("option", { value: key, text: net.title }));
    for (const e of net.edges) assets.append(el("option", { value: e.id, text: e.name }));
  }
}

// Levers for a pair without a pack: what the standard datasets can answer for any pair.
const STARTER_LEVERS = [
  { kind: "remittance_ban", share: 1 },
  { kind: "trade_restriction", goods: ["TOTAL"], direction: "imports" },
  { kind: "trade_restriction", goods: ["TOTAL"], direction: "exports" },
];

async function loadTemplate(name) {
  const info = state.cases[name];
  if (info && info.has_scenario) {
    fillForm(await api(`/api/cases/${encodeURIComponent(name)}/scenario`));
  } else if (info) {
    fillForm({ case: name, sender: info.sender, target: info.target, year: info.default_year,
      levers: STARTER_LEVERS });
  } else {
    fillForm({ sender: $("sender").value, target: $("target").value,
      year: $("year").value ? Number($("year").value) : null,
      seed: Number($("seed").value || 0), draws: Number($("draws").value || 1000),
      levers: STARTER_LEVERS });
  }
}

// ------------------------------------------------------------------ sharing
function encodeScenario(s) {
  const bytes = new TextEncoder().encode(JSON.stringify(s));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeScenario(text) {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
}

function shareUrl(s) {
  return `${location.origin}${location.pathname}#s=${encodeScenario(s)}`;
}

// ------------------------------------------------------------------ running a job
async function runScenario(ev) {
  if (ev) ev.preventDefault();
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
    history.replaceState(null, "", `#s=${encodeScenario(scenario)}`);
    document.body.dataset.jobId = job.id;
    while (job.state === "queued" || job.state === "running") {
      bar.value = job.progress.fraction;
      $("job-stage").textContent = job.state === "queued"
        ? `queued (${job.queue_position ?? 0} ahead)` : job.stage;
      await new Promise((r) => setTimeout(r, 300));
      job = await api(`/api/assessments/${job.id}`);
    }
    if (job.state === "failed") throw { body: job.error, status: "job failed" };
    bar.value = 1;
    $("job-stage").textContent = `done in ${job.elapsed_s}s`;
    const result = await api(job.links.result);
    state.lastResult = result;
    showResult(result, job, scenario);
    document.body.dataset.resultReady = "true";
  } catch (err) {
    $("job-stage").textContent = "";
    showError($("error"), err);
  } finally {
    button.disabled = false;
  }
}

// ------------------------------------------------------------------ results
function showResult(r, job, scenario) {
  $("placeholder").hidden = true;
  $("result-body").hidden = false;
  $("result-title").textContent = r.title;
  $("result-meta").textContent = `${r.sender_name} (${r.sender}) → ${r.target_name} (${r.target}), ` +
    `${r.year} · ${r.case_basis || `case pack ${r.case}`} · ${r.draws} Monte Carlo draws, seed ${r.seed} · ` +
    `geolever ${r.geolever_version}`;
  const answer = r.answer && (r.answer.text || r.answer);
  $("answer").hidden = !answer;
  $("answer").textContent = typeof answer === "string" ? answer : "";
  $("dl-report").href = `${job.links.report}?download=true`;
  $("dl-json").href = `${job.links.result}?download=true`;
  $("dl-md").href = job.links.markdown;
  $("open-report").href = job.links.report;
  $("copy-link").onclick = async () => {
    const url = shareUrl(scenario);
    try { await navigator.clipboard.writeText(url); $("copy-status").textContent = "copied"; }
    catch { $("copy-status").textContent = url; }
  };
  verdictCards(r);
  lossChart(r);
  worldMap(r);
  routeCharts(r);
  claimsTable($("claims-table"), r.claims);
  $("no-claims").hidden = r.claims.length > 0;
  $("drill").hidden = true;
  $("results").focus({ preventScroll: false });
}

function verdictCards(r) {
  const box = $("verdict-cards");
  box.replaceChildren();
  const rows = [...r.levers, ...(r.combined ? [r.combined] : [])];
  for (const lv of rows) {
    const combined = lv.kind === "combined" || lv === r.combined;
    const assessable = lv.verdict !== "not assessable";
    const card = el("button", { type: "button", class: `vcard v-${slug(lv.verdict)}${combined ? " combined" : ""}`,
      role: "listitem", "data-lever-id": lv.id, "aria-label": `${lv.label}: ${lv.verdict}. Show the details` },
      el("span", { class: "vcard-label", text: lv.label + (lv.judgement && !combined ? " (judgement)" : "") }),
      el("span", { class: "verdict", text: lv.verdict + (lv.damage && assessable && lv.feasible ? ` · damage ${lv.damage}` : "") }));
    if (assessable) {
      card.append(
        el("span", { class: "vcard-row" }, el("span", { class: "muted", text: `${r.target} loss ` }),
          el("strong", { text: money(lv.target_loss_usd?.p50) }),
          el("span", { class: "muted", text: ` ${pct(lv.target_loss_pct_gdp?.p50)} of GDP` })),
        el("span", { class: "vcard-row muted small", text: `band ${money(lv.target_loss_usd?.p5)} to ${money(lv.target_loss_usd?.p95)}` }),
        el("span", { class: "vcard-row" }, el("span", { class: "muted", text: `${r.sender} cost ` }),
          el("strong", { text: money(lv.sender_cost_usd?.p50) }),
          el("span", { class: "muted", text: ` ${pct(lv.sender_cost_pct_gdp?.p50)} of GDP` })),
        el("span", { class: "vcard-row muted small", text: lv.substitution_1y || lv.substitution_3y
          ? "routed around: " + [lv.substitution_1y && `${share(lv.substitution_1y)} in 1 year`,
            lv.substitution_3y && `${share(lv.substitution_3y)} in 3 years`].filter(Boolean).join(", ")
          : (lv.alternative_to ? "re-estimate, not in the total" : "") }));
    } else {
      card.append(el("span", { class: "vcard-row small", text: lv.missing?.message || lv.reasons?.[0] || "" }));
    }
    card.addEventListener("click", () => drill(r, lv));
    box.append(card);
  }
}

function drill(r, lv) {
  const box = $("drill");
  state.selected = lv.id;
  for (const c of document.querySelectorAll(".vcard")) c.classList.toggle("selected", c.dataset.leverId === lv.id);
  const close = el("button", { type: "button", class: "secondary small", text: "Close" });
  close.addEventListener("click", () => { box.hidden = true; document.querySelector(`.vcard[data-lever-id="${CSS.escape(lv.id)}"]`)?.focus(); });
  box.replaceChildren(
    el("div", { class: "drill-head" }, el("h3", { id: "drill-title", text: `${lv.label}: ${lv.verdict}` }), close),
    el("p", { class: "muted", text: lv.description || "" }));
  box.setAttribute("aria-labelledby", "drill-title");
  box.append(el("h4", { text: "Why" }), el("ul", {}, ...(lv.reasons || []).map((t) => el("li", { text: t }))));
  if (lv.notes && lv.notes.length) box.append(el("ul", { class: "muted" }, ...lv.notes.map((t) => el("li", { text: t }))));
  const drivers = lv.drivers || [];
  if (drivers.length) {
    box.append(el("h4", { text: "What drives the uncertainty (rank correlation with the target's loss)" }));
    const list = el("ol", { class: "drivers" });
    for (const d of drivers) {
      const w = Math.round(Math.abs(d.spearman_rho) * 100);
      list.append(el("li", {},
        el("span", { class: "driver-name", text: `${humanise(d.parameter)} (${d.basis})` }),
        el("span", { class: "bar", role: "img", "aria-label": `rho ${d.spearman_rho.toFixed(2)}` },
          el("span", { class: d.spearman_rho < 0 ? "neg" : "pos", style: `width:${w}%` })),
        el("span", { class: "num", text: d.spearman_rho.toFixed(2) }),
        el("span", { class: "help", text: d.description || "" })));
    }
    box.append(list);
  }
  if (lv.assumptions && lv.assumptions.length) {
    const table = el("table", {}, el("thead", {}, el("tr", {}, ...["assumption", "basis", "distribution", "low / mode / high", "source"].map((h) => el("th", { text: h })))));
    const tb = el("tbody");
    for (const a of lv.assumptions) {
      tb.append(el("tr", {}, el("td", {}, el("strong", { text: humanise(a.parameter) }), el("br"), el("span", { class: "help", text: a.description || "" })),
        el("td", { text: a.basis }), el("td", { text: a.distribution }),
        el("td", { class: "num", text: `${a.low} / ${a.mode ?? "-"} / ${a.high} ${a.unit || ""}` }),
        el("td", { text: a.source || "" })));
    }
    table.append(tb);
    box.append(el("details", { open: true }, el("summary", { text: `Assumptions (${lv.assumptions.length})` }), el("div", { class: "table-wrap" }, table)));
  }
  if (lv.sources && lv.sources.length) {
    const list = el("ol", { class: "sources" });
    for (const s of lv.sources) {
      const cite = s.citation && /^https?:\/\//.test(s.citation)
        ? el("a", { href: s.citation, target: "_blank", rel: "noopener noreferrer", text: s.citation })
        : (s.citation || "");
      list.append(el("li", {}, el("strong", { text: s.label }), `: ${claimValue(s.value, s.unit === "USD" ? "USD" : s.unit)} — ${s.source} (${s.year}${s.period && !["FY", "point"].includes(s.period) ? " " + s.period : ""}${s.annualised ? ", annualised" : ""}) `, cite));
    }
    box.append(el("details", {}, el("summary", { text: `Sources (${lv.sources.length})` }), list));
  }
  box.hidden = false;
  box.scrollIntoView({ block: "nearest" });
  close.focus();
}

function lossChart(r) {
  if (!window.Plotly) return;
  const levers = [...r.levers, ...(r.combined ? [r.combined] : [])].filter((lv) => lv.target_loss_usd);
  const wrap = (t) => t.length > 38 ? t.replace(/(.{1,38})(\s|$)/g, "$1<br>").replace(/<br>$/, "") : t;
  const labels = levers.map((lv) => wrap(lv.label));
  const trace = (key, name, color) => ({
    type: "bar", orientation: "h", name, y: labels,
    x: levers.map((lv) => lv[key].p50 / 1e6),
    error_x: { type: "data", symmetric: false, color: "#57606a", thickness: 1.2,
      array: levers.map((lv) => Math.max(0, (lv[key].p95 - lv[key].p50) / 1e6)),
      arrayminus: levers.map((lv) => Math.max(0, (lv[key].p50 - lv[key].p5) / 1e6)) },
    marker: { color },
    customdata: levers.map((lv) => [money(lv[key].p50), money(lv[key].p5), money(lv[key].p95)]),
    hovertemplate: `${name}: %{customdata[0]} (90%: %{customdata[1]} to %{customdata[2]})<extra></extra>`,
  });
  Plotly.react("chart-loss", [
    trace("target_loss_usd", `${r.target_name} loss`, "#c0392b"),
    trace("sender_cost_usd", `${r.sender_name} cost`, "#2c3e50"),
  ], {
    barmode: "group", height: 140 + 56 * levers.length,
    margin: { l: 10, r: 20, t: 10, b: 90 }, font: { size: 12 },
    xaxis: { title: { text: "US$ million a year (median; whiskers: 5th-95th percentile)" }, zeroline: true },
    yaxis: { autorange: "reversed", automargin: true },
    legend: { orientation: "h", x: 0, y: -0.18, yanchor: "top" },
  }, { responsive: true, displaylogo: false });
  $("chart-loss-caption").textContent = `${r.target_name}'s loss and ${r.sender_name}'s cost per lever, ` +
    `${r.year}, US$ a year: median and 5th-95th percentile of ${r.draws} Monte Carlo draws (seed ${r.seed}), ` +
    `from the sources listed under each lever.`;
}

function worldMap(r) {
  const ge = r.levers.filter((lv) => lv.details && lv.details.ge_real_gdp_pct_median);
  $("map-box").hidden = !ge.length;
  if (!ge.length || !window.Plotly) return;
  const select = $("map-lever");
  select.replaceChildren(...ge.map((lv) => el("option", { value: lv.id, text: lv.label })));
  const draw = () => {
    const lv = ge.find((x) => x.id === select.value) || ge[0];
    const values = lv.details.ge_real_gdp_pct_median;
    const locations = [], z = [], text = [];
    for (const [code, v] of Object.entries(values)) {
      if (code === r.sender || code === r.target) continue;  // their figures are on the cards
      const members = state.groups[code] || (code.length === 3 && code !== "ROW" ? [code] : []);
      for (const m of members) {
        locations.push(m);
        z.push(v);
        text.push(`${code === m ? "" : code + " member "}${m}: ${v >= 0 ? "+" : ""}${sig(v, 2)}% real GDP`);
      }
    }
    const span = Math.max(1e-6, ...z.map(Math.abs));
    Plotly.react("map-ge", [{
      type: "choropleth", locationmode: "ISO-3", locations, z, text, hoverinfo: "text",
      zmin: -span, zmax: span, colorscale: [[0, "#b2182b"], [0.5, "#f7f7f7"], [1, "#2166ac"]],
      colorbar: { title: { text: "% real GDP" }, thickness: 12 },
      marker: { line: { color: "#999", width: 0.4 } },
    }], {
      height: 420, margin: { l: 0, r: 0, t: 0, b: 0 },
      geo: { projection: { type: "natural earth" }, showframe: false, showcountries: true,
        countrycolor: "#ccc", showland: true, landcolor: "#fafafa", showcoastlines: false },
    }, { responsive: true, displaylogo: false, topojsonURL: "/vendor/topojson/" });
    $("map-caption").textContent = `Change in real GDP, % (median of the draws), when “${lv.label}”: ` +
      `structural gravity in general equilibrium on the ${lv.details.ge_matrix_year || ""} world trade matrix ` +
      `(sources under the lever); ${r.sender} ${sig(values[r.sender] ?? 0, 2)}%, ` +
      `${r.target} ${sig(values[r.target] ?? 0, 2)}% are left off the map's scale. A group (EU27) is shown on each of its members; ` +
      `every country not in the matrix is in the rest of the world (not shown).`;
  };
  select.onchange = draw;
  draw();
}

function routeCharts(r) {
  const box = $("route-charts");
  box.replaceChildren();
  if (!window.Plotly) return;
  for (const lv of r.levers) {
    const edges = lv.details && lv.details.edges;
    if (!edges || !edges.length) continue;
    const id = `chart-routes-${slug(lv.id)}`;
    const cap = [...new Set(edges.flatMap((e) => [e.capacity_source, e.volume_source]).filter(Boolean))];
    box.append(el("h3", { text: `${lv.label}: capacity and volume carried` }),
      el("figure", {}, el("div", { id, class: "chart route-chart", "data-lever-id": lv.id, role: "img",
        "aria-label": `capacity and volume per route, ${lv.label}` }),
      el("figcaption", { class: "muted small", text: `Mt a year, ${r.year}, before and after the lever. Sources: ${cap.join("; ") || "the case's network data"}.` })));
    const names = edges.map((e) => (e.name || e.id) + (e.operating ? "" : " (suspended)"));
    Plotly.newPlot(id, [
      { type: "bar", orientation: "h", name: "capacity", y: names, x: edges.map((e) => e.capacity_mt),
        marker: { color: "#eaeef2", line: { color: "#8c959f", width: 1 } } },
      { type: "bar", orientation: "h", name: "carried (baseline)", y: names, x: edges.map((e) => e.volume_mt),
        marker: { color: "#2980b9" } },
      { type: "bar", orientation: "h", name: "after the lever", y: names, x: edges.map((e) => e.new_volume_mt),
        marker: { color: "#e67e22" } },
    ], {
      barmode: "group", height: 150 + 60 * edges.length, margin: { l: 10, r: 20, t: 10, b: 80 },
      xaxis: { title: { text: "Mt per year" } }, yaxis: { autorange: "reversed", automargin: true },
      legend: { orientation: "h", x: 0, y: -0.25, yanchor: "top" },
    }, { responsive: true, displaylogo: false });
  }
}

function setHead(table, cols) {
  table.tHead.replaceChildren(el("tr", {}, ...cols.map((c) => el("th", { text: c }))));
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

// ------------------------------------------------------------------ claims tab
const RANK = ["false", "misleading", "roughly right", "accurate", "unverifiable"];

function worstVerdict(claims) {
  const verdicts = claims.map((c) => c.verdict || "unverifiable");
  return RANK.find((v) => verdicts.includes(v)) || "unverifiable";
}

function highlight(text, out) {
  const box = $("highlighted");
  box.replaceChildren();
  let at = 0;
  const found = [];
  for (const s of out.sentences) {
    const i = text.indexOf(s.text, at) >= 0 ? text.indexOf(s.text, at) : text.indexOf(s.text);
    if (i < 0) continue;
    found.push({ i, s });
    at = i + s.text.length;
  }
  found.sort((a, b) => a.i - b.i);
  let pos = 0;
  for (const { i, s } of found) {
    if (i < pos) continue;
    box.append(text.slice(pos, i));
    const checked = s.status === "checked" && s.claims.length;
    const verdict = checked ? worstVerdict(s.claims) : "not checked";
    const why = checked ? s.claims.map((c) => `${c.quantity}: ${c.verdict} (${c.year ?? "-"}) ${c.explanation || ""}`).join("\n")
      : `not checked: ${s.reason}`;
    const mark = el("mark", { class: `c-${slug(verdict)}`, title: why, tabindex: "0",
      "data-verdict": verdict, "aria-label": `${verdict}: ${s.text}` }, s.text,
      el("span", { class: "tag", text: verdict }));
    box.append(mark);
    pos = i + s.text.length;
  }
  box.append(text.slice(pos));
  box.hidden = false;
  const legend = $("legend");
  legend.replaceChildren(...[...RANK, "not checked"].map((v) => el("span", { class: `tag c-${slug(v)}`, text: v })));
  legend.hidden = false;
}

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
        el("td", { text: s.text }), el("td", { text: `${c.quantity} (${humanise(c.metric)})` }),
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
  const text = $("claims-text").value;
  try {
    const out = await api("/api/claims/check", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text, case: $("claims-case").value }),
    });
    highlight(text, out);
    textClaimsTable(out);
    const sm = out.summary;
    $("check-status").textContent = `${sm.sentences} sentence(s), ${sm.candidates} with a claim: ` +
      `${sm.checked} checked, ${sm.not_checked} not checked (reference year ${out.reference_year})`;
    document.body.dataset.claimsReady = "true";
  } catch (err) {
    $("check-status").textContent = "";
    showError($("text-error"), err);
  } finally {
    $("check-text").disabled = false;
  }
}

// ------------------------------------------------------------------ tabs (WAI-ARIA pattern)
function selectTab(btn) {
  for (const b of document.querySelectorAll("[role=tab]")) {
    const on = b === btn;
    b.setAttribute("aria-selected", String(on));
    b.tabIndex = on ? 0 : -1;
    $(b.getAttribute("aria-controls")).hidden = !on;
  }
  btn.focus();
}

function initTabs() {
  const tabs = [...document.querySelectorAll("[role=tab]")];
  tabs.forEach((b, i) => {
    b.addEventListener("click", () => selectTab(b));
    b.addEventListener("keydown", (e) => {
      const k = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (k) selectTab(tabs[(i + k + tabs.length) % tabs.length]);
      if (e.key === "Home") selectTab(tabs[0]);
      if (e.key === "End") selectTab(tabs[tabs.length - 1]);
    });
  });
}

// ------------------------------------------------------------------ start-up
async function init() {
  const [health, cases, countries, levers, products, schema] = await Promise.all([
    api("/api/health"), api("/api/cases"), api("/api/countries"), api("/api/levers"),
    api("/api/products"), api("/api/schema/scenario"),
  ]);
  state.schema = schema;
  state.limits = health.limits;
  $("version").textContent = `v${health.version}`;
  $("draws").max = health.limits.max_draws;
  $("countries").replaceChildren(...countries.map((c) => el("option", { value: c.code, text: c.name })));
  for (const c of countries) if (c.members && c.members.length > 1) state.groups[c.code] = c.members;
  $("products").replaceChildren(...products.map((p) => el("option", { value: p.code, text: `${p.name} (HS ${p.hs})` })));
  for (const lv of levers) state.leverKinds[lv.kind] = lv;
  $("new-lever-kind").replaceChildren(...levers.map((lv) => el("option", { value: lv.kind, text: lv.title })));
  for (const c of cases) state.cases[c.name] = c;
  const caseOptions = () => [...cases.map((c) => el("option", { value: c.name, text: c.title })),
    el("option", { value: "", text: "Any pair: build the case from the standard datasets" })];
  $("case").replaceChildren(...caseOptions());
  $("claims-case").replaceChildren(...cases.map((c) => el("option", { value: c.name, text: c.title })));

  initTabs();
  $("case").addEventListener("change", () => loadTemplate($("case").value));
  $("add-lever").addEventListener("click", () => {
    if (document.querySelectorAll("#levers .lever").length >= state.limits.max_levers) {
      showError($("error"), { body: { error: "TooManyLevers", field: "levers",
        message: `at most ${state.limits.max_levers} levers` }, status: "-" });
      return;
    }
    const card = leverCard({ kind: $("new-lever-kind").value }, true);
    $("levers").append(card);
    card.querySelector(".lever-body input, .lever-body select")?.focus();
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
  for (const id of ["sender", "target", "year", "seed", "draws"]) {
    $(id).addEventListener("change", syncJson);
  }
  $("scenario-form").addEventListener("submit", runScenario);
  $("check-text").addEventListener("click", checkText);

  const shared = location.hash.startsWith("#s=") ? location.hash.slice(3) : null;
  if (shared) {
    let scenario = null;
    try { scenario = decodeScenario(shared); } catch (e) {
      showError($("error"), { body: { error: "BadLink", field: "URL", message: "the scenario in the link cannot be read",
        fix: "copy the whole link again" }, status: "-" });
    }
    if (scenario) {
      fillForm(scenario);
      document.body.dataset.ready = "true";
      await runScenario();
      return;
    }
  }
  if (cases.length) await loadTemplate(cases[0].name);
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", () => {
  init().catch((err) => showError($("error"), err));
});

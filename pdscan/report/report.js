"use strict";
// pdscan report: summary cards, inline SVG charts, a sortable/filterable file table with
// virtual scrolling (only the visible rows are in the DOM), and a card per file.
(function () {
  const D = JSON.parse(document.getElementById("pdscan-data").textContent);
  document.body.dataset.dataParsed = String(Math.round(performance.now()));
  const ENT = D.entities.map((e) => e[1]);
  const ENT_CODE = D.entities.map((e) => e[0]);
  const RULE = D.rules.map((r) => r[1]);
  const RULE_CODE = D.rules.map((r) => r[0]);
  const STATE = D.states.map((s) => s[1]);
  const STATE_CODE = D.states.map((s) => s[0]);
  const ROW_H = 30;
  const OVERSCAN = 10;
  const $ = (id) => document.getElementById(id);
  // The page's words in the report's language (i18n.REPORT_WORDS); {name} placeholders.
  const T = D.ui;
  const EN = D.lang === "en";
  const tr = (s, kw) => s.replace(/\{(\w+)\}/g, (m, k) => (k in kw ? kw[k] : m));
  const nf = new Intl.NumberFormat(EN ? "en-US" : "ru-RU");

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }
  function ruDate(iso) {
    if (!iso) return "";
    return iso.length >= 10 && iso[4] === "-" ? iso.slice(8, 10) + "." + iso.slice(5, 7) + "." + iso.slice(0, 4) : iso;
  }
  function size(n) {
    const dec = (x) => (EN ? x.toFixed(1) : x.toFixed(1).replace(".", ","));
    if (n < 1024) return n + " " + T.bytes;
    if (n < 1048576) return dec(n / 1024) + " " + T.kb;
    return dec(n / 1048576) + " " + T.mb;
  }

  // ---- files with a fixed shape (fast property access), derived text computed lazily ----------
  const TYPES = D.types || [];
  const EMPTY = [];
  const EXPIRED = RULE_CODE.indexOf("retention_expired"), SOON = RULE_CODE.indexOf("expires_soon");
  const C = D.files, N = D.n, ROOTS = D.roots || [];
  const col = (k, dflt) => C[k] || new Array(N).fill(dflt);
  const cP = col("p", ""), cRo = col("ro", 0), cR = col("r", ""), cO = col("o", ""), cG = col("g", ""), cM = col("m", "");
  const cS = col("s", 0), cT = col("t", ""), cL = col("l", ""), cC = col("c", 0), cN = col("n", 0), cSt = col("st", 0);
  const cRs = col("rs", ""), cRr = col("rr", ""), cRc = col("rc", ""), cDl = col("dl", ""), cE = col("e", EMPTY);
  const cF = col("f", EMPTY), cV = col("v", EMPTY), cEr = col("er", EMPTY);
  class F {
    constructor(i) {
      const p = cP[i], root = ROOTS[cRo[i]] || "";
      this.p = p;
      this.r = cR[i] || (root && p.startsWith(root + "/") ? p.slice(root.length + 1) : p);
      const slash = this.r.indexOf("/");
      this.d = slash > 0 ? this.r.slice(0, slash) : T.root_folder;
      this.o = cO[i];
      this.g = cG[i];
      this.m = cM[i];
      this.s = cS[i];
      this.t = cT[i];
      this.l = cL[i];
      this.c = TYPES[cC[i]] || "";
      this.n = cN[i];
      this.st = cSt[i];
      this.rs = cRs[i];
      this.rr = cRr[i];
      this.rc = cRc[i];
      this.dl = cDl[i];
      this.e = cE[i];
      this.f = cF[i];
      this.v = cV[i];
      this.er = cEr[i];
      this._nv = this.f.length;
      this._exp = false;
      this._soon = false;
      for (const v of this.v) {
        if (v[0] === EXPIRED) this._exp = true;
        else if (v[0] === SOON) this._soon = true;
      }
      this.__ents = null;
      this.__rules = null;
      this.__pl = null;
    }
    get _ents() {
      if (this.__ents === null) this.__ents = this.e.map((i) => ENT[i]).join(", ");
      return this.__ents;
    }
    get _rules() {
      if (this.__rules === null) this.__rules = this.v.map((v) => RULE[v[0]]).join(", ");
      return this.__rules;
    }
    get _pl() {
      if (this.__pl === null) this.__pl = this.p.toLowerCase();
      return this.__pl;
    }
    get _name() {
      return this.r.slice(this.r.lastIndexOf("/") + 1);
    }
    get _dir() {
      return this.r.slice(0, this.r.lastIndexOf("/") + 1);
    }
  }
  const FILES = new Array(N);
  for (let i = 0; i < N; i++) FILES[i] = new F(i);
  D.files = null; // the raw objects can go
  document.body.dataset.derived = String(Math.round(performance.now()));
  // ---- header ---------------------------------------------------------------------------
  function renderMeta() {
    const m = D.meta;
    const parts = [esc(tr(T.generated, { v: m.generated_at.replace("T", " ") }))];
    if (m.scan) {
      parts.push(esc(tr(T.scan_of, { id: m.scan.id, date: ruDate(m.scan.started_at) })));
      parts.push(esc(tr(T.folders, { v: (m.scan.roots || []).join(", ") })));
    }
    parts.push(esc(tr(T.as_of, { v: ruDate(m.as_of) })));
    if (m.policy) parts.push(esc(tr(T.policy, { v: m.policy })));
    $("meta").innerHTML = parts.map((p) => "<span>" + p + "</span>").join("");
  }

  function renderCards() {
    const s = D.summary;
    const cards = [
      [s.files_with_pd, T.card_files, ""],
      [s.persons, T.card_persons, ""],
      [s.findings, T.card_findings, ""],
      [s.violations, T.card_violations, s.violations ? "bad" : ""],
      [s.expired, T.card_expired, s.expired ? "bad" : ""],
      [s.unread, T.card_unread, s.unread ? "warn" : ""],
    ];
    $("cards").innerHTML = cards
      .map((c) => '<div class="card ' + c[2] + '"><b>' + nf.format(c[0]) + "</b><span>" + esc(c[1]) + "</span></div>")
      .join("");
  }

  // ---- charts (inline SVG) ----------------------------------------------------------------
  function bars(el, items, color, onPick) {
    if (!items.length) {
      el.innerHTML = '<div class="none">' + esc(T.no_data) + "</div>";
      return;
    }
    const W = 560, LABEL = 250, H = 22, top = 4;
    const max = Math.max.apply(null, items.map((i) => i[1])) || 1;
    let svg = '<svg viewBox="0 0 ' + W + " " + (items.length * H + top * 2) + '" role="img">';
    items.forEach((it, k) => {
      const y = top + k * H;
      const w = Math.max(2, ((W - LABEL - 60) * it[1]) / max);
      svg += '<g class="bar" data-k="' + k + '"><title>' + esc(it[0]) + ": " + it[1] + "</title>";
      svg += '<text x="' + (LABEL - 8) + '" y="' + (y + 15) + '" text-anchor="end">' + esc(trim(it[0], 34)) + "</text>";
      svg += '<rect class="fill" x="' + LABEL + '" y="' + (y + 3) + '" width="' + w + '" height="' + (H - 7) + '" rx="2" fill="' + color + '"></rect>';
      svg += '<text class="v" x="' + (LABEL + w + 6) + '" y="' + (y + 15) + '">' + nf.format(it[1]) + "</text></g>";
    });
    el.innerHTML = svg + "</svg>";
    if (onPick) {
      el.querySelectorAll(".bar").forEach((g) => g.addEventListener("click", () => onPick(+g.dataset.k)));
    }
  }
  function trim(s, n) {
    return s.length > n ? s.slice(0, n - 1) + "…" : s;
  }

  function trendChart(el, rows) {
    if (!rows.length) {
      el.innerHTML = '<div class="none">' + esc(T.no_scans) + "</div>";
      return;
    }
    const W = 520, H = 180, L = 44, R = 12, TOP = 10, B = 34;
    const series = [
      ["files_with_pd", "#1f6fb2", T.series_files],
      ["violations", "#b3261e", T.series_violations],
      ["new", "#e08a00", T.series_new],
    ];
    let max = 1;
    for (const r of rows) for (const s of series) max = Math.max(max, r[s[0]] || 0);
    const x = (i) => (rows.length === 1 ? (L + W - R) / 2 : L + ((W - L - R) * i) / (rows.length - 1));
    const y = (v) => TOP + (H - TOP - B) * (1 - v / max);
    let svg = '<svg viewBox="0 0 ' + W + " " + H + '" role="img">';
    for (let k = 0; k <= 4; k++) {
      const v = Math.round((max * k) / 4);
      svg += '<line x1="' + L + '" x2="' + (W - R) + '" y1="' + y(v) + '" y2="' + y(v) + '" stroke="#e3e7ec"></line>';
      svg += '<text class="v" x="' + (L - 6) + '" y="' + (y(v) + 4) + '" text-anchor="end">' + nf.format(v) + "</text>";
    }
    const step = Math.max(1, Math.ceil(rows.length / 6));
    rows.forEach((r, i) => {
      if (i % step === 0 || i === rows.length - 1)
        svg += '<text class="v" x="' + x(i) + '" y="' + (H - B + 16) + '" text-anchor="' + (rows.length > 1 && i === rows.length - 1 ? "end" : rows.length > 1 && i === 0 ? "start" : "middle") + '">' + esc(tr(T.scan_no, { n: r.scan })) + " " + esc(ruDate(r.date).slice(0, 5)) + "</text>";
    });
    for (const s of series) {
      const pts = [];
      rows.forEach((r, i) => {
        if (r[s[0]] != null) pts.push(x(i).toFixed(1) + "," + y(r[s[0]]).toFixed(1));
      });
      if (pts.length > 1) svg += '<polyline fill="none" stroke="' + s[1] + '" stroke-width="2" points="' + pts.join(" ") + '"></polyline>';
      rows.forEach((r, i) => {
        if (r[s[0]] == null) return;
        svg += '<circle cx="' + x(i) + '" cy="' + y(r[s[0]] || 0) + '" r="3" fill="' + s[1] + '"><title>' + esc(tr(T.point, { series: s[2], n: r.scan, v: r[s[0]] || 0 })) + "</title></circle>";
      });
    }
    svg += "</svg>";
    el.innerHTML = svg + '<div class="legend">' + series.map((s) => '<i style="background:' + s[1] + '"></i>' + esc(s[2])).join("") + "</div>";
  }

  function renderCharts() {
    const s = D.summary;
    const ents = Object.keys(s.by_entity_files).map((e) => [ENT[ENT_CODE.indexOf(e)] || e, s.by_entity_files[e], e]);
    bars($("ch-entity"), ents, "#1f6fb2", (k) => setFilter("f-entity", String(ENT_CODE.indexOf(ents[k][2]))));
    const folders = Object.keys(s.by_folder).map((d) => [d, s.by_folder[d]]).slice(0, 15);
    bars($("ch-folder"), folders, "#3c8d6e", (k) => setFilter("f-folder", folders[k][0]));
    const rules = s.by_clause.map((c) => [(c.clause ? c.clause + " — " : "") + (RULE[RULE_CODE.indexOf(c.rule)] || c.rule), c.count, c.rule]);
    bars($("ch-rule"), rules, "#b3261e", (k) => setFilter("f-rule", String(RULE_CODE.indexOf(rules[k][2]))));
    trendChart($("ch-trend"), D.trend);
  }

  // ---- filters ------------------------------------------------------------------------------
  function options(id, first, items) {
    $(id).innerHTML = first.concat(items).map((o) => '<option value="' + esc(o[0]) + '">' + esc(o[1]) + "</option>").join("");
  }
  function setupFilters() {
    const usedEnt = new Set(), folders = new Set(), owners = new Set(), usedRule = new Set();
    for (const f of FILES) {
      for (const e of f.e) usedEnt.add(e);
      for (const v of f.v) usedRule.add(v[0]);
      folders.add(f.d);
      owners.add(f.o);
    }
    const coll = new Intl.Collator("ru");
    options("f-entity", [["", T.all_entities]], [...usedEnt].map((i) => [String(i), ENT[i]]).sort((a, b) => coll.compare(a[1], b[1])));
    options("f-folder", [["", T.all_folders]], [...folders].sort(coll.compare).map((d) => [d, d]));
    options("f-rule", [["", T.any_rule], ["any", T.has_violations], ["none", T.no_violations]], [...usedRule].map((i) => [String(i), RULE[i]]));
    options("f-owner", [["", T.all_owners]], [...owners].sort(coll.compare).map((o) => [o, o || T.no_owner]));
    options("f-state", [["", T.any_state]], STATE.map((s, i) => [String(i), s]));
    let timer = 0;
    $("q").addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(apply, 120);
    });
    for (const id of ["f-entity", "f-folder", "f-rule", "f-owner", "f-state"]) $(id).addEventListener("change", apply);
    $("reset").addEventListener("click", () => {
      $("q").value = "";
      for (const id of ["f-entity", "f-folder", "f-rule", "f-owner", "f-state"]) $(id).value = "";
      apply();
    });
  }
  function setFilter(id, value) {
    $(id).value = value;
    apply();
    $("filters").scrollIntoView({ behavior: "smooth", block: "start" });
  }

  // ---- table ---------------------------------------------------------------------------------
  const COLS = [
    [T.col_file, (f) => f.r, (f) => '<span class="dir">' + esc(f._dir) + "</span>" + esc(f._name), (f) => f.p],
    [T.col_folder, (f) => f.d, (f) => esc(f.d)],
    [T.col_entities, (f) => f._ents, (f) => esc(f._ents)],
    [T.col_values, (f) => f._nv, (f) => nf.format(f._nv), null, "num"],
    [T.col_persons, (f) => f.n, (f) => nf.format(f.n), null, "num"],
    [T.col_owner, (f) => f.o, (f) => esc(f.o)],
    [T.col_modified, (f) => f.t, (f) => ruDate(f.t)],
    [T.col_violations, (f) => f._rules, (f) => '<span class="viol">' + esc(f._rules) + "</span>"],
    [T.col_deadline, (f) => f.dl || "9999", (f) => '<span class="' + (f._exp ? "exp" : f._soon ? "soon" : "") + '">' + ruDate(f.dl) + "</span>"],
    [T.col_state, (f) => f.st, (f) => '<span class="pill s-' + STATE_CODE[f.st] + '">' + esc(STATE[f.st]) + "</span>"],
  ];
  let view = FILES.map((_, i) => i);
  let sortCol = -1, sortDir = 1, selected = -1;

  function setupHead() {
    $("ghead").innerHTML = COLS.map((c, i) => '<div role="columnheader" data-col="' + i + '" class="' + (c[4] || "") + '">' + esc(c[0]) + "</div>").join("");
    $("ghead").querySelectorAll("div").forEach((h) =>
      h.addEventListener("click", () => {
        const i = +h.dataset.col;
        sortDir = sortCol === i ? -sortDir : 1;
        sortCol = i;
        $("ghead").querySelectorAll("div").forEach((x) => x.removeAttribute("aria-sort"));
        h.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
        sortView();
        render(true);
      })
    );
  }

  const coll = new Intl.Collator("ru", { numeric: true });
  function sortView() {
    if (sortCol < 0) return;
    const key = COLS[sortCol][1];
    const keys = new Array(FILES.length);
    for (const i of view) keys[i] = key(FILES[i]);
    const numeric = typeof keys[view[0]] === "number";
    view.sort((a, b) => {
      const r = numeric ? keys[a] - keys[b] : coll.compare(keys[a], keys[b]);
      return (r || a - b) * sortDir;
    });
  }

  function apply() {
    const q = $("q").value.trim().toLowerCase();
    const ent = $("f-entity").value, folder = $("f-folder").value, rule = $("f-rule").value;
    const owner = $("f-owner").value, state = $("f-state").value;
    const entI = ent === "" ? -1 : +ent, ruleI = rule === "" || rule === "any" || rule === "none" ? -1 : +rule;
    const stI = state === "" ? -1 : +state;
    view = [];
    for (let i = 0; i < FILES.length; i++) {
      const f = FILES[i];
      if (q && f._pl.indexOf(q) < 0) continue;
      if (entI >= 0 && f.e.indexOf(entI) < 0) continue;
      if (folder && f.d !== folder) continue;
      if (owner && f.o !== owner) continue;
      if (stI >= 0 && f.st !== stI) continue;
      if (rule === "any" && !f.v.length) continue;
      if (rule === "none" && f.v.length) continue;
      if (ruleI >= 0 && !f.v.some((v) => v[0] === ruleI)) continue;
      view.push(i);
    }
    sortView();
    render(true);
  }

  let lastStart = -1;
  function render(force) {
    const body = $("gbody"), rows = $("grows");
    rows.style.height = view.length * ROW_H + "px";
    const count = $("count");
    count.textContent = tr(T.shown, { n: nf.format(view.length), total: nf.format(FILES.length) });
    count.dataset.count = view.length;
    if (!view.length) {
      rows.innerHTML = '<div class="empty">' + esc(T.no_match) + "</div>";
      lastStart = -1;
      return;
    }
    const start = Math.max(0, Math.floor(body.scrollTop / ROW_H) - OVERSCAN);
    if (!force && start === lastStart) return;
    lastStart = start;
    const end = Math.min(view.length, start + Math.ceil((body.clientHeight || 600) / ROW_H) + 2 * OVERSCAN);
    let html = "";
    for (let k = start; k < end; k++) {
      const i = view[k], f = FILES[i];
      html += '<div class="row' + (i === selected ? " sel" : "") + '" role="row" data-i="' + i + '" style="top:' + k * ROW_H + 'px">';
      for (const c of COLS) html += '<div role="cell" class="' + (c[4] || "") + '"' + (c[3] ? ' title="' + esc(c[3](f)) + '"' : "") + ">" + c[2](f) + "</div>";
      html += "</div>";
    }
    rows.innerHTML = html;
  }

  // ---- the file card ----------------------------------------------------------------------------
  function th(names) {
    return names.map((n) => "<th>" + esc(n) + "</th>").join("");
  }
  function shellQuote(s) {
    return "'" + s.replace(/'/g, "'\\''") + "'";
  }
  const MAX_FINDINGS = 1000;
  function openCard(i) {
    const f = FILES[i];
    selected = i;
    render(true);
    const kv = [
      [T.k_path, esc(f.p)],
      [T.col_owner, esc(f.o)],
      [T.k_group, esc(f.g)],
      [T.k_mode, esc(f.m)],
      [T.k_size, size(f.s)],
      [T.k_type, esc(f.c)],
      [T.col_modified, ruDate(f.t)],
      [T.k_read, ruDate(f.l)],
      [T.k_persons, nf.format(f.n)],
      [T.k_rule, esc(f.rr || "—") + (f.rc && f.rr.indexOf(f.rc) < 0 ? " (" + esc(f.rc) + ")" : "")],
      [T.col_deadline, f.dl ? '<span class="' + (f._exp ? "exp" : f._soon ? "soon" : "") + '">' + ruDate(f.dl) + (f._exp ? esc(T.expired_suffix) : "") + "</span>" : "—"],
      [T.state_label, '<span class="pill s-' + STATE_CODE[f.st] + '">' + esc(STATE[f.st]) + "</span>" + (f.rs ? " " + esc(f.rs) : "")],
    ];
    let h = "<h3>" + esc(f._name) + "</h3><dl class=\"kv\">" + kv.map((p) => "<dt>" + esc(p[0]) + "</dt><dd>" + p[1] + "</dd>").join("") + "</dl>";
    if (f.v.length) {
      h += "<h4>" + esc(T.h_violations) + '</h4><table class="t"><tr>' + th([T.th_violation, T.th_clause, T.th_details, T.col_state]) + "</tr>";
      for (const v of f.v)
        h += "<tr><td>" + esc(RULE[v[0]]) + "</td><td>" + esc(v[1]) + "</td><td>" + esc(v[3]) + '</td><td><span class="pill s-' + STATE_CODE[v[4]] + '">' + esc(STATE[v[4]]) + "</span></td></tr>";
      h += "</table>";
    }
    h += "<h4>" + esc(tr(T.h_findings, { n: nf.format(f.f.length) })) + '</h4><table class="t"><tr>' + th([T.th_kind, T.th_value, T.th_times, T.th_where, T.col_state]) + "</tr>";
    for (const g of f.f.slice(0, MAX_FINDINGS))
      h += "<tr><td>" + esc(ENT[g[0]]) + '</td><td class="mask">' + esc(g[1]) + "</td><td>" + g[2] + "</td><td>" + esc(g[4] ? g[4] + ": " + g[3] : g[3]) + '</td><td><span class="pill s-' + STATE_CODE[g[5] || 0] + '">' + esc(STATE[g[5] || 0]) + "</span>" + (g[6] ? " " + esc(g[6]) : "") + "</td></tr>";
    h += "</table>";
    if (f.f.length > MAX_FINDINGS) h += "<p>" + esc(tr(T.more, { n: nf.format(f.f.length - MAX_FINDINGS) })) + "</p>";
    if (f.er.length) h += "<h4>" + esc(T.partly_read) + "</h4><ul>" + f.er.map((e) => "<li>" + esc(e) + "</li>").join("") + "</ul>";
    h += "<h4>" + esc(T.h_mark) + "</h4><p><code>pdscan triage --path " + esc(shellQuote(f.p)) + ' --file --state accepted --reason "…"</code></p>';
    $("card").innerHTML = h;
    $("drawer").hidden = false;
  }
  function closeCard() {
    $("drawer").hidden = true;
    selected = -1;
    render(true);
  }

  function renderUnread() {
    if (!D.unread.length) return;
    let h = "<details><summary><b>" + esc(tr(T.unread, { n: nf.format(D.unread.length) })) + "</b>" + esc(T.unread_note) + '</summary><table class="t"><tr>' + th([T.col_file, T.th_reason]) + "</tr>";
    for (const u of D.unread.slice(0, 2000)) h += "<tr><td>" + esc(u[0]) + "</td><td>" + esc(u[1]) + "</td></tr>";
    $("unread").innerHTML = h + "</table></details>";
  }

  // ---- start ------------------------------------------------------------------------------------
  renderMeta();
  renderCards();
  setupHead();
  setupFilters();
  render(true);
  $("gbody").addEventListener("scroll", () => requestAnimationFrame(() => render(false)), { passive: true });
  window.addEventListener("resize", () => render(true));
  $("grows").addEventListener("click", (e) => {
    const row = e.target.closest(".row");
    if (row && row.dataset.i) openCard(+row.dataset.i);
  });
  $("close").addEventListener("click", closeCard);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !$("drawer").hidden) closeCard();
  });
  document.body.dataset.tableRendered = String(Math.round(performance.now()));
  // Charts and the unread list after the table: the table is what the officer works with.
  renderCharts();
  renderUnread();
  document.body.dataset.rendered = String(Math.round(performance.now()));
})();

// The query page and the API docs page: runs a query with fetch and shows a table.
// No framework and no CDN: the page works on a machine with no internet.
"use strict";

function cell(term) {
  if (!term) return document.createTextNode("");
  if (term.type === "uri") {
    const a = document.createElement("a");
    const base = (window.CTLD_BASE || "") + "id/";
    a.href = base.length > 3 && term.value.startsWith(base)
      ? "/doc/" + term.value.slice(base.length) : term.value;
    a.textContent = term.value;
    return a;
  }
  const span = document.createElement("span");
  span.textContent = term.value + (term["xml:lang"] ? " @" + term["xml:lang"] : "");
  return span;
}

function renderTable(target, data, truncated) {
  target.textContent = "";
  if (data.boolean !== undefined) {
    target.textContent = "Answer: " + data.boolean;
    return;
  }
  const table = document.createElement("table");
  table.className = "data results";
  const head = table.createTHead().insertRow();
  for (const v of data.head.vars) {
    const th = document.createElement("th");
    th.textContent = v;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const b of data.results.bindings) {
    const row = body.insertRow();
    for (const v of data.head.vars) row.insertCell().appendChild(cell(b[v]));
  }
  target.appendChild(table);
  const note = document.createElement("p");
  note.className = "count";
  note.textContent = data.results.bindings.length + " row(s)" + (truncated ? " (cut at the row limit)" : "");
  target.appendChild(note);
}

async function show(response, target, status, asTable) {
  const truncated = response.headers.get("X-Ctld-Result-Truncated") === "true";
  if (!response.ok) {
    status.textContent = "Error " + response.status + ": " + (await response.text());
    target.textContent = "";
    return;
  }
  status.textContent = "";
  const type = response.headers.get("Content-Type") || "";
  if (asTable && type.includes("json")) {
    renderTable(target, await response.json(), truncated);
  } else {
    const pre = document.createElement("pre");
    pre.textContent = await response.text();
    target.textContent = "";
    target.appendChild(pre);
  }
}

const form = document.getElementById("sparql-form");
if (form) {
  const examples = document.getElementById("examples");
  examples.addEventListener("change", () => {
    const example = document.getElementById("example-" + examples.value);
    if (example) document.getElementById("query").value = example.value.trim();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = document.getElementById("status");
    const format = document.getElementById("format").value;
    const body = new URLSearchParams({ query: document.getElementById("query").value });
    if (format !== "table") body.set("format", format);
    status.textContent = "Running…";
    const response = await fetch("/sparql", { method: "POST", body,
      headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9" } });
    await show(response, document.getElementById("results"), status, format === "table");
  });
}

for (const tryForm of document.querySelectorAll("form.try")) {
  tryForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(tryForm)) {
      if (value !== "" && !(key === "format" && value === "table")) params.set(key, value);
    }
    const target = tryForm.nextElementSibling;
    const status = document.createElement("p");
    const url = "/api/queries/" + tryForm.dataset.query + "?" + params;
    const response = await fetch(url, { headers: { Accept: "application/sparql-results+json" } });
    await show(response, target, status, !params.has("format"));
    if (status.textContent) target.prepend(status);
  });
}

// Search suggestions under the index page's search box, and the static site's search
// page. On a server the answers come from /search?format=json; on a static site from
// /search-index.json, whose keys are every name already folded (accents and scripts
// transliterated) and lower-cased, so a query matches the same way.
"use strict";

function fold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

let staticIndex = null;

async function search(q, limit) {
  if (!window.CTLD_STATIC) {
    const response = await fetch("/search?format=json&limit=" + limit + "&q=" + encodeURIComponent(q));
    return response.ok ? (await response.json()).results : [];
  }
  if (staticIndex === null) staticIndex = await (await fetch("/search-index.json")).json();
  const words = fold(q).split(" ").filter(Boolean);
  if (!words.length) return [];
  const hits = [];
  for (const entry of staticIndex) {
    const keys = entry.keys.map(fold);
    if (keys.some((k) => words.every((w) => k.includes(w)))) {
      const exact = keys.includes(words.join(" ")) ? 0 : 1;
      hits.push({ rank: exact, label: entry.label, href: entry.href });
    }
  }
  hits.sort((a, b) => a.rank - b.rank || a.label.localeCompare(b.label));
  return hits.slice(0, limit);
}

function show(list, hits) {
  list.textContent = "";
  for (const hit of hits) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = hit.href;
    a.textContent = hit.label;
    li.appendChild(a);
    list.appendChild(li);
  }
}

const input = document.getElementById("index-q");
const suggestions = document.getElementById("suggestions");
let pending = null;
if (input && suggestions) {
  input.addEventListener("input", () => {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      const q = input.value.trim();
      show(suggestions, q ? await search(q, 10) : []);
    }, 150);
  });
}

const results = document.getElementById("search-results");
if (results) {
  const q = new URLSearchParams(location.search).get("q") || "";
  if (q) {
    search(q, 50).then((hits) => {
      document.getElementById("search-status").textContent = hits.length + " result(s) for «" + q + "»";
      show(results, hits);
    });
  }
}

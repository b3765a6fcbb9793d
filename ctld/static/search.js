// Suggestions under the index page's search box, from /search?format=json.
"use strict";
const input = document.getElementById("index-q");
const list = document.getElementById("suggestions");
let pending = null;
if (input && list) {
  input.addEventListener("input", () => {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      const q = input.value.trim();
      list.textContent = "";
      if (!q) return;
      const response = await fetch("/search?format=json&limit=10&q=" + encodeURIComponent(q));
      if (!response.ok) return;
      for (const hit of (await response.json()).results) {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = hit.href;
        a.textContent = hit.label;
        li.appendChild(a);
        list.appendChild(li);
      }
    }, 150);
  });
}

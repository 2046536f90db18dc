// fupan serve: the page's only script (served from /assets/, no inline script anywhere).
// Sorts tables marked `sortable` by the clicked column, and puts "/" on the search box.
"use strict";

function cellValue(row, index, numeric) {
  const cell = row.cells[index];
  if (!cell) return numeric ? 0 : "";
  if (numeric) return parseFloat(cell.dataset.value || cell.textContent) || 0;
  return cell.textContent.trim();
}

function sortBy(table, th) {
  const index = Array.prototype.indexOf.call(th.parentNode.children, th);
  const numeric = th.dataset.type === "num";
  const ascending = th.getAttribute("aria-sort") !== "ascending";
  for (const other of th.parentNode.children) other.removeAttribute("aria-sort");
  th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const x = cellValue(a, index, numeric);
    const y = cellValue(b, index, numeric);
    const order = numeric ? x - y : String(x).localeCompare(String(y), "zh-CN");
    return ascending ? order : -order;
  });
  for (const row of rows) body.appendChild(row);
}

document.addEventListener("DOMContentLoaded", () => {
  for (const table of document.querySelectorAll("table.sortable")) {
    for (const th of table.tHead ? table.tHead.rows[0].cells : []) {
      th.addEventListener("click", () => sortBy(table, th));
    }
  }
  document.addEventListener("keydown", (event) => {
    const box = document.getElementById("q");
    const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement;
    if (event.key === "/" && box && !typing) {
      event.preventDefault();
      box.focus();
    }
  });
});

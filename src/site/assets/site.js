// gongkai review site: sort any table with class "sortable" by clicking a
// header; filter the index by the selects in form.filters. Values come from
// each cell's data-value; nothing is fetched, nothing is written as HTML.
(function () {
  "use strict";
  function compare(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    if (!isNaN(x) && !isNaN(y) && String(x) === a.trim() && String(y) === b.trim()) return x - y;
    return a.localeCompare(b, "zh-CN");
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var headers = table.querySelectorAll("th[data-key]");
    headers.forEach(function (th, column) {
      function sort() {
        var ascending = !th.classList.contains("sorted-asc");
        headers.forEach(function (h) { h.classList.remove("sorted-asc", "sorted-desc"); });
        th.classList.add(ascending ? "sorted-asc" : "sorted-desc");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var a = r1.cells[column].getAttribute("data-value") || "";
          var b = r2.cells[column].getAttribute("data-value") || "";
          return ascending ? compare(a, b) : compare(b, a);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
    });
  });
  var form = document.querySelector("form.filters");
  var table = document.getElementById("documents");
  if (!form || !table) return;
  var selects = form.querySelectorAll("select[data-filter]");
  var shown = form.querySelector(".shown");
  function apply() {
    var visible = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var keep = Array.prototype.every.call(selects, function (s) {
        return s.value === "" || row.getAttribute("data-" + s.getAttribute("data-filter")) === s.value;
      });
      row.hidden = !keep;
      if (keep) visible += 1;
    });
    shown.textContent = visible + " / " + table.tBodies[0].rows.length;
  }
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  apply();
})();

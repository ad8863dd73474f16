"use strict";
(function () {
  // Sortable summary table: click a header; "#sort=promo" or "#sort=-promo" in the URL sorts on load.
  var table = document.getElementById("summary-table");
  function sortBy(key, descending) {
    if (!table) return false;
    var th = table.querySelector('th[data-key="' + key + '"]');
    if (!th) return false;
    var col = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.getAttribute("data-type") === "num";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].getAttribute("data-v"), y = b.cells[col].getAttribute("data-v");
      var c = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
      return descending ? -c : c;
    });
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) { frag.appendChild(r); });
    body.appendChild(frag);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    return true;
  }
  if (table) {
    table.tHead.addEventListener("click", function (ev) {
      var th = ev.target.closest("th");
      if (!th) return;
      var key = th.getAttribute("data-key");
      var descending = th.getAttribute("aria-sort") === "ascending" ||
        (!th.hasAttribute("aria-sort") && th.getAttribute("data-type") === "num" && key !== "n");
      sortBy(key, descending);
    });
  }
  // Opening a document from the table (or a #doc-N link) opens its <details>.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id.indexOf("sort=") === 0) {
      var k = id.slice(5);
      sortBy(k.replace(/^-/, ""), k.charAt(0) === "-");
      return;
    }
    var el = id && document.getElementById(id);
    if (el && el.tagName === "DETAILS") { el.open = true; el.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
  function setAll(open) {
    Array.prototype.forEach.call(document.querySelectorAll("details.doc"), function (d) { d.open = open; });
  }
  var openAll = document.getElementById("open-all"), closeAll = document.getElementById("close-all");
  if (openAll) openAll.addEventListener("click", function () { setAll(true); });
  if (closeAll) closeAll.addEventListener("click", function () { setAll(false); });
  document.documentElement.setAttribute("data-ready", "1");
})();

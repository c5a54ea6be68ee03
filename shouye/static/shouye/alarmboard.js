// The bureau's alarm board, live (issue 13): an EventSource on the board's stream; "alarms" events update or
// insert the rows of the latest list in place (by id), "counts" events the figures and the township and
// enterprise lists, "reset" (too much missed) reloads the page. The browser reconnects by itself with the last
// event's id, so nothing is missed between two streams. No inline script (CSP, decision 0007).
(function () {
  "use strict";
  var root = document.getElementById("alarm-board");
  if (!root || !window.EventSource) { return; }
  var list = root.querySelector("[data-testid=alarm-board-latest]");
  var none = root.querySelector("[data-testid=alarm-board-none]");
  var badge = document.querySelector("[data-testid=alarm-board-live]");
  var limit = parseInt(root.dataset.limit, 10) || 50;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function alarmItem(a) {
    var item = el("a", "list-group-item list-group-item-action py-2 alarm-changed");
    item.href = a.url;
    item.dataset.alarm = a.id;
    item.dataset.state = a.state;
    var head = el("div", "d-flex flex-wrap gap-1 align-items-center");
    head.appendChild(el("span", "alarm-level alarm-level-" + a.level));
    head.appendChild(el("span", "fw-semibold me-auto", a.what)).dataset.part = "what";
    head.appendChild(el("span", "badge text-bg-light border", a.level_label)).dataset.part = "level";
    head.appendChild(el("span", "badge text-bg-primary", a.state_label)).dataset.part = "state";
    if (a.overdue) { head.appendChild(el("span", "badge text-bg-danger", list.dataset.overdueLabel)).dataset.part = "overdue"; }
    item.appendChild(head);
    var where = [a.enterprise, a.installation, a.where, a.township, a.raised_label].filter(Boolean).join(" · ");
    item.appendChild(el("small", "text-muted", where)).dataset.part = "where";
    return item;
  }

  function onAlarms(rows) {
    rows.forEach(function (a) {
      var old = list.querySelector('[data-alarm="' + a.id + '"]');
      if (!a.active) { if (old) { old.remove(); } return; }
      var item = alarmItem(a);
      if (old) { old.replaceWith(item); } else { list.insertBefore(item, list.firstChild); }
    });
    while (list.children.length > limit) { list.lastElementChild.remove(); }
    none.hidden = list.children.length > 0;
  }

  function fillList(selector, rows, text) {
    var ul = root.querySelector(selector);
    ul.replaceChildren();
    if (!rows.length) { ul.appendChild(el("li", "list-group-item text-muted", ul.dataset.empty)); return; }
    rows.forEach(function (row) {
      var li = el("li", "list-group-item d-flex");
      li.appendChild(el("span", "me-auto", text(row)));
      if (row.red) { li.appendChild(el("span", "badge text-bg-danger me-1", String(row.red))); }
      li.appendChild(el("span", "badge text-bg-secondary", String(row.total)));
      ul.appendChild(li);
    });
  }

  function onCounts(data) {
    Object.keys(data.figures).forEach(function (key) {
      var node = root.querySelector('[data-figure="' + key + '"]');
      if (node) { node.textContent = data.figures[key]; }
    });
    data.by_level.forEach(function (row) {
      var node = root.querySelector('[data-level="' + row.level + '"]');
      if (node) { node.textContent = row.count; }
    });
    fillList("[data-testid=alarm-board-townships]", data.by_township, function (row) { return row.name; });
    fillList("[data-testid=alarm-board-enterprises]", data.by_enterprise, function (row) {
      return row.installation ? row.enterprise + " · " + row.installation : row.enterprise;
    });
  }

  var source = new EventSource(root.dataset.stream);
  source.addEventListener("open", function () {
    badge.textContent = badge.dataset.liveLabel;
    badge.className = "badge text-bg-success";
  });
  source.addEventListener("error", function () {
    badge.textContent = badge.dataset.offlineLabel;
    badge.className = "badge text-bg-warning";
  });
  source.addEventListener("alarms", function (event) { onAlarms(JSON.parse(event.data)); });
  source.addEventListener("counts", function (event) { onCounts(JSON.parse(event.data)); });
  source.addEventListener("reset", function () { window.location.reload(); });
}());

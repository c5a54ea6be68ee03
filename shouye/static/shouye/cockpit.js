// The cockpit (驾驶舱): draws every panel from the JSON the page embeds, then fetches fresh data every
// data-refresh-seconds and updates the charts in place (setOption), the header's figures and the event lists,
// without reloading the page. No inline script or style: the Content-Security-Policy allows neither.
(function () {
  var body = document.body;
  var charts = {};
  var emptyText = document.getElementById("cockpit-empty-text").textContent;
  var status = document.getElementById("cockpit-status");

  function drawChart(section, panel) {
    var chart = charts[panel.key];
    if (!chart) {
      chart = charts[panel.key] = echarts.init(section.querySelector(".cockpit-chart"), "dark");
    }
    var option = Object.assign({ backgroundColor: "transparent", animationDurationUpdate: 600 }, panel.option);
    chart.setOption(option, { notMerge: true });
  }

  function drawRows(section, rows) {
    var list = section.querySelector(".cockpit-list");
    var items = rows.map(function (row) {
      var item = document.createElement("li");
      var time = document.createElement("span");
      time.className = "cockpit-list-time";
      time.textContent = row.time;
      var badge = document.createElement("span");
      badge.className = "badge text-bg-" + row.tone;
      badge.textContent = row.kind;
      var link = document.createElement("a");
      link.href = row.url;
      link.textContent = row.text;
      item.append(time, " ", badge, " ", link);
      return item;
    });
    if (!items.length) {
      var empty = document.createElement("li");
      empty.className = "cockpit-empty";
      empty.textContent = emptyText;
      items.push(empty);
    }
    list.replaceChildren.apply(list, items);
  }

  function drawKpis(kpis) {
    kpis.forEach(function (kpi) {
      var box = document.querySelector('[data-kpi="' + kpi.key + '"]');
      if (!box) { return; }
      box.className = "cockpit-kpi" + (kpi.tone ? " cockpit-kpi-" + kpi.tone : "");
      var value = box.querySelector(".cockpit-kpi-value");
      var unit = document.createElement("small");
      unit.textContent = kpi.unit;
      value.replaceChildren(kpi.value === null ? "–" : String(kpi.value), unit);
    });
  }

  function draw(payload) {
    payload.panels.forEach(function (panel) {
      var section = document.querySelector('[data-panel="' + panel.key + '"]');
      if (!section) { return; }
      if (panel.option) { drawChart(section, panel); } else if (panel.rows) { drawRows(section, panel.rows); }
    });
    drawKpis(payload.kpis);
    document.getElementById("cockpit-updated").textContent = payload.generated_at_display;
  }

  function refresh() {
    fetch(body.dataset.source, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok || (response.headers.get("Content-Type") || "").indexOf("json") < 0) {
          throw new Error("cockpit data: HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (payload) {
        draw(payload);
        body.classList.remove("cockpit-stale");
        status.textContent = "";
      })
      .catch(function () {
        body.classList.add("cockpit-stale");
        status.textContent = status.dataset.staleText;
      });
  }

  var clock = document.getElementById("cockpit-clock");
  var format = new Intl.DateTimeFormat("sv-SE", {
    timeZone: body.dataset.timeZone, year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false
  });
  function tick() { clock.textContent = format.format(new Date()); }

  draw(JSON.parse(document.getElementById("cockpit-data").textContent));
  // When every panel is drawn from the embedded data: the first meaningful paint bench/cockpit_paint.py reads.
  performance.mark("cockpit-drawn");
  tick();
  setInterval(tick, 1000);
  setInterval(refresh, Math.max(1, Number(body.dataset.refreshSeconds) || 60) * 1000);
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (key) { charts[key].resize(); });
  });
})();

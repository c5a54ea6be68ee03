// Renders every element with data-chart from the JSON in its data attributes (no inline scripts). Tooltips are
// drawn on the canvas ("richText"): ECharts' HTML tooltips carry style attributes, which the
// Content-Security-Policy refuses.
(function () {
  function render(el) {
    var data = JSON.parse(document.getElementById(el.dataset.source).textContent);
    var chart = echarts.init(el);
    var kind = el.dataset.chart;
    var option;
    if (kind === "pie") {
      option = {
        tooltip: { trigger: "item", renderMode: "richText" },
        legend: { bottom: 0, type: "scroll" },
        series: [{ type: "pie", radius: ["35%", "62%"], center: ["50%", "42%"], label: { show: false }, data: data.map(function (r) { return { name: r.label, value: r.count }; }) }]
      };
    } else if (kind === "stacked") {
      // data: {categories: [..], series: [{name, data: [..], color, stack}]}; series without a stack of
      // their own are stacked together.
      option = {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" },
        legend: { bottom: 0, type: "scroll" },
        grid: { left: 40, right: 10, top: 20, bottom: 90 },
        xAxis: { type: "category", data: data.categories, axisLabel: { rotate: 40, interval: 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: data.series.map(function (s) {
          return { type: "bar", name: s.name, stack: s.stack || "total", data: s.data, itemStyle: s.color ? { color: s.color } : undefined };
        })
      };
    } else {
      option = {
        tooltip: { trigger: "axis", renderMode: "richText" },
        grid: { left: 40, right: 10, top: 20, bottom: 70 },
        xAxis: { type: "category", data: data.map(function (r) { return r.label; }), axisLabel: { rotate: 40, interval: 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: data.map(function (r) { return r.count; }), itemStyle: { color: "#2f6fb0" } }]
      };
    }
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.querySelectorAll("[data-chart]").forEach(render);
})();

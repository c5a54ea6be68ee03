// A monitoring point's trend (issue 13): the mean as a line, the minimum–maximum of each bucket as a band, and the
// setpoints as dashed lines; the data comes from the json_script the element names (no inline script, CSP).
(function () {
  function render(el) {
    var data = JSON.parse(document.getElementById(el.dataset.pointTrend).textContent);
    var chart = echarts.init(el);
    var band = data.resolution !== "raw";
    var series = [];
    if (band) {
      series.push({ type: "line", name: "min", data: data.low, stack: "band", symbol: "none", lineStyle: { opacity: 0 } });
      series.push({
        type: "line", name: "max", symbol: "none", stack: "band", lineStyle: { opacity: 0 }, areaStyle: { color: "#9ec5fe", opacity: 0.5 },
        data: data.high.map(function (v, i) { return v === null || data.low[i] === null ? null : v - data.low[i]; })
      });
    }
    series.push({
      type: "line", name: data.unit, data: data.mean, symbol: "none", itemStyle: { color: "#2f6fb0" },
      markLine: {
        symbol: "none", silent: true,
        data: data.setpoints.map(function (s) { return { yAxis: s.value, name: s.name, label: { formatter: s.name + " " + s.value }, lineStyle: { type: "dashed", color: "#dc3545" } }; })
      }
    });
    chart.setOption({
      tooltip: { trigger: "axis", renderMode: "richText" },
      grid: { left: 50, right: 60, top: 20, bottom: 40 },
      xAxis: { type: "category", data: data.times },
      yAxis: { type: "value", scale: true, name: data.unit },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.querySelectorAll("[data-point-trend]").forEach(render);
})();

// Dashboard charts: the data comes from a json_script block, the drawing from Chart.js.
(function () {
  "use strict";
  const source = document.getElementById("chart-data");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const labels = data.labels.map(function (day) { return day.slice(5); });
  const common = {
    responsive: true, maintainAspectRatio: false, interaction: { mode: "index", intersect: false },
    plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
    scales: { x: { ticks: { maxTicksLimit: 8 } } },
  };
  function draw(canvas, datasets, scales) {
    new window.Chart(canvas, {
      type: "line", data: { labels: labels, datasets: datasets },
      options: Object.assign({}, common, { scales: Object.assign({}, common.scales, scales || {}) }),
    });
  }
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    const kind = canvas.dataset.chart;
    if (kind === "gmv") {
      draw(canvas, [
        { label: "GMV (" + data.currency + ")", data: data.gmv, borderColor: "#0d6efd", tension: 0.25 },
        { label: "Affiliate GMV", data: data.affiliate_gmv, borderColor: "#20c997", tension: 0.25 },
      ]);
    } else if (kind === "clicks-orders") {
      draw(canvas, [
        { label: "Clicks", data: data.clicks, borderColor: "#6f42c1", yAxisID: "y", tension: 0.25 },
        { label: "Affiliate orders", data: data.orders, borderColor: "#fd7e14", yAxisID: "y1", tension: 0.25 },
      ], { y1: { position: "right", grid: { drawOnChartArea: false } } });
    } else if (kind === "earnings") {
      draw(canvas, [
        { label: "Earnings", data: data.earnings, borderColor: "#20c997", tension: 0.25 },
      ]);
    } else if (kind === "clicks-earnings") {
      draw(canvas, [
        { label: "Clicks", data: data.clicks, borderColor: "#6f42c1", yAxisID: "y", tension: 0.25 },
        { label: "Earnings", data: data.earnings, borderColor: "#20c997", yAxisID: "y1", tension: 0.25 },
      ], { y1: { position: "right", grid: { drawOnChartArea: false } } });
    }
  });
})();

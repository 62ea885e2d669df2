// Draws the dashboard's spend chart from the JSON in the chart element's data-chart attribute, with Apache
// ECharts served by the control plane itself. Runs as a file of its own: the pages allow no inline scripts.
document.addEventListener('DOMContentLoaded', function () {
  var element = document.getElementById('spend-chart');
  if (!element || !window.echarts) {
    return;
  }
  var data = JSON.parse(element.getAttribute('data-chart'));
  var chart = window.echarts.init(element);
  chart.setOption({
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 56, right: 16, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: data.days },
    yAxis: { type: 'value', name: data.currency },
    series: data.series.map(function (series) {
      return { name: series.name, type: 'bar', stack: 'spend', data: series.data };
    })
  });
  element.setAttribute('data-drawn', 'true');
  window.addEventListener('resize', function () { chart.resize(); });
});

// Draws the dashboard's charts with Apache ECharts, served by the control plane itself, from the JSON the dashboard
// reads at /portal/dashboard.json: spend and tokens per day of this period (by model or by key, as chosen) against
// the previous period, and the budget's burn-down with its forecast. Runs as a file of its own: the pages allow no
// inline scripts. Amounts arrive as strings rounded by the server and are only turned into numbers to be plotted.
(function () {
  'use strict';

  function numbers(values) {
    return values.map(function (value) { return value === null ? null : Number(value); });
  }

  function barChart(element, data, measure, unit, breakdown) {
    var current = data.current;
    var parts = breakdown === 'key' ? current.byKey : current.byModel;
    var series = parts.map(function (part) {
      return { name: part.name, type: 'bar', stack: 'current', data: numbers(part[measure]) };
    });
    var previous = data.previous[measure];
    series.push({ name: 'Previous period (' + data.previous.month + ')', type: 'line', step: 'middle',
      data: numbers(previous), lineStyle: { type: 'dashed' }, symbol: 'none' });
    var chart = window.echarts.getInstanceByDom(element) || window.echarts.init(element);
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 64, right: 16, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: current.days },
      yAxis: { type: 'value', name: unit },
      series: series
    }, { notMerge: true });
    return chart;
  }

  function budgetChart(element, data) {
    var budget = data.budget;
    var hasBudget = budget.amount !== null;
    var chart = window.echarts.init(element);
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 64, right: 16, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: data.current.days },
      yAxis: { type: 'value', name: data.currency },
      series: hasBudget ? [
        { name: 'Budget left', type: 'line', data: numbers(budget.remainingToDate) },
        { name: 'Forecast', type: 'line', data: numbers(budget.forecastRemainingToDate),
          lineStyle: { type: 'dashed' } }
      ] : [
        { name: 'Spent', type: 'line', data: numbers(budget.spentToDate) },
        { name: 'Forecast', type: 'line', data: numbers(budget.forecastToDate), lineStyle: { type: 'dashed' } }
      ]
    });
    return chart;
  }

  function draw(data) {
    var spend = document.getElementById('spend-chart');
    var tokens = document.getElementById('tokens-chart');
    var budget = document.getElementById('budget-chart');
    var choice = document.getElementById('breakdown');
    var charts = [];
    function drawBars() {
      charts[0] = barChart(spend, data, 'spend', data.currency, choice.value);
      charts[1] = barChart(tokens, data, 'tokens', 'tokens', choice.value);
    }
    drawBars();
    charts.push(budgetChart(budget, data));
    choice.addEventListener('change', drawBars);
    window.addEventListener('resize', function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
    document.getElementById('charts').setAttribute('data-drawn', 'true');
  }

  document.addEventListener('DOMContentLoaded', function () {
    var container = document.getElementById('charts');
    if (!container || !window.echarts) {
      return;
    }
    var request = { credentials: 'same-origin', headers: { Accept: 'application/json' } };
    fetch(container.getAttribute('data-source'), request)
      .then(function (response) {
        if (!response.ok) {
          throw new Error('dashboard data answered ' + response.status);
        }
        return response.json();
      })
      .then(draw)
      .catch(function (error) {
        container.setAttribute('data-error', error.message);
        document.getElementById('charts-error').hidden = false;
      });
  });
}());

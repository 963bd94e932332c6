/* Aidledger: small progressive enhancements. Every page works without this file.
 *
 * - Live filters and sorting: a form marked data-live-form="ID" (and links marked
 *   data-live-link inside the element ID) fetch the same server-rendered page and
 *   swap the element ID in place, so the server stays the only place that filters,
 *   sorts and pages.
 * - Charts: a <figure data-chart> with its figures as JSON is drawn with Chart.js
 *   (served from /static/vendor, never a CDN); the HTML fallback and the table stay.
 */
(function () {
  "use strict";

  var lang = document.documentElement.lang || "en";

  /* ---- live regions ------------------------------------------------------------ */

  function swap(regionId, url, push) {
    var region = document.getElementById(regionId);
    if (!region) { window.location.href = url; return; }
    region.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok || response.redirected) { throw new Error("status " + response.status); }
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById(regionId);
        if (!fresh) { throw new Error("region missing"); }
        region.innerHTML = fresh.innerHTML;
        markScrollableTables();
        region.removeAttribute("aria-busy");
        var state = { region: regionId };
        if (push) { history.pushState(state, "", url); } else { history.replaceState(state, "", url); }
        announce(regionId, doc);
      })
      .catch(function () { window.location.href = url; });
  }

  function announce(regionId, doc) {
    var status = document.querySelector('[data-live-form="' + regionId + '"] [data-live-status]');
    if (!status) { return; }
    var rows = document.querySelectorAll("#" + regionId + " tbody tr").length;
    var empty = document.querySelector("#" + regionId + " .empty-title");
    status.textContent = empty ? empty.textContent : (doc.title + ": " + rows);
  }

  function formUrl(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (key !== "csrf_token" && String(value).trim() !== "") { params.append(key, value); }
    });
    var action = form.getAttribute("action") || window.location.pathname;
    var base = action.split("#")[0];
    var query = params.toString();
    return base + (query ? (base.indexOf("?") >= 0 ? "&" : "?") + query : "");
  }

  function initLiveForms() {
    document.querySelectorAll("form[data-live-form]").forEach(function (form) {
      var regionId = form.getAttribute("data-live-form");
      var timer = null;
      function refresh(delay) {
        clearTimeout(timer);
        timer = setTimeout(function () { swap(regionId, formUrl(form), false); }, delay);
      }
      form.addEventListener("change", function (event) {
        if (event.target.matches("select, input[type=number], input[type=date]")) { refresh(0); }
      });
      form.addEventListener("input", function (event) {
        if (event.target.matches("input[type=search], input[type=text]")) { refresh(300); }
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        refresh(0);
      });
    });
    document.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-live-link], [data-live-region] .pager a");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
      var region = link.closest("[data-live-region]");
      if (!region) { return; }
      event.preventDefault();
      swap(region.id, link.href.split("#")[0], true);
    });
    window.addEventListener("popstate", function (event) {
      if (event.state && event.state.region) { swap(event.state.region, window.location.href, false); }
    });
  }

  /* ---- charts ------------------------------------------------------------------ */

  var PALETTE = ["#1f5fa8", "#e69f00", "#2f8a57", "#cc79a7", "#3c9bd6", "#c2500a", "#6a5fb5", "#8a6d3b"];
  var SPECIAL = { _other: "#9aa3ae", _none: "#b8c0cc", _whole: "#8fa9c8", _planned: "#8fa9c8" };

  function euros(value, compact) {
    var options = { style: "currency", currency: "EUR", maximumFractionDigits: compact ? 1 : 0 };
    if (compact) { options.notation = "compact"; }
    try { return new Intl.NumberFormat(lang, options).format(value); } catch (e) { return String(value); }
  }

  function hatch(color) {
    var canvas = document.createElement("canvas");
    canvas.width = canvas.height = 8;
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = color;
    ctx.fillRect(0, 0, 8, 8);
    ctx.strokeStyle = "rgba(255,255,255,0.75)";
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(0, 8); ctx.lineTo(8, 0);
    ctx.moveTo(-2, 2); ctx.lineTo(2, -2);
    ctx.moveTo(6, 10); ctx.lineTo(10, 6);
    ctx.stroke();
    return ctx.createPattern(canvas, "repeat");
  }

  function colourOf(key, index) {
    return SPECIAL[key] || PALETTE[index % PALETTE.length];
  }

  /* Writes "Plan", "Comm.", "Disb." under each bar, so the three bars of a year are told apart. */
  var barLabels = {
    id: "aidledgerBarLabels",
    afterDatasetsDraw: function (chart, args, options) {
      var ctx = chart.ctx;
      var seen = {};
      ctx.save();
      ctx.font = "11px system-ui, sans-serif";
      ctx.fillStyle = "#4a5565";
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      chart.data.datasets.forEach(function (dataset, i) {
        if (seen[dataset.stack] || !chart.isDatasetVisible(i)) { return; }
        seen[dataset.stack] = true;
        chart.getDatasetMeta(i).data.forEach(function (bar) {
          ctx.fillText(options.short[dataset.stack] || "", bar.x, chart.chartArea.bottom + 4);
        });
      });
      ctx.restore();
    }
  };

  function programmeChart(canvas, data) {
    var datasets = [];
    data.planned.forEach(function (series, i) {
      datasets.push({ label: series.label, data: series.values.map(Number), stack: "planned",
                      backgroundColor: colourOf(series.key, i), borderColor: "#5d7ea6", borderWidth: 1,
                      series: data.series.planned, legend: true });
    });
    var sameKeys = data.planned.length > 1;
    data.stacks.forEach(function (stack, i) {
      var colour = colourOf(stack.key, i);
      datasets.push({ label: stack.label, data: stack.committed.map(Number), stack: "committed",
                      backgroundColor: colour, series: data.series.committed,
                      legend: !sameKeys || !data.planned.some(function (p) { return p.key === stack.key; }) });
      datasets.push({ label: stack.label, data: stack.disbursed.map(Number), stack: "disbursed",
                      backgroundColor: hatch(colour), borderColor: colour, borderWidth: 1,
                      series: data.series.disbursed, legend: false });
    });
    return new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.years.map(String), datasets: datasets },
      plugins: [barLabels],
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "nearest", intersect: true },
        scales: {
          x: { stacked: true, grid: { display: false }, ticks: { padding: 18, font: { weight: "600" } } },
          y: { stacked: true, beginAtZero: true, ticks: { callback: function (v) { return euros(v, true); } } }
        },
        plugins: {
          aidledgerBarLabels: { short: data.short },
          legend: { position: "bottom", labels: { boxWidth: 12, filter: function (item, chartData) {
            return chartData.datasets[item.datasetIndex].legend;
          } } },
          tooltip: { filter: function (item) { return item.raw !== 0; }, callbacks: {
            title: function (items) { return items.length ? items[0].label + " · " + items[0].dataset.series : ""; },
            label: function (item) { return item.dataset.label + ": " + euros(item.raw, false); }
          } }
        }
      }
    });
  }

  function initCharts() {
    if (!window.Chart) { return; }
    document.querySelectorAll("figure[data-chart]").forEach(function (figure) {
      var source = document.getElementById(figure.getAttribute("data-chart-data"));
      var box = figure.querySelector(".chart-box");
      if (!source || !box) { return; }
      try {
        var data = JSON.parse(source.textContent);
        box.hidden = false;
        if (figure.getAttribute("data-chart") === "programme") {
          programmeChart(box.querySelector("canvas"), data);
        }
        figure.classList.add("chart-ready");
      } catch (e) {
        box.hidden = true;  // the HTML bars and the table stay
      }
    });
  }

  /* ---- tables wider than the screen scroll with the keyboard too ------------------ */

  function labelOf(wrap) {
    var caption = wrap.querySelector("caption");
    var section = wrap.closest("section");
    var heading = section ? section.querySelector("h2, h3") : null;
    return (caption || heading || { textContent: "" }).textContent.trim();
  }

  function markScrollableTables() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        if (!wrap.hasAttribute("aria-label") && labelOf(wrap)) { wrap.setAttribute("aria-label", labelOf(wrap)); }
      } else if (wrap.getAttribute("tabindex") === "0") {
        wrap.removeAttribute("tabindex");
      }
    });
  }

  document.documentElement.classList.add("js");
  function start() {
    initLiveForms();
    initCharts();
    markScrollableTables();
    window.addEventListener("resize", markScrollableTables);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();

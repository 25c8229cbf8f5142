// The sales dashboard: polls reporting's JSON reports and redraws in place, so it stays current without a reload.
// Query parameters of the page: pipeline (default "sales"), from, to, source, refresh (milliseconds, default 5000).
// The reports need a key (REPORTS_API_KEYS): the person signs in with it, and it is kept in sessionStorage, so it
// lasts for this browser tab's session only and is sent to this service alone.
(function () {
  'use strict';

  var params = new URLSearchParams(window.location.search);
  var pipelineId = params.get('pipeline') || 'sales';
  var refreshMs = Math.max(1000, Number(params.get('refresh')) || 5000);
  var range = new URLSearchParams();
  ['from', 'to'].forEach(function (key) {
    if (params.get(key)) range.set(key, params.get(key));
  });
  var scope = new URLSearchParams(range);
  if (params.get('source')) scope.set('source', params.get('source'));

  var stageLabels = {
    qualified: 'Calificado / Qualified',
    contacted: 'Contactado / Contacted',
    proposal_sent: 'Propuesta enviada / Proposal sent',
    negotiation: 'Negociación / Negotiation',
  };
  // The reasons the deals service offers; any other text is shown as it is.
  var reasonLabels = {
    price: 'Precio / Price',
    timing: 'Momento / Timing',
    competitor: 'Competencia / Competitor',
    'no-budget': 'Sin presupuesto / No budget',
    'no-response': 'Sin respuesta / No response',
    other: 'Otro / Other',
  };
  var palette = ['#2f6fde', '#f08c2e', '#2e9e6a', '#c0392b', '#8e5cc4', '#7f8c8d'];

  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;

  function newChart(id, type, options) {
    return new Chart(document.getElementById(id), { type: type, data: { labels: [], datasets: [] }, options: options || {} });
  }

  var charts = {
    funnel: newChart('funnel-chart', 'bar', {
      indexAxis: 'y',
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
    }),
    pipeline: newChart('pipeline-chart', 'bar', { scales: { y: { beginAtZero: true } } }),
    sources: newChart('sources-chart', 'bar', { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }),
    cycle: newChart('cycle-chart', 'bar', {
      indexAxis: 'y',
      scales: { x: { beginAtZero: true, title: { display: true, text: 'horas / hours' } } },
    }),
  };

  var keyStorage = 'crm.reportsKey';
  var signInForm = document.getElementById('sign-in');
  var figures = document.getElementById('figures');
  var signOutButton = document.getElementById('sign-out');
  var timer = null;
  // Bumped by every sign-in and sign-out: an answer to an earlier session's requests is dropped.
  var session = 0;

  // A report refused the key: the person signs in again.
  function KeyRefused() {}

  function showSignIn(message) {
    session++;
    if (timer !== null) clearTimeout(timer);
    timer = null;
    sessionStorage.removeItem(keyStorage);
    figures.hidden = true;
    signOutButton.hidden = true;
    document.getElementById('updated').textContent = '';
    document.getElementById('error').hidden = true;
    var error = document.getElementById('sign-in-error');
    error.textContent = message || '';
    error.hidden = !message;
    signInForm.hidden = false;
    document.getElementById('reports-key').focus();
  }

  function showFigures() {
    session++;
    signInForm.hidden = true;
    figures.hidden = false;
    signOutButton.hidden = false;
    refresh();
  }

  signInForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var input = document.getElementById('reports-key');
    sessionStorage.setItem(keyStorage, input.value.trim());
    input.value = '';
    showFigures();
  });
  signOutButton.addEventListener('click', function () {
    showSignIn('');
  });

  function getJson(path, query) {
    var qs = query && query.toString();
    var headers = { accept: 'application/json', 'x-api-key': sessionStorage.getItem(keyStorage) || '' };
    return fetch(path + (qs ? '?' + qs : ''), { headers: headers }).then(function (response) {
      if (response.status === 401) throw new KeyRefused();
      if (response.status === 404) return null;
      if (!response.ok) throw new Error(path + ': HTTP ' + response.status);
      return response.json();
    });
  }

  function percent(rate) {
    return new Intl.NumberFormat('es-ES', { style: 'percent', maximumFractionDigits: 1 }).format(rate || 0);
  }

  // Amounts travel as integer minor units in strings; only display turns them into decimals.
  function formatMoney(amounts) {
    if (!amounts || amounts.length === 0) return '0';
    return amounts
      .map(function (m) {
        var format = new Intl.NumberFormat('es-ES', { style: 'currency', currency: m.currencyCode || 'EUR' });
        var digits = format.resolvedOptions().maximumFractionDigits;
        return format.format(Number(m.amountMinor) / Math.pow(10, digits));
      })
      .join(' + ');
  }

  function majorUnits(amounts) {
    var first = amounts && amounts[0];
    if (!first) return 0;
    var digits = new Intl.NumberFormat('es-ES', { style: 'currency', currency: first.currencyCode || 'EUR' }).resolvedOptions()
      .maximumFractionDigits;
    return Number(first.amountMinor) / Math.pow(10, digits);
  }

  function formatDuration(ms) {
    if (Number(ms) < 1000) return Number(ms) + ' ms';
    var minutes = Math.round(Number(ms) / 60000);
    if (minutes < 1) return Math.round(Number(ms) / 1000) + ' s';
    if (minutes < 60) return minutes + ' min';
    var hours = Math.floor(minutes / 60);
    if (hours < 48) return hours + ' h ' + (minutes % 60) + ' min';
    return Math.floor(hours / 24) + ' d ' + (hours % 24) + ' h';
  }

  function setKpi(name, text) {
    document.querySelectorAll('[data-kpi="' + name + '"]').forEach(function (el) {
      el.textContent = text;
    });
  }

  function setChart(chart, labels, datasets) {
    chart.data.labels = labels;
    chart.data.datasets = datasets;
    chart.update('none');
  }

  function renderFunnel(report) {
    var f = report.funnel;
    setKpi('leadsCaptured', f.leadsCaptured);
    setKpi('qualificationRate', percent(f.qualificationRate));
    setKpi('leadToDealRate', percent(f.leadToDealRate));
    setKpi('winRate', percent(f.winRate));
    setChart(
      charts.funnel,
      ['Captados / Captured', 'Calificados / Qualified', 'Negocios / Deals', 'Ganados / Won', 'Perdidos / Lost'],
      [
        {
          data: [f.leadsCaptured, f.leadsQualified, f.dealsOpened, f.dealsWon, f.dealsLost].map(Number),
          backgroundColor: ['#2f6fde', '#4b86e8', '#f08c2e', '#2e9e6a', '#c0392b'],
        },
      ],
    );
  }

  function renderPipeline(report) {
    var stages = report ? report.stages : [];
    setKpi('openValue', report ? formatMoney(report.openValue) : '0');
    setKpi('weightedValue', report ? formatMoney(report.weightedValue) : '0');
    setKpi('wonValue', report ? formatMoney(report.wonValue) : '0');
    setKpi('lostValue', report ? formatMoney(report.lostValue) : '0');
    setKpi('dealsWon', (report ? report.dealsWon : 0) + ' negocios / deals');
    setKpi('dealsLost', (report ? report.dealsLost : 0) + ' negocios / deals');
    setChart(
      charts.pipeline,
      stages.map(function (s) {
        return (stageLabels[s.stage] || s.stage).split(' / ').concat(s.probability + ' %');
      }),
      [
        {
          label: 'Valor / Value',
          data: stages.map(function (s) {
            return majorUnits(s.value);
          }),
          backgroundColor: '#2f6fde',
        },
        {
          label: 'Ponderado / Weighted',
          data: stages.map(function (s) {
            return majorUnits(s.weightedValue);
          }),
          backgroundColor: '#f08c2e',
        },
      ],
    );
  }

  function cell(text) {
    var td = document.createElement('td');
    td.textContent = text;
    return td;
  }

  function renderSources(report) {
    var rows = report.sources;
    setChart(
      charts.sources,
      rows.map(function (r) {
        return r.source || '(sin origen / none)';
      }),
      [
        ['Captados / Captured', 'leadsCaptured'],
        ['Calificados / Qualified', 'leadsQualified'],
        ['Negocios / Deals', 'dealsOpened'],
        ['Ganados / Won', 'dealsWon'],
      ].map(function (pair, i) {
        return {
          label: pair[0],
          data: rows.map(function (r) {
            return Number(r.funnel[pair[1]]);
          }),
          backgroundColor: palette[i],
        };
      }),
    );
    var body = document.querySelector('#sources-table tbody');
    body.replaceChildren.apply(
      body,
      rows.map(function (r) {
        var tr = document.createElement('tr');
        tr.dataset.source = r.source;
        [
          r.source || '(sin origen / none)',
          r.funnel.leadsCaptured,
          r.funnel.leadsQualified,
          r.funnel.dealsOpened,
          r.funnel.dealsWon,
          r.funnel.dealsLost,
          percent(r.funnel.winRate),
          formatMoney(r.wonValue),
        ].forEach(function (value) {
          tr.appendChild(cell(value));
        });
        return tr;
      }),
    );
  }

  function renderCycleTimes(report) {
    var hours = function (ms) {
      return Math.round((Number(ms) / 3600000) * 100) / 100;
    };
    // Two-line labels (Spanish, English) keep the axis narrow on a phone.
    var rows = [
      [['Captación → calificación', 'Capture → qualification'], report.captureToQualification],
      [['Abierto → ganado', 'Opened → won'], report.dealOpenedToWon],
    ].concat(
      report.timeInStage.map(function (s) {
        return [(stageLabels[s.stage] || s.stage).split(' / '), s.duration];
      }),
    );
    setChart(
      charts.cycle,
      rows.map(function (r) {
        return r[0];
      }),
      [
        {
          label: 'Media / Average',
          data: rows.map(function (r) {
            return hours(r[1].averageMs);
          }),
          backgroundColor: '#2f6fde',
        },
        {
          label: 'Mediana / Median',
          data: rows.map(function (r) {
            return hours(r[1].medianMs);
          }),
          backgroundColor: '#2e9e6a',
        },
      ],
    );
    var describe = function (d) {
      return Number(d.count) === 0
        ? '–'
        : formatDuration(d.averageMs) + ' (mediana / median ' + formatDuration(d.medianMs) + ', n=' + d.count + ')';
    };
    setKpi('captureToQualification', describe(report.captureToQualification));
    setKpi('dealOpenedToWon', describe(report.dealOpenedToWon));
  }

  function renderLostReasons(report) {
    var list = document.getElementById('lost-reasons');
    if (report.reasons.length === 0) {
      list.replaceChildren(Object.assign(document.createElement('li'), { textContent: 'Ninguno / None' }));
      return;
    }
    list.replaceChildren.apply(
      list,
      report.reasons.map(function (r) {
        return Object.assign(document.createElement('li'), {
          textContent:
            (reasonLabels[r.reason] || r.reason || '(sin motivo / no reason)') + ': ' + r.dealsLost + ' · ' + formatMoney(r.lostValue),
        });
      }),
    );
  }

  function refresh() {
    var current = session;
    var pipelineQuery = new URLSearchParams({ pipelineId: pipelineId });
    if (params.get('source')) pipelineQuery.set('source', params.get('source'));
    return Promise.all([
      getJson('/v1/reports/funnel', scope),
      getJson('/v1/reports/pipeline', pipelineQuery),
      getJson('/v1/reports/sources', range),
      getJson('/v1/reports/cycle-times', scope),
      getJson('/v1/reports/lost-reasons', scope),
    ])
      .then(function (reports) {
        if (current !== session) return;
        renderFunnel(reports[0]);
        renderPipeline(reports[1]);
        renderSources(reports[2]);
        renderCycleTimes(reports[3]);
        renderLostReasons(reports[4]);
        document.getElementById('updated').textContent = 'Actualizado / Updated ' + new Date().toLocaleTimeString('es-ES');
        document.getElementById('error').hidden = true;
        document.body.dataset.loaded = 'true';
      })
      .then(
        function () {
          if (current === session) timer = setTimeout(refresh, refreshMs);
        },
        function (err) {
          if (current !== session) return;
          if (err instanceof KeyRefused) return showSignIn('Clave no válida / The key is not valid');
          var error = document.getElementById('error');
          error.textContent = 'Sin conexión / Offline: ' + err.message;
          error.hidden = false;
          timer = setTimeout(refresh, refreshMs);
        },
      );
  }

  if (sessionStorage.getItem(keyStorage)) showFigures();
  else showSignIn('');
})();

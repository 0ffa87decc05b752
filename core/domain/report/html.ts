// The report as one self-contained HTML file: inline CSS and SVG, no script, no event handler, no
// reference to anything outside the file. A Content-Security-Policy meta forbids scripts, frames
// and remote loads, a second line of defence behind the escaping of every value (html-template.ts).

import { timelineChart } from './charts';
import { flameSvg, percent as sharePercent, valueText } from './flame-svg';
import { formatBytes, formatCount } from '../../../common/format';
import { formatClock, formatDuration, formatMs, formatTime } from './format';
import { html, SafeHtml } from './html-template';
import type { ActivitySection, BookmarkEntry, AlertsSection, ConnectionRow, ContainerRow, ErrorsSection, EvidenceSection, FindingGroup, GrpcMethodRow, HeapSection, HttpSection, NotableExchange, ProcessRow, ProfilesSection, ReportData, Scoped, TimelineSection } from './model';

export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export function renderHtml(report: ReportData): string {
  const sections: [string, string, SafeHtml][] = [
    ['findings', 'Findings', findingsSection(report.findings, report.heaps, report.profiles)],
    ...(report.bookmarks.length ? [['bookmarks', 'What we looked at and why', bookmarksSection(report.bookmarks)] as [string, string, SafeHtml]] : []),
    ...(report.alerts ? [['alerts', 'Security alerts', alertsSection(report.alerts)] as [string, string, SafeHtml]] : []),
    ...(report.timeline ? [['timeline', 'Timeline', timelineSection(report.timeline)] as [string, string, SafeHtml]] : []),
    ...(report.http ? [['http', 'HTTP', httpSection(report.http)] as [string, string, SafeHtml]] : []),
    ...(hasErrorsSection(report.errors) ? [['errors', 'Errors', errorsSection(report.errors)] as [string, string, SafeHtml]] : []),
    ...(report.activity ? [['activity', 'Top containers, processes and connections', activitySection(report.activity)] as [string, string, SafeHtml]] : []),
    ...(report.heaps.length ? [['heap', 'Heap dumps', heapSection(report.heaps)] as [string, string, SafeHtml]] : []),
    ...(report.profiles ? [['profiles', 'Go profiles', profilesSection(report.profiles)] as [string, string, SafeHtml]] : []),
    ['evidence', 'Evidence', evidenceDetails(report.evidence)],
  ];
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="capscope ${report.capscopeVersion}">
<title>${report.title}</title>
<style>${STYLESHEET}</style>
</head>
<body>
<header class="top">
<h1>${report.title}</h1>
${overview(report)}
<nav aria-label="Sections"><ol>${sections.map(([id, title]) => html`<li><a href="#${id}">${title}</a></li>`)}</ol></nav>
</header>
<main>
${sections.map(([id, title, body]) => html`<section id="${id}"><h2>${title}</h2>${body}</section>`)}
</main>
<footer>Written by capscope ${report.capscopeVersion} on ${report.generatedAt}. ${report.redacted ? 'Credentials (Authorization, Cookie and token-like parameters) are masked.' : 'Redaction was switched off: this report may contain credentials.'}</footer>
</body>
</html>
`;
  return withScrollingTables(page.html);
}

/**
 * Every table inside a box that scrolls sideways when the table is wider than the page (the HTTP
 * summary's eleven columns on a laptop), so that the page itself never does. Captured text is
 * escaped before it gets here: the only `<table` in the document is ours.
 */
function withScrollingTables(document: string): string {
  return document.replace(/<table\b/g, '<div class="table-scroll"><table').replace(/<\/table>/g, '</table></div>');
}

function overview(report: ReportData): SafeHtml {
  const e = report.evidence;
  const span = e.span;
  const scope = report.scope;
  return html`<dl class="facts">
<div><dt>Evidence</dt><dd>${e.files.map((f, i) => html`${i ? html`<br>` : ''}<span class="mono">${f.file}</span>${f.entry && !f.file.endsWith(f.entry) ? html` › <span class="mono">${f.entry}</span>` : ''} <span class="muted">(${f.format}${f.compression.length ? `, ${f.compression.join(' › ')}` : ''}, ${formatBytes(f.bytes)}${f.status !== 'indexed' ? `, ${f.status}` : ''})</span>`)}</dd></div>
${span ? html`<div><dt>Time span</dt><dd>${formatTime(span.first, 9)} — ${formatTime(span.last, 9)} <span class="muted">(${formatDuration(BigInt(span.last) - BigInt(span.first))})</span></dd></div>` : ''}
${e.hosts.map((h) => html`<div><dt>Host</dt><dd>${h.hostname}${h.cpus !== null ? `, ${h.cpus} CPUs` : ''}${h.memoryBytes !== null ? `, ${formatBytes(h.memoryBytes)} memory` : ''}</dd></div>`)}
<div><dt>Contents</dt><dd>${e.counts.map((c, i) => html`${i ? ', ' : ''}${formatCount(c.value)} ${c.label}`)}</dd></div>
${scope.filter || scope.range ? html`<div><dt>Scope</dt><dd>${scope.filter ? html`filter <code>${scope.filter}</code>` : ''}${scope.filter && scope.range ? '; ' : ''}${scope.range ? `from ${formatTime(scope.range.from, 9)} to ${formatTime(scope.range.to, 9)}` : ''}</dd></div>` : ''}
<div><dt>Redaction</dt><dd>${report.redacted ? 'on: credential values are masked' : html`<strong class="warn">off: this report may contain credentials</strong>`}</dd></div>
</dl>`;
}

function omittedOr<T>(scoped: Scoped<T>, render: (rows: T) => SafeHtml): SafeHtml {
  return 'omitted' in scoped ? html`<p class="note">${scoped.omitted}</p>` : render(scoped.rows);
}

// ----- bookmarks -----

function bookmarksSection(entries: BookmarkEntry[]): SafeHtml {
  return html`<ol class="bookmarks">${entries.map(
    (b) => html`<li><span class="mono">${b.what}</span>${b.missing ? html` <span class="note">no longer in the index: ${b.missing}</span>` : b.ts ? html` <span class="muted">${formatTime(b.ts, 9)}</span>` : ''}${b.note ? html`<p class="bookmark-note">${b.note}</p>` : ''}</li>`,
  )}</ol>`;
}

// ----- findings -----

function findingsSection(findings: Scoped<FindingGroup[]>, heaps: HeapSection[], profiles: ProfilesSection | null): SafeHtml {
  const suspects = heaps.reduce((n, h) => n + h.suspects.length, 0);
  const pointed = profiles?.findings.length ?? 0;
  return html`${omittedOr(findings, (groups) => (groups.length === 0 ? html`<p>No findings in the captures: capscope saw nothing it could point at.</p>` : html`${groups.map(findingCard)}`))}
${heaps.length ? html`<p>Heap dumps: ${suspects === 0 ? 'no leak suspect' : html`<a href="#heap">${formatCount(suspects)} leak suspect${suspects === 1 ? '' : 's'}</a>`}.</p>` : ''}
${profiles ? html`<p>Go profiles: ${pointed === 0 ? 'nothing they point at' : html`<a href="#profiles">${formatCount(pointed)} finding${pointed === 1 ? '' : 's'}</a>`}.</p>` : ''}`;
}

function findingCard(g: FindingGroup): SafeHtml {
  const times = g.firstTs ? (g.count > 1 && g.lastTs && g.lastTs !== g.firstTs ? `between ${formatTime(g.firstTs, 3)} and ${formatTime(g.lastTs, 3)}` : `at ${formatTime(g.firstTs, 3)}`) : '';
  const heading = g.count > 1 ? (g.sameTitle ? `${formatCount(g.count)} × ${g.title}` : `${g.title} (and ${formatCount(g.count - 1)} more like it)`) : g.title;
  return html`<article class="finding ${g.severity}">
<h3><span class="badge ${g.severity}">${g.severity}</span> ${heading}</h3>
<p class="muted">${g.kind}${g.cause ? ` · ${g.cause}` : ''}${times ? ` · ${times}` : ''}${g.firstExchange !== null ? ` · ${g.count > 1 ? 'first ' : ''}HTTP exchange ${g.firstExchange}` : ''}</p>
<p class="explanation">${explanationWithCode(g.explanation)}</p>
${g.evidence.length ? html`<table class="evidence"><thead><tr><th>stream</th><th>direction</th><th>bytes</th><th>excerpt</th></tr></thead><tbody>${g.evidence.map((e) => html`<tr><td class="num">${e.stream}</td><td>${e.dir ?? 'both'}</td><td class="num">${e.place ?? `${formatCount(e.offset)}–${formatCount(e.offset + e.length)}`}</td><td><code class="excerpt">${e.excerpt}</code></td></tr>`)}</tbody></table>` : ''}
</article>`;
}

/** Explanations quote captured lines between backticks: shown as code, the rest as text. */
function explanationWithCode(text: string): SafeHtml {
  const parts = text.split(/`([^`]*)`/);
  return html`${parts.map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}

// ----- security alerts -----

function alertsSection(alerts: Scoped<AlertsSection>): SafeHtml {
  return omittedOr(alerts, (s) => html`${
    s.rules.length === 0
      ? html`<p>No alerts: capscope's default Falco rules matched no event.</p>`
      : html`<table><thead><tr><th>rule</th><th>priority</th><th>alerts</th><th>when</th><th>tags</th></tr></thead><tbody>${s.rules.map(
          (r) => html`<tr><td>${r.rule}</td><td>${r.priority}</td><td class="num">${formatCount(r.count)}</td><td>${r.first === r.last ? formatTime(r.first, 3) : `${formatTime(r.first, 3)} — ${formatTime(r.last, 3)}`}</td><td>${r.tags.join(', ')}</td></tr>`,
        )}</tbody></table>
${s.rules.map((r) => html`<p>${r.rule}${r.count > r.examples.length ? ` (first ${r.examples.length} of ${formatCount(r.count)})` : ''}:</p><ul>${r.examples.map((e) => html`<li>evt ${e.num}: <code class="excerpt">${e.output}</code></li>`)}</ul>`)}`
  }
${s.skipped.length ? html`<p class="note">Not run: ${s.skipped.map((k) => `${k.rule} (${k.reason})`).join('; ')}.</p>` : ''}`);
}

// ----- timeline -----

function timelineSection(t: TimelineSection): SafeHtml {
  return html`${t.series.length === 0 ? html`<p>Nothing in scope to chart.</p>` : t.series.map((s) => html`<figure><figcaption>${s.title}</figcaption>${timelineChart(t, s)}</figure>`)}
${t.notes.map((n) => html`<p class="note">${n}</p>`)}`;
}

// ----- HTTP -----

function httpSection(scoped: Scoped<HttpSection>): SafeHtml {
  return omittedOr(scoped, (h) => html`<p>${formatCount(h.exchanges)} exchanges in scope.</p>
<h3>Status codes</h3>
<table class="compact"><thead><tr><th>status</th><th>reason</th><th class="num">responses</th><th class="num">share</th></tr></thead><tbody>
${h.statuses.map((s) => html`<tr class="${s.status !== null && s.status >= 500 ? 'bad' : ''}"><td class="num">${s.status ?? 'none'}</td><td>${s.status === null ? 'no response seen' : (s.reason ?? '')}</td><td class="num">${formatCount(s.count)}</td><td class="num">${percent(s.count, h.exchanges)}</td></tr>`)}
</tbody></table>
<h3>Endpoints</h3>
<p class="muted">Latency is the time from the first request byte to the first response byte (ms), percentiles by the nearest-rank method.${h.endpointTotal > h.endpoints.length ? ` The ${h.endpoints.length} busiest of ${formatCount(h.endpointTotal)} endpoints.` : ''}</p>
<table><thead><tr><th>server</th><th>method</th><th>path</th><th class="num">requests</th><th class="num">4xx</th><th class="num">5xx</th><th class="num">no resp.</th><th class="num">p50</th><th class="num">p90</th><th class="num">p99</th><th class="num">max</th></tr></thead><tbody>
${h.endpoints.map((e) => html`<tr><td class="mono">${e.server ?? '?'}</td><td>${e.method ?? ''}</td><td class="mono">${e.path}</td><td class="num">${formatCount(e.count)}</td><td class="num">${e.clientErrors || ''}</td><td class="num ${e.serverErrors ? 'bad' : ''}">${e.serverErrors || ''}</td><td class="num">${e.noResponse || ''}</td><td class="num">${formatMs(e.p50)}</td><td class="num">${formatMs(e.p90)}</td><td class="num">${formatMs(e.p99)}</td><td class="num">${formatMs(e.max)}</td></tr>`)}
</tbody></table>
${h.grpc.length ? grpcTable(h.grpc) : ''}
${h.notable.length ? html`<h3>Exchanges worth reading</h3><p class="muted">The first exchange of each kind of failure (4xx, 5xx, a gRPC error, no response or a malformed message), then the slowest successful ones.</p>${h.notable.map(exchangeCard)}` : ''}`);
}

function grpcTable(rows: GrpcMethodRow[]): SafeHtml {
  return html`<h3>gRPC calls</h3>
<p class="muted">Per server, service and method: how the calls ended (grpc-status, or the status the client saw for a stream reset or refused), the first error message and its time, latency to the first response byte (ms).</p>
<table><thead><tr><th>server</th><th>call</th><th class="num">calls</th><th class="num">errors</th><th>ended with</th><th>first error</th><th class="num">p50</th><th class="num">p99</th></tr></thead><tbody>
${rows.map((g) => html`<tr><td class="mono">${g.server ?? '?'}</td><td class="mono">${g.service === null ? '(path not decoded)' : `${g.service}/${g.method}`}</td><td class="num">${formatCount(g.calls)}</td><td class="num ${g.errors ? 'bad' : ''}">${g.errors || ''}</td><td>${g.statuses.map((s) => `${s.name} ${formatCount(s.count)}`).join(', ')}</td><td>${g.firstErrorTs ? html`${g.firstError !== null ? html`<code class="excerpt">${g.firstError}</code> ` : ''}${formatTime(g.firstErrorTs, 3)}${g.lastErrorTs !== g.firstErrorTs ? ` … ${formatTime(g.lastErrorTs!, 3)}` : ''}` : ''}</td><td class="num">${formatMs(g.p50)}</td><td class="num">${formatMs(g.p99)}</td></tr>`)}
</tbody></table>`;
}

function exchangeCard(x: NotableExchange): SafeHtml {
  return html`<details class="exchange" open>
<summary><span class="badge ${x.why === 'failed' ? 'error' : 'info'}">${x.why}</span> <span class="mono">${x.method ?? '?'} ${x.target ?? ''}</span> → <strong>${x.status ?? 'no response'}</strong> ${x.reason ?? ''}${x.grpc?.status ? html` · grpc <strong>${x.grpc.status}</strong>${x.grpc.message !== null ? html` <code class="excerpt">${x.grpc.message}</code>` : ''}` : ''} <span class="muted">· exchange ${x.id}${x.reqTs ? ` · ${formatTime(x.reqTs, 6)}` : ''} · ${x.client ?? '?'} → ${x.server ?? '?'}${x.latencyMs !== null ? ` · ${formatMs(x.latencyMs)} ms` : ''}${x.similar ? ` · ${formatCount(x.similar)} more failed the same way` : ''}</span></summary>
<div class="headers">
<div><h4>Request headers</h4>${headerList(x.requestHeaders)}</div>
<div><h4>Response headers</h4>${headerList(x.responseHeaders)}</div>
</div>
${x.diagnostics.length ? html`<ul class="diagnostics">${x.diagnostics.map((d) => html`<li><code>${d.code}</code> in the ${d.side}: <code class="excerpt">${d.line}</code></li>`)}</ul>` : ''}
</details>`;
}

function headerList(headers: [string, string][]): SafeHtml {
  if (headers.length === 0) return html`<p class="muted">none captured</p>`;
  return html`<div class="header-block">${headers.map(([n, v]) => html`<div><b>${n}</b>: ${v}</div>`)}</div>`;
}

// ----- errors -----

function hasErrorsSection(e: ErrorsSection): boolean {
  return e.syscalls !== null || e.connections !== null || e.httpDiagnostics !== null;
}

function errorsSection(e: ErrorsSection): SafeHtml {
  return html`${e.syscalls ? html`<h3>Failed syscalls</h3>${omittedOr(e.syscalls, (rows) => (rows.length === 0 ? html`<p>No syscall returned an error.</p>` : html`<table class="compact"><thead><tr><th>syscall</th><th>result</th><th class="num">count</th><th>processes</th></tr></thead><tbody>${rows.map((r) => html`<tr><td class="mono">${r.type}</td><td class="mono">${r.errno}</td><td class="num">${formatCount(r.count)}</td><td>${r.processes.join(', ')}</td></tr>`)}</tbody></table>`))}` : ''}
${e.connections ? html`<h3>Connections reset or never answered</h3>
${omittedOr(e.connections, (rows) => (rows.length === 0 ? html`<p>None: every TCP connection in scope was answered and none was reset.</p>` : html`<table class="compact"><thead><tr><th>server</th><th>what happened</th><th class="num">connections</th></tr></thead><tbody>${rows.map((r) => html`<tr><td class="mono">${r.server}</td><td>${r.state}</td><td class="num">${formatCount(r.count)}</td></tr>`)}</tbody></table>`))}` : ''}
${e.httpDiagnostics ? html`<h3>Malformed HTTP messages</h3>${omittedOr(e.httpDiagnostics, (rows) => (rows.length === 0 ? html`<p>Every HTTP message in scope was well-formed.</p>` : html`<table><thead><tr><th>diagnostic</th><th class="num">count</th><th>first offending line</th><th>why</th></tr></thead><tbody>${rows.map((r) => html`<tr class="${r.severity === 'error' ? 'bad' : ''}"><td class="mono">${r.code}</td><td class="num">${formatCount(r.count)}</td><td><code class="excerpt">${r.line}</code></td><td>${r.message}</td></tr>`)}</tbody></table>`))}` : ''}`;
}

// ----- activity -----

function activitySection(a: ActivitySection): SafeHtml {
  const processesNote = html`<p class="muted">A network capture sees addresses, not containers or processes: these come from syscall captures.</p>`;
  return html`<h3>Containers</h3>
${a.knowsProcesses ? omittedOr(a.containers, containersTable) : processesNote}
<h3>Processes</h3>
${a.knowsProcesses ? omittedOr(a.processes, processesTable) : processesNote}
<h3>Connections by bytes</h3>
${omittedOr(a.connections, connectionsTable)}`;
}

function containersTable(rows: ContainerRow[]): SafeHtml {
  if (rows.length === 0) return html`<p>No container in scope.</p>`;
  return html`<table><thead><tr><th>container</th><th>image</th><th class="num">events</th><th class="num">failed syscalls</th><th class="num">processes</th><th class="num">bytes in</th><th class="num">bytes out</th></tr></thead><tbody>
${rows.map((c) => html`<tr><td>${c.name ?? ''}${c.id !== c.name ? html` <span class="mono muted">${c.id}</span>` : ''}</td><td class="mono">${c.image ?? ''}</td><td class="num">${formatCount(c.events)}</td><td class="num">${formatCount(c.errors)}</td><td class="num">${c.processes}</td><td class="num">${formatBytes(c.bytesIn)}</td><td class="num">${formatBytes(c.bytesOut)}</td></tr>`)}
</tbody></table>`;
}

function processesTable(rows: ProcessRow[]): SafeHtml {
  if (rows.length === 0) return html`<p>No process in scope.</p>`;
  return html`<table><thead><tr><th>process</th><th>container</th><th>command line</th><th class="num">events</th><th class="num">failed syscalls</th><th class="num">bytes in</th><th class="num">bytes out</th></tr></thead><tbody>
${rows.map((p) => html`<tr><td>${p.name ?? '?'} <span class="muted">(${p.pid ?? '?'})</span></td><td>${p.container ?? ''}</td><td class="mono wrap">${p.commandLine ?? ''}</td><td class="num">${formatCount(p.events)}</td><td class="num">${formatCount(p.errors)}</td><td class="num">${formatBytes(p.bytesIn)}</td><td class="num">${formatBytes(p.bytesOut)}</td></tr>`)}
</tbody></table>`;
}

function connectionsTable(rows: ConnectionRow[]): SafeHtml {
  if (rows.length === 0) return html`<p>No connection in scope.</p>`;
  // Network captures know addresses only: the endpoint column would be empty.
  const endpoints = rows.some((c) => c.endpoint !== null);
  return html`<table><thead><tr><th class="num">stream</th><th>connection</th>${endpoints ? html`<th>endpoint</th>` : ''}<th>protocol</th><th class="num">bytes out</th><th class="num">bytes in</th><th>from</th><th>duration</th><th>state</th></tr></thead><tbody>
${rows.map((c) => html`<tr><td class="num">${c.stream}</td><td class="mono">${c.kind} ${c.tuple ?? ''}</td>${endpoints ? html`<td>${c.endpoint ?? ''}</td>` : ''}<td>${c.protocol ?? ''}</td><td class="num">${formatBytes(c.bytesOut)}</td><td class="num">${formatBytes(c.bytesIn)}</td><td class="mono">${c.firstTs ? formatClock(c.firstTs) : ''}</td><td>${c.firstTs && c.lastTs ? formatDuration(BigInt(c.lastTs) - BigInt(c.firstTs)) : ''}</td><td>${c.state ?? ''}</td></tr>`)}
</tbody></table>`;
}

// ----- heap -----

function heapSection(heaps: HeapSection[]): SafeHtml {
  return html`${heaps.map((h) => html`<article class="heap">
<h3 class="mono">${h.entry}</h3>
<p class="muted">${h.summary.format}, ${h.summary.vm}, taken ${h.summary.timestamp ?? 'at an unknown time'}: ${formatCount(h.summary.objects)} objects, ${formatCount(h.summary.classes)} classes, ${formatBytes(h.summary.heapBytes)} reachable.${h.summary.complete ? '' : ' The dump was cut short: these results cover what came before its end.'}</p>
<h4>Leak suspects</h4>
${h.suspects.length === 0 ? html`<p>None: no object or class retains more than 10 % of the heap.</p>` : h.suspects.map((s) => html`<div class="suspect"><p><strong>${s.title}</strong> — ${formatBytes(s.retainedBytes)} (${formatCount(s.retainedBytes)} bytes)</p><p>Accumulates in <code>${s.accumulatesIn}</code> (${formatBytes(s.accumulatedBytes)}) via <code>${s.path.join(' → ')}</code></p></div>`)}
<h4>Class histogram (top ${h.histogram.length} by shallow size)</h4>
<table class="compact"><thead><tr><th>class</th><th class="num">instances</th><th class="num">shallow bytes</th><th class="num">retained bytes</th></tr></thead><tbody>${h.histogram.map((r) => html`<tr><td class="mono">${r.class}</td><td class="num">${formatCount(r.instances)}</td><td class="num">${formatCount(r.shallowBytes)}</td><td class="num">${formatCount(r.retainedBytes)}</td></tr>`)}</tbody></table>
<h4>Dominators (top ${h.dominators.length} by retained size)</h4>
<table><thead><tr><th>object</th><th class="num">retained bytes</th><th class="num">shallow bytes</th><th>path from a GC root</th></tr></thead><tbody>${h.dominators.map((d) => html`<tr><td class="mono wrap">${d.object}${d.gcRoot ? ' (GC root)' : ''}</td><td class="num">${formatCount(d.retainedBytes)}</td><td class="num">${formatCount(d.shallowBytes)}</td><td class="mono small wrap path">${d.gcRoot ? '' : d.path.join(' → ')}</td></tr>`)}</tbody></table>
</article>`)}`;
}

// ----- Go profiles -----

function profilesSection(s: ProfilesSection): SafeHtml {
  return html`<h3>Findings in the profiles</h3>
${s.findings.length === 0 ? html`<p>None: no goroutine pile-up, no memory growth, no function holding most of the memory or the CPU.</p>` : s.findings.map((f) => html`<article class="finding ${f.severity}"><h4><span class="badge ${f.severity}">${f.severity}</span> ${f.title}</h4><p>${f.explanation}</p>${f.frames.length ? html`<p class="mono small wrap">${f.frames.join(' → ')}</p>` : ''}</article>`)}
${s.between.map((b) => html`<p class="muted">${betweenText(b)}</p>`)}
${s.traces.length ? html`<p class="muted">Go execution traces, named but not read: ${s.traces.map((t, i) => html`${i ? ', ' : ''}<span class="mono">${t}</span>`)}.</p>` : ''}
${s.profiles.map((p) => html`<article class="profile">
<h3><span class="mono">${p.entry}</span> — ${p.kind}, ${p.sampleType} (${p.unit})</h3>
<p class="muted">${valueText(p.total, p.unit)} in all${p.timeNanos ? `, taken ${new Date(p.timeNanos / 1e6).toISOString()}` : ''}${p.durationNanos ? ` over ${valueText(p.durationNanos, 'nanoseconds')}` : ''}; ${formatCount(p.functions)} functions, the top ${p.top.length} by flat:</p>
<table class="compact"><thead><tr><th>function</th><th class="num">flat</th><th class="num">flat %</th><th class="num">cum</th><th class="num">cum %</th></tr></thead><tbody>${p.top.map((r) => html`<tr><td class="mono wrap">${r.function}</td><td class="num">${formatCount(r.flat)}</td><td class="num">${sharePercent(r.flat, p.total)}</td><td class="num">${formatCount(r.cum)}</td><td class="num">${sharePercent(r.cum, p.total)}</td></tr>`)}</tbody></table>
<figure><figcaption>Flame graph (callers above their callees)</figcaption>${flameSvg(p)}</figure>
</article>`)}`;
}

function betweenText(b: { kind: string; entries: string[] }): string {
  const n = b.entries.length;
  const names = n <= 4 ? b.entries.join(', ') : `${b.entries[0]}, ${b.entries[1]} … ${b.entries[n - 1]}`;
  return `${n} more ${b.kind} profile${n === 1 ? '' : 's'} between the first and the last shown here (${names}): the Profiles view and capscope profile show each.`;
}

// ----- evidence -----

function evidenceDetails(e: EvidenceSection): SafeHtml {
  return html`<table><thead><tr><th>file</th><th>entry</th><th>format</th><th>read as</th><th class="num">bytes</th><th>status</th></tr></thead><tbody>
${e.files.map((f) => html`<tr><td class="mono wrap">${f.file}</td><td class="mono">${f.entry}</td><td>${f.format}${f.compression.length ? ` in ${f.compression.join(' › ')}` : ''}</td><td class="small">${f.detail}</td><td class="num">${f.bytes === null ? '–' : formatCount(f.bytes)}</td><td>${f.status}${f.error ? html`: <span class="bad">${f.error}</span>` : ''}</td></tr>`)}
</tbody></table>
<h3>Problems reading the evidence</h3>
${e.problemTotal === 0 ? html`<p>None: every byte was read as its format expects.</p>` : html`<table class="compact"><thead><tr><th>severity</th><th>code</th><th>entry</th><th class="num">offset</th><th>message</th></tr></thead><tbody>${e.problems.map((p) => html`<tr class="${p.severity === 'error' ? 'bad' : ''}"><td>${p.severity}</td><td class="mono">${p.code}</td><td class="mono">${p.entry ?? ''}</td><td class="num">${p.offset === null ? '' : formatCount(p.offset)}</td><td>${p.message}</td></tr>`)}</tbody></table>${e.problemTotal > e.problems.length ? html`<p class="muted">${formatCount(e.problemTotal - e.problems.length)} more: see <code>capscope index</code> or the Diagnostics tab.</p>` : ''}`}`;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '' : `${((part / whole) * 100).toFixed(1)} %`;
}

const STYLE = `
:root { color-scheme: light; --fg: #1d2430; --muted: #5f6b7a; --line: #d8dde3; --bg: #ffffff; --soft: #f4f6f8; --bad: #b3261e; --warn: #9a5b00; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
header.top, main, footer { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
header.top { padding-top: 24px; border-bottom: 1px solid var(--line); }
h1 { font-size: 22px; margin: 0 0 12px; }
h2 { font-size: 18px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 8px; }
h4 { font-size: 13px; margin: 12px 0 6px; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0 0 12px; }
.facts div { display: contents; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
nav ol { display: flex; flex-wrap: wrap; gap: 4px 18px; list-style: none; padding: 0; margin: 8px 0 14px; }
nav a { color: #2f5d9e; text-decoration: none; }
.mono, code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
code { background: var(--soft); padding: 0 3px; border-radius: 3px; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
td.mono { white-space: nowrap; }
td.mono.wrap { white-space: normal; }
td.path { width: 50%; }
.wrap { overflow-wrap: anywhere; }
.note { color: var(--warn); background: #fff7e6; border-left: 3px solid #e0a030; padding: 6px 10px; }
.warn, .bad { color: var(--bad); }
.table-scroll { overflow-x: auto; max-width: 100%; margin: 6px 0 12px; }
table { border-collapse: collapse; width: 100%; }
table.compact, table.evidence { width: auto; min-width: 50%; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid var(--line); }
th { font-weight: 600; background: var(--soft); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.bad td { background: #fdf0ef; }
.finding { border: 1px solid var(--line); border-left: 4px solid #9aa5b1; border-radius: 4px; padding: 4px 14px 8px; margin: 0 0 12px; break-inside: avoid; }
.finding.error { border-left-color: #d0453c; }
.finding.warning { border-left-color: #e0a030; }
.finding h3 { margin-top: 8px; }
.badge { display: inline-block; font-size: 11px; text-transform: uppercase; letter-spacing: .04em; padding: 1px 6px; border-radius: 3px; background: #e3e7ec; color: var(--fg); vertical-align: 1px; }
.badge.error { background: #d0453c; color: #fff; }
.badge.warning { background: #e0a030; color: #1d2430; }
.badge.info { background: #5b8dd6; color: #fff; }
code.excerpt { white-space: pre-wrap; }
figure { margin: 8px 0 16px; break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 2px; }
svg.chart { max-width: 100%; height: auto; font: 11px system-ui, sans-serif; }
svg.chart .grid line { stroke: #e6e9ed; }
svg.chart .axis line { stroke: #9aa5b1; }
svg.chart text { fill: #5f6b7a; }
svg.chart .legend text { fill: #1d2430; }
svg.flame { max-width: 100%; height: auto; font: 11px ui-monospace, Menlo, Consolas, monospace; }
svg.flame rect { stroke: #fff; stroke-width: 0.5; }
svg.flame text { fill: #1d2430; pointer-events: none; }
details.exchange { border: 1px solid var(--line); border-radius: 4px; padding: 6px 10px; margin: 0 0 8px; break-inside: avoid; }
details.exchange summary { cursor: default; }
.headers { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
div.header-block { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; background: var(--soft); padding: 6px 8px; overflow-wrap: anywhere; }
div.header-block div { padding-left: 2em; text-indent: -2em; }
ul.diagnostics { margin: 6px 0 0; padding-left: 18px; }
.suspect { border-left: 3px solid #d0453c; padding-left: 10px; margin-bottom: 8px; }
.suspect p { margin: 4px 0; }
footer { color: var(--muted); font-size: 12px; padding: 24px; border-top: 1px solid var(--line); margin-top: 24px; }
@media print {
  body { font-size: 11px; }
  header.top, main, footer { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; }
  h3, h4 { break-after: avoid; }
  tr { break-inside: avoid; }
  /* Paper does not scroll: a wide table wraps its cells instead. */
  .table-scroll { overflow: visible; }
  td, th { overflow-wrap: anywhere; }
  .headers { grid-template-columns: 1fr 1fr; }
  @page { size: A4; margin: 14mm 12mm; }
}
`;

/** The stylesheet is ours, not captured: it goes into <style> as it is. */
const STYLESHEET = new SafeHtml(STYLE);

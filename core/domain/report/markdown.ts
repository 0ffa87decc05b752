// The report as Markdown (GFM tables), for pasting into a ticket. Captured text is either a code
// span or block (escape.ts picks fences it cannot close) or escaped prose, so nothing captured can
// become a heading, a link, a table cell or HTML. Charts become sparklines in a code block.

import { escapeMarkdown as md, markdownCode as code, markdownFence } from './escape';
import { formatBytes, formatCount } from '../../../common/format';
import { percent as sharePercent, valueText } from './flame-svg';
import { formatClock, formatDuration, formatMs, formatTime } from './format';
import type { ActivitySection, BookmarkEntry, AlertsSection, ErrorsSection, EvidenceSection, FindingGroup, HeapSection, HttpSection, NotableExchange, ProfilesSection, ReportData, Scoped, TimelineSection } from './model';

export function renderMarkdown(report: ReportData): string {
  const out: string[] = [`# ${md(report.title)}`, '', overview(report)];
  out.push('', '## Findings', '', scoped(report.findings, findings));
  if (report.heaps.length) {
    const suspects = report.heaps.reduce((n, h) => n + h.suspects.length, 0);
    out.push('', `Heap dumps: ${suspects === 0 ? 'no leak suspect' : `${formatCount(suspects)} leak suspect${suspects === 1 ? '' : 's'} (see Heap dumps)`}.`);
  }
  if (report.profiles) {
    const n = report.profiles.findings.length;
    out.push('', `Go profiles: ${n === 0 ? 'nothing they point at' : `${formatCount(n)} finding${n === 1 ? '' : 's'} (see Go profiles)`}.`);
  }
  if (report.bookmarks.length) out.push('', '## What we looked at and why', '', bookmarks(report.bookmarks));
  if (report.alerts) out.push('', '## Security alerts', '', scoped(report.alerts, alerts));
  if (report.timeline) out.push('', '## Timeline', '', timeline(report.timeline));
  if (report.http) out.push('', '## HTTP', '', scoped(report.http, http));
  if (report.errors.syscalls || report.errors.connections || report.errors.httpDiagnostics) out.push('', '## Errors', '', errors(report.errors));
  if (report.activity) out.push('', '## Top containers, processes and connections', '', activity(report.activity));
  if (report.heaps.length) out.push('', '## Heap dumps', '', report.heaps.map(heap).join('\n\n'));
  if (report.profiles) out.push('', '## Go profiles', '', profiles(report.profiles));
  out.push('', '## Evidence', '', evidence(report.evidence));
  out.push('', '---', '', `*Written by capscope ${md(report.capscopeVersion)} on ${md(report.generatedAt)}. ${report.redacted ? 'Credentials (Authorization, Cookie and token\\-like parameters) are masked.' : 'Redaction was switched off: this report may contain credentials.'}*`, '');
  return out.join('\n');
}

/** A GFM table; cells are already escaped or code spans. `align` per column: 'l' or 'r'. */
function table(head: string[], align: string, rows: string[][]): string {
  const rule = head.map((_, i) => (align[i] === 'r' ? '---:' : '---'));
  return [head, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function scoped<T>(s: Scoped<T>, render: (rows: T) => string): string {
  return 'omitted' in s ? `> ${md(s.omitted)}` : render(s.rows);
}

function overview(report: ReportData): string {
  const e = report.evidence;
  const rows: string[][] = [];
  for (const f of e.files) {
    rows.push(['Evidence', `${code(f.file, true)}${f.entry && !f.file.endsWith(f.entry) ? ` › ${code(f.entry, true)}` : ''} (${md(f.format)}${f.compression.length ? `, ${md(f.compression.join(' › '))}` : ''}, ${md(formatBytes(f.bytes))}${f.status !== 'indexed' ? `, ${md(f.status)}` : ''})`]);
  }
  if (e.span) rows.push(['Time span', `${md(formatTime(e.span.first, 9))} — ${md(formatTime(e.span.last, 9))} (${md(formatDuration(BigInt(e.span.last) - BigInt(e.span.first)))})`]);
  for (const h of e.hosts) rows.push(['Host', `${md(h.hostname)}${h.cpus !== null ? `, ${h.cpus} CPUs` : ''}${h.memoryBytes !== null ? `, ${md(formatBytes(h.memoryBytes))} memory` : ''}`]);
  rows.push(['Contents', e.counts.map((c) => `${formatCount(c.value)} ${md(c.label)}`).join(', ')]);
  const s = report.scope;
  if (s.filter || s.range) rows.push(['Scope', [s.filter ? `filter ${code(s.filter, true)}` : '', s.range ? `from ${md(formatTime(s.range.from, 9))} to ${md(formatTime(s.range.to, 9))}` : ''].filter(Boolean).join('; ')]);
  rows.push(['Redaction', report.redacted ? 'on: credential values are masked' : '**off: this report may contain credentials**']);
  return table(['', ''], 'll', rows);
}

// ----- security alerts -----

function alerts(s: AlertsSection): string {
  const parts: string[] = [];
  if (s.rules.length === 0) parts.push("No alerts: capscope's default Falco rules matched no event.");
  else {
    parts.push(
      table(
        ['rule', 'priority', 'alerts', 'when', 'tags'],
        'llrll',
        s.rules.map((r) => [md(r.rule), md(r.priority), formatCount(r.count), r.first === r.last ? md(formatTime(r.first, 3)) : `${md(formatTime(r.first, 3))} — ${md(formatTime(r.last, 3))}`, md(r.tags.join(', '))]),
      ),
    );
    for (const r of s.rules) {
      parts.push('', `${md(r.rule)}${r.count > r.examples.length ? ` (first ${r.examples.length} of ${formatCount(r.count)})` : ''}:`, '');
      parts.push(r.examples.map((e) => `- evt ${e.num}: ${code(e.output, true)}`).join('\n'));
    }
  }
  if (s.skipped.length) parts.push('', `Not run: ${s.skipped.map((k) => `${md(k.rule)} (${md(k.reason)})`).join('; ')}.`);
  return parts.join('\n');
}

// ----- findings -----

function findings(groups: FindingGroup[]): string {
  if (groups.length === 0) return 'No findings in the captures: capscope saw nothing it could point at.';
  return groups.map(finding).join('\n\n');
}

function finding(g: FindingGroup): string {
  const heading = g.count > 1 ? (g.sameTitle ? `${formatCount(g.count)} × ${md(g.title)}` : `${md(g.title)} (and ${formatCount(g.count - 1)} more like it)`) : md(g.title);
  const times = g.firstTs ? (g.count > 1 && g.lastTs && g.lastTs !== g.firstTs ? `between ${md(formatTime(g.firstTs, 3))} and ${md(formatTime(g.lastTs, 3))}` : `at ${md(formatTime(g.firstTs, 3))}`) : '';
  const facts = [md(g.kind), g.cause ? md(g.cause) : '', times, g.firstExchange !== null ? `${g.count > 1 ? 'first ' : ''}HTTP exchange ${g.firstExchange}` : ''].filter(Boolean).join(' · ');
  const parts = [`### ${g.severity.toUpperCase()}: ${heading}`, '', `*${facts}*`, '', explanation(g.explanation)];
  if (g.evidence.length) {
    parts.push('', table(['stream', 'direction', 'bytes', 'excerpt'], 'rlrl', g.evidence.map((e) => [String(e.stream), md(e.dir ?? 'both'), e.place !== null ? md(e.place) : `${formatCount(e.offset)}–${formatCount(e.offset + e.length)}`, code(e.excerpt, true)])));
  }
  return parts.join('\n');
}

/** Backtick-quoted captured lines become code spans, the rest escaped prose. */
function explanation(text: string): string {
  return text
    .split(/`([^`]*)`/)
    .map((part, i) => (i % 2 === 1 ? code(part) : md(part)))
    .join('');
}

// ----- timeline -----

const SPARKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

function sparkline(values: (number | null)[], top: number): string {
  return values.map((v) => (v === null ? ' ' : v === 0 ? '·' : SPARKS[Math.min(SPARKS.length - 1, Math.floor((v / top) * (SPARKS.length - 1e-9)))]!)).join('');
}

function timeline(t: TimelineSection): string {
  const width = BigInt(t.bucketNs);
  const from = BigInt(t.from);
  const digits = width < 1_000_000n ? 6 : width < 1_000_000_000n ? 3 : 0;
  const parts: string[] = [];
  for (const s of t.series) {
    const all = s.layers.flatMap((l) => l.values.filter((v): v is number => v !== null));
    const top = Math.max(1, ...all);
    const nameWidth = Math.max(...s.layers.map((l) => l.name.length));
    const lines = s.layers.map((l) => `${l.name.padEnd(nameWidth)}  ${sparkline(l.values, top)}`);
    const peak = (v: number) => (s.unit === 'bytes' ? formatBytes(v) : s.unit === 'ms' ? `${formatMs(v)} ms` : formatCount(v));
    parts.push(
      `**${md(s.title)}**, ${t.buckets} buckets of ${md(formatDuration(width))} from ${md(formatClock(from, digits))} UTC; the tallest bar is ${md(peak(top))} ${s.unit === 'ms' || s.unit === 'bytes' ? '' : md(s.unit)}`.trimEnd(),
      '',
      markdownFence(lines, 'text'),
      '',
    );
  }
  if (t.series.length === 0) parts.push('Nothing in scope to chart.');
  for (const n of t.notes) parts.push(`> ${md(n)}`, '');
  return parts.join('\n').trimEnd();
}

// ----- HTTP -----

function http(h: HttpSection): string {
  const parts = [`${formatCount(h.exchanges)} exchanges in scope.`, '', '### Status codes', ''];
  parts.push(table(['status', 'reason', 'responses', 'share'], 'rlrr', h.statuses.map((s) => [s.status === null ? 'none' : String(s.status), s.status === null ? 'no response seen' : md(s.reason ?? ''), formatCount(s.count), h.exchanges ? `${((s.count / h.exchanges) * 100).toFixed(1)} %` : ''])));
  parts.push('', '### Endpoints', '', `Latency is the time from the first request byte to the first response byte (ms), percentiles by the nearest\\-rank method.${h.endpointTotal > h.endpoints.length ? ` The ${h.endpoints.length} busiest of ${formatCount(h.endpointTotal)} endpoints.` : ''}`, '');
  parts.push(
    table(
      ['server', 'method', 'path', 'requests', '4xx', '5xx', 'no resp.', 'p50', 'p90', 'p99', 'max'],
      'lllrrrrrrrr',
      h.endpoints.map((e) => [code(e.server ?? '?', true), code(e.method ?? '', true), code(e.path, true), formatCount(e.count), String(e.clientErrors || ''), String(e.serverErrors || ''), String(e.noResponse || ''), formatMs(e.p50), formatMs(e.p90), formatMs(e.p99), formatMs(e.max)]),
    ),
  );
  if (h.grpc.length) {
    parts.push('', '### gRPC calls', '', 'Per server, service and method: how the calls ended (grpc-status, or the status the client saw for a stream reset or refused), the first error message and its time, latency to the first response byte (ms).', '');
    parts.push(
      table(
        ['server', 'call', 'calls', 'errors', 'ended with', 'first error', 'p50', 'p99'],
        'llrrllrr',
        h.grpc.map((g) => [
          code(g.server ?? '?', true),
          code(g.service === null ? '(path not decoded)' : `${g.service}/${g.method}`, true),
          formatCount(g.calls),
          String(g.errors || ''),
          md(g.statuses.map((s) => `${s.name} ${formatCount(s.count)}`).join(', ')),
          g.firstErrorTs ? `${g.firstError !== null ? `${code(g.firstError, true)} ` : ''}${md(formatTime(g.firstErrorTs, 3))}${g.lastErrorTs !== g.firstErrorTs ? ` … ${md(formatTime(g.lastErrorTs!, 3))}` : ''}` : '',
          formatMs(g.p50),
          formatMs(g.p99),
        ]),
      ),
    );
  }
  if (h.notable.length) {
    parts.push('', '### Exchanges worth reading', '', 'The first exchange of each kind of failure (4xx, 5xx, a gRPC error, no response or a malformed message), then the slowest successful ones.', '');
    parts.push(h.notable.map(exchange).join('\n\n'));
  }
  return parts.join('\n');
}

function exchange(x: NotableExchange): string {
  const facts = [`exchange ${x.id}`, x.reqTs ? md(formatTime(x.reqTs, 6)) : '', `${code(x.client ?? '?')} → ${code(x.server ?? '?')}`, x.latencyMs !== null ? `${formatMs(x.latencyMs)} ms` : '', x.similar ? `${formatCount(x.similar)} more failed the same way` : ''].filter(Boolean).join(' · ');
  const grpc = x.grpc?.status ? ` · grpc **${md(x.grpc.status)}**${x.grpc.message !== null ? ` ${code(x.grpc.message)}` : ''}` : '';
  const lines = [`**${x.why}**: ${code(`${x.method ?? '?'} ${x.target ?? ''}`)} → **${x.status ?? 'no response'}** ${md(x.reason ?? '')}${grpc} · ${facts}`, ''];
  const block = [
    ...x.requestHeaders.map(([n, v]) => `${n}: ${v}`),
    ...(x.responseHeaders.length ? ['', ...x.responseHeaders.map(([n, v]) => `${n}: ${v}`)] : []),
  ];
  lines.push(block.length ? markdownFence(block, 'http') : '*no headers captured*');
  for (const d of x.diagnostics) lines.push('', `- ${code(d.code)} in the ${md(d.side)}: ${code(d.line)}`);
  return lines.join('\n');
}

// ----- errors -----

function errors(e: ErrorsSection): string {
  const parts: string[] = [];
  if (e.syscalls) {
    parts.push('### Failed syscalls', '', scoped(e.syscalls, (rows) => (rows.length === 0 ? 'No syscall returned an error.' : table(['syscall', 'result', 'count', 'processes'], 'llrl', rows.map((r) => [code(r.type, true), code(r.errno, true), formatCount(r.count), md(r.processes.join(', '))])))), '');
  }
  if (e.connections) {
    parts.push('### Connections reset or never answered', '', scoped(e.connections, (rows) => (rows.length === 0 ? 'None: every TCP connection in scope was answered and none was reset.' : table(['server', 'what happened', 'connections'], 'llr', rows.map((r) => [code(r.server, true), md(r.state), formatCount(r.count)])))), '');
  }
  if (e.httpDiagnostics) {
    parts.push('### Malformed HTTP messages', '', scoped(e.httpDiagnostics, (rows) => (rows.length === 0 ? 'Every HTTP message in scope was well\\-formed.' : table(['diagnostic', 'count', 'first offending line', 'why'], 'lrll', rows.map((r) => [code(r.code, true), formatCount(r.count), code(r.line, true), md(r.message)])))));
  }
  return parts.join('\n');
}

// ----- activity -----

function activity(a: ActivitySection): string {
  const note = 'A network capture sees addresses, not containers or processes: these come from syscall captures.';
  const parts = ['### Containers', ''];
  parts.push(!a.knowsProcesses ? note : scoped(a.containers, (rows) => (rows.length === 0 ? 'No container in scope.' : table(['container', 'image', 'events', 'failed syscalls', 'processes', 'bytes in', 'bytes out'], 'llrrrrr', rows.map((c) => [c.id === c.name ? md(c.name) : `${md(c.name ?? '')} ${code(c.id, true)}`.trim(), c.image ? code(c.image, true) : '', formatCount(c.events), formatCount(c.errors), String(c.processes), formatBytes(c.bytesIn), formatBytes(c.bytesOut)])))));
  parts.push('', '### Processes', '');
  parts.push(!a.knowsProcesses ? note : scoped(a.processes, (rows) => (rows.length === 0 ? 'No process in scope.' : table(['process', 'container', 'command line', 'events', 'failed syscalls', 'bytes in', 'bytes out'], 'lllrrrr', rows.map((p) => [`${md(p.name ?? '?')} (${p.pid ?? '?'})`, md(p.container ?? ''), p.commandLine ? code(p.commandLine, true) : '', formatCount(p.events), formatCount(p.errors), formatBytes(p.bytesIn), formatBytes(p.bytesOut)])))));
  parts.push('', '### Connections by bytes', '');
  parts.push(
    scoped(a.connections, (rows) => {
      if (rows.length === 0) return 'No connection in scope.';
      const endpoints = rows.some((c) => c.endpoint !== null);
      const head = ['stream', 'connection', ...(endpoints ? ['endpoint'] : []), 'protocol', 'bytes out', 'bytes in', 'from', 'duration', 'state'];
      return table(head, endpoints ? 'rlllrrlll' : 'rllrrlll', rows.map((c) => [
        String(c.stream),
        code(`${c.kind} ${c.tuple ?? ''}`.trim(), true),
        ...(endpoints ? [md(c.endpoint ?? '')] : []),
        md(c.protocol ?? ''),
        formatBytes(c.bytesOut),
        formatBytes(c.bytesIn),
        c.firstTs ? md(formatClock(c.firstTs)) : '',
        c.firstTs && c.lastTs ? md(formatDuration(BigInt(c.lastTs) - BigInt(c.firstTs))) : '',
        md(c.state ?? ''),
      ]));
    }),
  );
  return parts.join('\n');
}

// ----- heap -----

function heap(h: HeapSection): string {
  const s = h.summary;
  const parts = [`### ${code(h.entry)}`, '', `${md(s.format)}, ${md(s.vm)}, taken ${md(s.timestamp ?? 'at an unknown time')}: ${formatCount(s.objects)} objects, ${formatCount(s.classes)} classes, ${md(formatBytes(s.heapBytes))} reachable.${s.complete ? '' : ' The dump was cut short: these results cover what came before its end.'}`, '', '#### Leak suspects', ''];
  if (h.suspects.length === 0) parts.push('None: no object or class retains more than 10 % of the heap.');
  for (const x of h.suspects) parts.push(`- **${md(x.title)}** — ${md(formatBytes(x.retainedBytes))} (${formatCount(x.retainedBytes)} bytes); accumulates in ${code(x.accumulatesIn)} (${md(formatBytes(x.accumulatedBytes))}) via ${code(x.path.join(' → '))}`);
  parts.push('', `#### Class histogram (top ${h.histogram.length} by shallow size)`, '', table(['class', 'instances', 'shallow bytes', 'retained bytes'], 'lrrr', h.histogram.map((r) => [code(r.class, true), formatCount(r.instances), formatCount(r.shallowBytes), formatCount(r.retainedBytes)])));
  parts.push('', `#### Dominators (top ${h.dominators.length} by retained size)`, '', table(['object', 'retained bytes', 'shallow bytes', 'path from a GC root'], 'lrrl', h.dominators.map((d) => [`${code(d.object, true)}${d.gcRoot ? ' (GC root)' : ''}`, formatCount(d.retainedBytes), formatCount(d.shallowBytes), d.gcRoot || d.path.length === 0 ? '' : code(d.path.join(' → '), true)])));
  return parts.join('\n');
}

// ----- bookmarks -----

/** One item per bookmark: what it points at and when, then the note in the investigator's words. */
function bookmarks(entries: BookmarkEntry[]): string {
  return entries
    .map((b) => {
      const where = b.missing ? ` — *no longer in the index: ${md(b.missing)}*` : b.ts ? ` (${md(formatTime(b.ts, 9))})` : '';
      return `- ${code(b.what)}${where}${b.note ? `: ${md(b.note.replace(/\s+/g, ' '))}` : ''}`;
    })
    .join('\n');
}

// ----- Go profiles -----

/** The top tables and findings; the flame graphs are drawn in the HTML report only. */
function profiles(s: ProfilesSection): string {
  const parts = ['### Findings in the profiles', ''];
  if (s.findings.length === 0) parts.push('None: no goroutine pile-up, no memory growth, no function holding most of the memory or the CPU.');
  for (const f of s.findings) parts.push(`- **${md(f.severity)}: ${md(f.title)}** — ${md(f.explanation)}${f.frames.length ? ` Stack: ${code(f.frames.join(' → '))}` : ''}`);
  for (const b of s.between) {
    const n = b.entries.length;
    parts.push('', `${n} more ${md(b.kind)} profile${n === 1 ? '' : 's'} between the first and the last shown here (${(n <= 4 ? b.entries : [b.entries[0]!, b.entries[1]!, '…', b.entries[n - 1]!]).map((e) => (e === '…' ? e : code(e))).join(', ')}): the Profiles view and ${code('capscope profile')} show each.`);
  }
  if (s.traces.length) parts.push('', `Go execution traces, named but not read: ${s.traces.map((t) => code(t)).join(', ')}.`);
  for (const p of s.profiles) {
    parts.push('', `### ${md(`${p.entry} — ${p.kind}, ${p.sampleType} (${p.unit})`)}`, '');
    parts.push(`${md(valueText(p.total, p.unit))} in all${p.timeNanos ? `, taken ${md(new Date(p.timeNanos / 1e6).toISOString())}` : ''}; ${formatCount(p.functions)} functions, the top ${p.top.length} by flat (the flame graph is in the HTML report):`, '');
    parts.push(table(['function', 'flat', 'flat %', 'cum', 'cum %'], 'lrrrr', p.top.map((r) => [code(r.function, true), formatCount(r.flat), sharePercent(r.flat, p.total), formatCount(r.cum), sharePercent(r.cum, p.total)])));
  }
  return parts.join('\n');
}

// ----- evidence -----

function evidence(e: EvidenceSection): string {
  const parts = [table(['file', 'entry', 'format', 'read as', 'bytes', 'status'], 'llllrl', e.files.map((f) => [code(f.file, true), code(f.entry, true), md(`${f.format}${f.compression.length ? ` in ${f.compression.join(' › ')}` : ''}`), md(f.detail), f.bytes === null ? '–' : formatCount(f.bytes), md(`${f.status}${f.error ? `: ${f.error}` : ''}`)]))];
  parts.push('', '### Problems reading the evidence', '');
  if (e.problemTotal === 0) parts.push('None: every byte was read as its format expects.');
  else {
    parts.push(table(['severity', 'code', 'entry', 'offset', 'message'], 'lllrl', e.problems.map((p) => [md(p.severity), code(p.code), p.entry ? code(p.entry, true) : '', p.offset === null ? '' : formatCount(p.offset), md(p.message)])));
    if (e.problemTotal > e.problems.length) parts.push('', `${formatCount(e.problemTotal - e.problems.length)} more: see ${code('capscope index')} or the Diagnostics tab.`);
  }
  return parts.join('\n');
}

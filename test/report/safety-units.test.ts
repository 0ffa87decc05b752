// The report's safety nets one by one: what redaction masks and keeps, how captured text is made
// inert for HTML and Markdown, and how users' times are read.

import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, markdownCode, markdownFence, visible } from '../../core/domain/report/escape';
import { html } from '../../core/domain/report/html-template';
import { createRedactor, isSecretHeader, isSecretParam, REDACTED } from '../../core/domain/report/redact';
import { parseTimeRange, parseTimeSpec, TimeSpecError } from '../../core/domain/report/time-spec';

const on = createRedactor(true);
const off = createRedactor(false);

describe('redaction', () => {
  it('masks the values of credential headers, whatever their case, and keeps what is not secret', () => {
    expect(on.headerValue('Authorization', 'Bearer eyJhbGciOi.payload.sig')).toBe(`Bearer ${REDACTED}`);
    expect(on.headerValue('proxy-authorization', 'Basic dXNlcjpwYXNz')).toBe(`Basic ${REDACTED}`);
    expect(on.headerValue('AUTHORIZATION', 'opaque-token-without-scheme')).toBe(REDACTED);
    expect(on.headerValue('Cookie', 'session=abc123; theme=dark')).toBe(`session=${REDACTED}; theme=${REDACTED}`);
    expect(on.headerValue('Set-Cookie', 'sid=xyz; Path=/; HttpOnly; Secure')).toBe(`sid=${REDACTED}; Path=/; HttpOnly; Secure`);
    expect(on.headerValue('X-Api-Key', 'k-123')).toBe(REDACTED);
    expect(on.headerValue('X-Auth-Token', 't-123')).toBe(REDACTED);
    expect(on.headerValue('Content-Type', 'text/plain')).toBe('text/plain');
    expect(on.headerValue('X-Request-Id', 'abc')).toBe('abc');
    expect(off.headerValue('Authorization', 'Bearer abc')).toBe('Bearer abc');
  });

  it('masks token-like query parameters and nothing else', () => {
    expect(on.target('/api?token=abc&page=2')).toBe(`/api?token=${REDACTED}&page=2`);
    expect(on.target('/cb?code=xyz&state=s1#frag')).toBe(`/cb?code=${REDACTED}&state=s1#frag`);
    expect(on.target('/x?ACCESS_TOKEN=a&api%5Fkey=b&refresh_token=c&X-Amz-Signature=d')).toBe(`/x?ACCESS_TOKEN=${REDACTED}&api%5Fkey=${REDACTED}&refresh_token=${REDACTED}&X-Amz-Signature=${REDACTED}`);
    expect(on.target('/search?q=token&keyboard=1&monkey=2')).toBe('/search?q=token&keyboard=1&monkey=2');
    expect(on.target('/plain/path')).toBe('/plain/path');
    expect(off.target('/api?token=abc')).toBe('/api?token=abc');
    for (const name of ['token', 'access_token', 'api_key', 'apikey', 'key', 'password', 'passwd', 'secret', 'sig', 'signature', 'session', 'sessionid', 'auth', 'jwt', 'id_token', 'refresh_token', 'code', 'csrf_token', 'client_secret']) {
      expect(isSecretParam(name), name).toBe(true);
    }
    for (const name of ['q', 'page', 'lang', 'monkey', 'keyboard', 'sort']) expect(isSecretParam(name), name).toBe(false);
    for (const name of ['authorization', 'Cookie', 'SET-COOKIE', 'Proxy-Authorization', 'x-csrf-token']) expect(isSecretHeader(name), name).toBe(true);
  });

  it('masks header lines and parameters quoted in free text: excerpts, explanations, command lines', () => {
    expect(on.text('Authorization: Bearer abc')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(on.text('GET / HTTP/1.1\r\ncookie: a=1\r\nHost: x')).toBe(`GET / HTTP/1.1\r\ncookie: a=${REDACTED}\r\nHost: x`);
    expect(on.text('sent the header line `Authorization : Bearer abc` — a space before the colon')).toBe(`sent the header line \`Authorization : Bearer ${REDACTED}\` — a space before the colon`);
    expect(on.text('for GET /login?password=hunter2&user=bob because')).toBe(`for GET /login?password=${REDACTED}&user=bob because`);
    expect(on.text('/usr/bin/app --db-password=hunter2 --port=80')).toBe(`/usr/bin/app --db-password=${REDACTED} --port=80`);
    expect(on.text('Host: example.com')).toBe('Host: example.com');
  });
});

describe('escaping', () => {
  const hostile = '<script>alert(1)</script><img src=x onerror=alert(1)>"\'&';

  it('HTML: markup characters become entities, controls and bidi overrides become visible', () => {
    expect(escapeHtml(hostile)).toBe('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
    expect(visible('a\r\nb\u0000\u202Ec\ud800')).toBe('a\\r\\nb\\x00\\u{202e}c\ufffd');
    // The template escapes every value, in text and in attributes, and passes its own output through.
    expect(html`<p title="${hostile}">${hostile}${html`<b>ok</b>`}</p>`.html).toBe(`<p title="${escapeHtml(hostile)}">${escapeHtml(hostile)}<b>ok</b></p>`);
  });

  it('Markdown: prose and code spans cannot become markup, links, headings or table cells', () => {
    const rendered = marked.parse(`| a | b |\n|---|---|\n| ${escapeMarkdown(`${hostile} | *x* [l](http://e.example) www.e.example a@b.example`)} | ${markdownCode('x | `y` ``z``', true)} |\n\n${escapeMarkdown('# not a heading')}\n\n${escapeMarkdown('1. not a list')}\n`, { async: false });
    expect(rendered).not.toMatch(/<script|<img|<a |<em>|<h1|<ol/);
    // One row of exactly two cells: the pipes inside stayed text.
    expect(rendered.match(/<td>/g)).toHaveLength(2);
    expect(rendered).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(rendered).toContain('<code>x | `y` ``z``</code>');
    expect(markdownFence(['``` not a fence end', 'a'])).toBe('````\n``` not a fence end\na\n````');
  });
});

describe('times users paste', () => {
  const span = { first: 1_795_330_316_421_009_000n, last: 1_795_330_326_424_847_000n }; // 2026-11-22 06:51:56.421009 UTC, 10 s
  it('reads ISO times, times of day on the capture day, offsets and nanoseconds', () => {
    expect(parseTimeSpec('2026-11-22T06:51:58.5Z', span, '--from')).toBe(1_795_330_318_500_000_000n);
    expect(parseTimeSpec('2026-11-22T07:51:58.000000001+01:00', span, '--from')).toBe(1_795_330_318_000_000_001n);
    expect(parseTimeSpec('06:51:58.123', span, '--from')).toBe(1_795_330_318_123_000_000n);
    expect(parseTimeSpec('+2.5s', span, '--from')).toBe(span.first + 2_500_000_000n);
    expect(parseTimeSpec('+300ms', span, '--from')).toBe(span.first + 300_000_000n);
    expect(parseTimeSpec('+1m30s', span, '--from')).toBe(span.first + 90_000_000_000n);
    expect(parseTimeSpec('1795330318000000000', span, '--from')).toBe(1_795_330_318_000_000_000n);
    expect(parseTimeRange(undefined, '+1s', span)).toEqual({ from: span.first, to: span.first + 1_000_000_000n });
  });

  it('refuses what it cannot read, naming the option', () => {
    expect(() => parseTimeSpec('yesterday', span, '--from')).toThrow(/--from 'yesterday': write an ISO time/);
    expect(() => parseTimeSpec('2026-02-30T00:00:00Z', span, '--to')).toThrow(TimeSpecError);
    expect(() => parseTimeSpec('25:00', span, '--to')).toThrow(/no such time of day/);
    expect(() => parseTimeSpec('+5s', null, '--from')).toThrow(/holds no capture time/);
    expect(() => parseTimeRange('+5s', '+1s', span)).toThrow(/--to .* is before --from/);
  });
});

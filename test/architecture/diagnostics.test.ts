// The diagnostic catalogues: one declaration per code, templates that render, the HTTP codes of
// the public contract kept, and docs/diagnostics.md saying what the catalogues say.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineDiagnostics, DiagnosticCap, renderTemplate, type Diagnostic } from '../../common/diagnostics';
import { HTTP_DIAGNOSTICS } from '../../parsers/http/diagnostics';
import { declaredDiagnostics } from '../../core/ingest/diagnostic-catalogues';
import { renderDiagnosticsDoc } from '../../core/ingest/diagnostics-doc';
import { REPO_ROOT } from '../helpers/paths';

describe('diagnostic catalogues', () => {
  it('declare each code once, as module.kebab-name', () => {
    const codes = declaredDiagnostics().map((d) => d.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.filter((c, i) => codes.indexOf(c) !== i)).toEqual([]);
    for (const code of codes) expect(code).toMatch(/^[a-z][a-z0-9]*\.[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });

  it('have templates whose braces are all placeholders', () => {
    for (const d of declaredDiagnostics()) {
      const outside = d.template.replace(/\{[a-zA-Z]\w*(:[^|{}]*\|[^{}]*)?\}/g, '');
      expect(outside, d.code).not.toMatch(/[{}]/);
    }
  });

  it('keep the HTTP codes and severities of `capscope http --json`', () => {
    const severities = Object.fromEntries(Object.entries(HTTP_DIAGNOSTICS.definitions).map(([code, d]) => [code, d.severity]));
    expect(severities).toEqual({
      'invalid-field-name': 'error',
      'space-before-colon': 'error',
      'missing-colon': 'error',
      'obs-fold': 'warning',
      'bare-lf': 'warning',
      'invalid-request-line': 'error',
      'invalid-status-line': 'error',
      'invalid-status-code': 'error',
      'invalid-field-value': 'error',
      'duplicate-content-length': 'warning',
      'invalid-content-length': 'error',
      'content-length-with-transfer-encoding': 'error',
      'unsupported-transfer-encoding': 'error',
      'invalid-chunk-size': 'error',
      'missing-chunk-terminator': 'error',
      'body-truncated': 'error',
      'unexpected-bytes': 'error',
      'header-section-too-large': 'warning',
    });
  });

  it('are what docs/diagnostics.md lists (regenerate it with `node scripts/diagnostics-doc.mjs`)', () => {
    expect(fs.readFileSync(path.join(REPO_ROOT, 'docs', 'diagnostics.md'), 'utf8')).toBe(renderDiagnosticsDoc());
  });
});

describe('emitting by code', () => {
  const toy = defineDiagnostics('toy', {
    cut: { severity: 'error', group: 'truncated', template: 'the file ends {n} {n:byte|bytes} early in {what}' },
    plain: { severity: 'info', group: 'summary', template: 'nothing to say' },
  });

  it('renders the template with its values, the word agreeing with the number', () => {
    expect(toy.emit('cut', { n: 1, what: 'a block' })).toEqual({ code: 'toy.cut', severity: 'error', message: 'the file ends 1 byte early in a block' });
    expect(toy.emit('cut', { n: 3, what: 'a block' }).message).toBe('the file ends 3 bytes early in a block');
    expect(toy.emit('plain')).toEqual({ code: 'toy.plain', severity: 'info', message: 'nothing to say' });
  });

  it('leaves a placeholder without a value as written', () => {
    expect(renderTemplate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });

  it('does not compile with a wrong code or a missing value', () => {
    // Checked by the type checker (npm run typecheck): each line below must be an error.
    const wrong = () => {
      // @ts-expect-error: no such code in the catalogue
      toy.emit('cutt', { n: 1, what: 'x' });
      // @ts-expect-error: `what` is missing
      toy.emit('cut', { n: 1 });
      // @ts-expect-error: the template has values
      toy.emit('cut');
    };
    expect(typeof wrong).toBe('function');
  });
});

describe('a cap on diagnostics of one kind', () => {
  it('reports the first few of each kind, makes no diagnostic past them, and counts the rest', () => {
    const reported: [number | null, Diagnostic][] = [];
    const cap = new DiagnosticCap(2, (offset, d) => reported.push([offset, d]));
    let made = 0;
    const make = (n: number) => () => ((made++), { code: 'x.fault', severity: 'warning' as const, message: `fault ${n}` });
    for (let i = 0; i < 10; i++) cap.report('fault', i, make(i));
    cap.report('other', null, make(99));
    expect(reported.map(([offset, d]) => [offset, d.message])).toEqual([[0, 'fault 0'], [1, 'fault 1'], [null, 'fault 99']]);
    expect(made).toBe(3);
    expect(cap.drainUnlisted()).toEqual([['fault', 8]]);
    expect(cap.drainUnlisted()).toEqual([]);
  });
});

// What hostile HTTP bytes make of capscope's messages: every diagnostic one line, numbers written
// as numbers (a 23-digit Content-Length is not "1e+23 bytes"), the header-section limit the same in
// the code, its message and docs/cli.md (16 KiB, as HAProxy's buffer and Node.js's limit), and no
// raw control byte from the capture in the text output.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HttpDirectionParser, LARGE_HEADER_SECTION, type HttpMessage } from '../../parsers/http/message-parser';
import { capscope } from '../helpers/cli';
import { REPO_ROOT, scratchDir } from '../helpers/paths';
import { tcpConversationPcap } from '../pcap/helpers/conversation';

const dir = scratchDir('http-hostile');

/** The messages of a request direction written as `writes`, one segment each. */
function parseRequest(...writes: string[]): HttpMessage[] {
  const out: HttpMessage[] = [];
  const parser = new HttpDirectionParser('request', (m) => out.push(m));
  let offset = 0;
  for (const text of writes) {
    const bytes = Uint8Array.from(Buffer.from(text, 'latin1'));
    parser.push({ offset, length: bytes.length, data: bytes, ts: 1n });
    offset += bytes.length;
  }
  parser.end('closed');
  return out;
}

/** One TCP connection, the request then the response, written to a pcap file in the scratch directory. */
function conversation(name: string, request: Buffer, response: Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, tcpConversationPcap([{ from: 'client', data: request }, { from: 'server', data: response }]));
  return file;
}

describe('Content-Length', () => {
  it('a 23-digit Content-Length is invalid, written digit for digit, and frames nothing', () => {
    const [m, ...rest] = parseRequest('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\nabc');
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ framing: 'unknown', declaredLength: null });
    expect(m!.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['invalid-content-length', "Content-Length '99999999999999999999999' is beyond 9,007,199,254,740,991 bytes, longer than any body can be"],
    ]);
    expect(m!.diagnostics[0]!.message).not.toMatch(/e\+/);
  });

  it('a Content-Length of 2^53 - 1 is still a number', () => {
    const [m] = parseRequest('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 9007199254740991\r\n\r\nabc');
    expect(m).toMatchObject({ framing: 'content-length', declaredLength: 9007199254740991 });
  });
});

describe('header-section-too-large', () => {
  it('is 16 KiB in the code, its message and docs/cli.md', () => {
    expect(LARGE_HEADER_SECTION).toBe(16 * 1024);
    const [m] = parseRequest(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(m!.complete).toBe(true);
    expect(m!.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['header-section-too-large', "the header section is 20,036 bytes, over the 16,384 (16 KiB) that proxies hold by default (HAProxy's buffer; nginx takes 8 KiB a line)"],
    ]);
    const docs = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'cli.md'), 'utf8');
    expect(docs).toMatch(/`header-section-too-large` \(over 16 KiB/);
  });

  it('a 1 MB header line is diagnosed, with the same limit, where it once went unremarked', () => {
    // The parser reads on from the next segment that starts a message (docs/cli.md).
    const [m, ...rest] = parseRequest(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(1 << 20)}\r\n\r\n`, 'GET /next HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(m).toMatchObject({ method: 'GET', target: '/', complete: false });
    expect(m!.diagnostics.map((d) => [d.code, d.offset, d.message])).toEqual([
      ['header-section-too-large', 0, "the header section runs past 262,144 bytes without ending, over the 16,384 (16 KiB) that proxies hold by default (HAProxy's buffer; nginx takes 8 KiB a line); read on from the next message"],
    ]);
    expect(m!.diagnostics[0]!.line.length).toBeLessThanOrEqual(200);
    expect(rest.map((r) => r.target)).toEqual(['/next']);
  });
});

describe('the text output of capscope http', () => {
  it('writes a NUL of a bad request line as \\x00, not as a raw byte', () => {
    const file = conversation('nul.pcap', Buffer.from('GET /a\0b HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1'), Buffer.from('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    const r = capscope(['http', file, '--db', path.join(dir, 'nul.sqlite')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('\0');
    expect(r.stdout).toContain('invalid-request-line');
    expect(r.stdout).toContain('| GET /a\\x00b HTTP/1.1');
  });
});

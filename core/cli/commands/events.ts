// capscope events <file>: the events of a syscall capture, read back from the index (indexing the
// file first if needed), filtered and paged.

import type Database from 'better-sqlite3';
import type { CompiledFilter } from '../../filter/language';
import { ingestProblems, stopQuietlyOnClosedPipe, withIndexedCase } from './open-case';
import { EXIT_FAILED, EXIT_OK, filterOption, printJson, reportFailure, UsageError, type Command } from './common';

export const eventsCommand: Command = {
  synopsis: 'events <file> [--filter EXPR] [--limit N] [--offset N] [--db PATH] [--json]',
  summary: "the events of a syscall capture, filtered in sysdig's filter language",
  options: { json: { type: 'boolean' }, db: { type: 'string' }, filter: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' } },
  positionals: [1, 1],
  run: (args, flags) =>
    events(args[0]!, {
      json: flags.json === true,
      db: flags.db as string | undefined,
      filter: filterOption(flags.filter, 'events'),
      limit: count(flags.limit, '--limit', 100),
      offset: count(flags.offset, '--offset', 0),
    }),
};

function count(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new UsageError(`${name} takes a whole number, got '${String(value)}'`);
  return Number(value);
}

export interface EventJson {
  num: number;
  ts: string;
  cpu: number;
  tid: number;
  proc: string | null;
  dir: '>' | '<';
  type: string;
  fd: number | null;
  fdName: string | null;
  res: number | null;
  /** ns from the enter to this exit; null for an enter, and for an exit whose enter the capture lacks (unknown, not 0). */
  latencyNs: string | null;
  container: { id: string; name: string | null } | null;
  info: string;
}

interface Row {
  num: bigint;
  ts: bigint;
  cpu: bigint;
  tid: bigint;
  proc: string | null;
  dir: '>' | '<';
  type: string;
  fd: bigint | null;
  fd_name: string | null;
  res: bigint | null;
  latency: bigint | null;
  container_id: string | null;
  container_name: string | null;
  info: string;
}

const n = (v: bigint | null): number | null => (v === null ? null : Number(v));

function query(db: Database.Database, f: CompiledFilter, limit: number, offset: number): { total: number; rows: Iterable<EventJson> } {
  const hasEvents = db.prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = 'events'").get();
  if (!hasEvents) return { total: 0, rows: [] };
  const from = 'FROM events e LEFT JOIN containers c ON c.source_id = e.source_id AND c.id = e.container_id';
  const total = Number(db.prepare(`SELECT count(*) ${from} WHERE ${f.where}`).pluck().get(...f.params));
  const stmt = db
    .prepare(`SELECT e.num, e.ts, e.cpu, e.tid, e.proc, e.dir, e.type, e.fd, e.fd_name, e.res, e.latency, e.container_id, c.name AS container_name, e.info ${from} WHERE ${f.where} ORDER BY e.source_id, e.num LIMIT ? OFFSET ?`)
    .safeIntegers();
  function* rows(): Generator<EventJson> {
    for (const r of stmt.iterate(...f.params, limit, offset) as IterableIterator<Row>) {
      yield {
        num: Number(r.num), ts: String(r.ts), cpu: Number(r.cpu), tid: Number(r.tid), proc: r.proc, dir: r.dir, type: r.type, fd: n(r.fd),
        fdName: r.fd_name, res: n(r.res), latencyNs: r.latency === null ? null : String(r.latency),
        container: r.container_id === null ? null : { id: r.container_id, name: r.container_id === 'host' ? 'host' : r.container_name },
        info: r.info,
      };
    }
  }
  return { total, rows: rows() };
}

async function events(file: string, o: { json: boolean; db?: string; filter: CompiledFilter; limit: number; offset: number }): Promise<number> {
  try {
    return await withIndexedCase(file, o.db, ({ summary, db }) => {
      const problems = ingestProblems(summary);
      const { total, rows } = query(db, o.filter, o.limit, o.offset);
      stopQuietlyOnClosedPipe();
      if (o.json) {
        const list = [...rows];
        printJson({ file: summary.file, total, events: list, error: problems[0] ? { message: problems[0] } : null });
      } else {
        const lines: string[] = [];
        for (const e of rows) {
          const time = new Date(Number(BigInt(e.ts) / 1_000_000n)).toISOString().slice(11, 19) + '.' + e.ts.slice(-9);
          lines.push(`${e.num} ${time} ${e.cpu} ${e.proc ?? '<NA>'} (${e.tid}) ${e.dir} ${e.type} ${e.info}`);
          if (lines.length >= 1000) process.stdout.write(`${lines.splice(0).join('\n')}\n`);
        }
        if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
        process.stderr.write(`${total} event${total === 1 ? '' : 's'} match${o.offset + o.limit < total ? `; showing ${o.offset + 1}..${Math.min(total, o.offset + o.limit)} (--limit, --offset)` : ''}\n`);
      }
      for (const p of problems) process.stderr.write(`capscope: ${p}\n`);
      return problems.length ? EXIT_FAILED : EXIT_OK;
    });
  } catch (err) {
    return reportFailure(err, o.json, file);
  }
}

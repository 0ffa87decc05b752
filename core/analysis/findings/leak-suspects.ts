// A heap dump's leak suspects as findings of the case, beside what the captures show: each named
// as a MAT user names a leak, by the static field that holds it (com.example.leak.SessionCache.CACHE)
// when one does, and pointing at that object in the heap view. The suspects themselves are
// computed at the dump's ingest (core/analysis/heap/suspects.ts); this reads them back, in the jvm
// size model (the VM's own sizes).

import type Database from 'better-sqlite3';
import type { SuspectHolder } from '../../domain/heap/contract';
import { formatBytes } from '../../../common/format';
import type { NewFinding } from './finding';

export function findLeakSuspects(db: Database.Database): NewFinding[] {
  const rows = db
    .prepare(
      `SELECT x.source_id, s.entry, x.title, x.holder, x.object_id, x.class, x.instances, x.retained_bytes, x.percent, x.accumulation
         FROM heap_suspects x JOIN sources s ON s.id = x.source_id
        WHERE x.model = 'jvm' ORDER BY x.source_id, x.rank`,
    )
    .all() as { source_id: number; entry: string; title: string; holder: string | null; object_id: string; class: string; instances: number; retained_bytes: number; percent: number; accumulation: string }[];
  return rows.map((r) => {
    const holder = r.holder === null ? null : (JSON.parse(r.holder) as SuspectHolder);
    const accumulation = JSON.parse(r.accumulation) as { objectId: string; class: string; retainedBytes: number };
    const top = r.instances > 1 ? `${r.instances} instances of ${r.class}` : `${r.class} ${r.object_id}`;
    const held = holder
      ? `The static field ${holder.class}.${holder.field} refers to a ${holder.objectClass} (${holder.objectId}) that keeps ${formatBytes(holder.retainedBytes)} alive; it sits under ${top}, which retains ${formatBytes(r.retained_bytes)} (${r.percent} % of the heap).`
      : `${top} retains ${formatBytes(r.retained_bytes)} (${r.percent} % of the heap).`;
    return {
      kind: 'leak-suspect',
      severity: 'warning',
      title: `${r.entry}: ${r.title}`,
      explanation: `${held} The memory accumulates in ${accumulation.class} ${accumulation.objectId} (${formatBytes(accumulation.retainedBytes)}).`,
      cause: holder ? `${holder.class}.${holder.field}` : r.class,
      exchangeId: null,
      evidence: [],
      heapObject: { sourceId: r.source_id, objectId: holder?.objectId ?? r.object_id },
    } satisfies NewFinding;
  });
}

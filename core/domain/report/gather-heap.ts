// Heap dumps: the leak suspects with where they accumulate, the top of the class histogram and the
// biggest objects by retained size — read back from what the ingester stored (never re-analysed).

import type Database from 'better-sqlite3';
import type { PathStep } from '../../analysis/heap/paths';
import type { AccumulationStep } from '../../analysis/heap/suspects';
import { heapSources, readHeapReport } from '../../formats/hprof/store';
import type { HeapSection } from './model';

const TOP = 10;

export function gatherHeaps(db: Database.Database): HeapSection[] {
  const entry = db.prepare('SELECT entry FROM sources WHERE id = ?').pluck();
  const sections: HeapSection[] = [];
  for (const sourceId of heapSources(db)) {
    const report = readHeapReport(db, sourceId, { model: 'jvm', top: TOP });
    if (!report) continue;
    const s = report.summary;
    sections.push({
      entry: String(entry.get(sourceId) ?? `source ${sourceId}`),
      summary: { format: s.format, timestamp: s.timestamp, vm: s.vm, objects: s.objects, classes: s.classes, heapBytes: s.heapBytes, shallowBytes: s.shallowBytes, complete: s.complete },
      suspects: report.suspects.map((x) => ({
        title: x.title,
        // The title names the static field holding the suspect (its holder) when one does: its bytes, then.
        retainedBytes: x.holder?.retainedBytes ?? x.retainedBytes,
        percent: x.percent,
        accumulatesIn: `${x.accumulation.class} ${x.accumulation.objectId}`,
        accumulatedBytes: x.accumulation.retainedBytes,
        // Steps that are class objects carry the class they stand for (store.ts keeps describe()'s classOf).
        path: x.accumulation.path.map((p: AccumulationStep & { classOf?: string }) => `${p.classOf ? `class ${p.classOf}` : p.class}${p.staticField ? `.${p.staticField}` : ''}`),
      })),
      histogram: report.histogram.map((h) => ({ class: h.class, instances: h.instances, shallowBytes: h.shallowBytes, retainedBytes: h.retainedBytes })),
      dominators: report.dominators.map((d) => ({
        object: `${d.classOf ? `class ${d.classOf}` : d.class} ${d.objectId}`,
        retainedBytes: d.retainedBytes,
        shallowBytes: d.shallowBytes,
        gcRoot: d.gcRoot,
        path: d.pathFromRoot.map(stepText),
      })),
    });
  }
  return sections;
}

function stepText(step: PathStep): string {
  return 'elided' in step ? `… ${step.elided} more …` : `${step.class} ${step.objectId}`;
}

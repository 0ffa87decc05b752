// capscope's numbers under the visualvm size model against VisualVM 2.1.5's heap library, on every
// corpus dump: the class histogram, retained size by class, the biggest objects by retained size
// with their path from the nearest GC root, statics, and the summary totals. Equal, not close.

import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KIND_CLASS } from '../../core/analysis/heap/graph';
import { instanceNumbers } from '../../core/analysis/heap/paths';
import { analysed, summaryValue, tsv, VISUALVM_DUMPS } from './oracles';

describe.each(VISUALVM_DUMPS)('$file against VisualVM', ({ file, oracle }) => {
  it('class histogram: instances and shallow bytes of every class', async () => {
    const { analysis } = await analysed(file);
    const report = analysis.reports.visualvm!;
    const mine = new Map<string, { instances: number; shallowBytes: number }>();
    for (const row of report.histogram) {
      const e = mine.get(row.class) ?? { instances: 0, shallowBytes: 0 };
      e.instances += row.instances;
      e.shallowBytes += row.shallowBytes;
      mine.set(row.class, e);
    }
    const expected = tsv(oracle('histogram.tsv'));
    expect(expected.length).toBeGreaterThan(100);
    for (const row of expected) expect({ class: row.class, ...mine.get(row.class!) }).toEqual({ class: row.class, instances: Number(row.instances), shallowBytes: Number(row.shallow_bytes) });
    expect(mine.size).toBe(new Set(expected.map((r) => r.class)).size);
  });

  it('summary: total instances, bytes, classes and GC roots', async () => {
    const { analysis } = await analysed(file);
    const s = analysis.reports.visualvm!.summary;
    expect(s.objects).toBe(summaryValue(oracle('summary.txt'), 'totalLiveInstances'));
    expect(s.shallowBytes).toBe(summaryValue(oracle('summary.txt'), 'totalLiveBytes'));
    expect(s.classes).toBe(summaryValue(oracle('summary.txt'), 'classes'));
    expect(s.gcRoots).toBe(summaryValue(oracle('summary.txt'), 'gcRoots'));
  });

  it('retained size by class (the 40 largest)', async () => {
    const { analysis } = await analysed(file);
    const byName = new Map<string, number>();
    for (const row of analysis.reports.visualvm!.histogram) byName.set(row.class, (byName.get(row.class) ?? 0) + row.retainedBytes);
    const expected = tsv(oracle('retained-by-class.tsv'));
    expect(expected).toHaveLength(40);
    for (const row of expected) expect([row.class, byName.get(row.class!)]).toEqual([row.class, Number(row.retained_bytes_by_class)]);
  });

  it('biggest objects by retained size, with their path from the nearest GC root', async () => {
    const { graph, analysis } = await analysed(file);
    const numbers = instanceNumbers(graph);
    const nodeOf = new Map<string, number>();
    for (let v = 0; v < graph.nodeCount; v++) nodeOf.set(`0x${graph.ids[v]!.toString(16)}`, v);
    const label = (objectId: string) => {
      const v = nodeOf.get(objectId)!;
      const name = graph.kind[v] === KIND_CLASS ? 'java.lang.Class' : graph.classes[graph.classOf[v]!]!.name;
      return `${name}#${numbers[v]}`;
    };
    const expected = tsv(oracle('biggest-retained.tsv'));
    expect(expected).toHaveLength(25);
    const mine = analysis.reports.visualvm!.dominators.slice(0, 25).map((d, i) => {
      // VisualVM lists the referrers from the object's nearest one to the root (the root alone
      // for a root), six at most.
      const steps = d.pathFromRoot.map((p) => ('objectId' in p ? p.objectId : '…'));
      const chain = d.gcRoot ? [d.objectId] : steps.slice(0, -1).reverse();
      return {
        rank: String(i + 1),
        retained_bytes: String(d.retainedBytes),
        shallow_bytes: String(d.shallowBytes),
        class: d.class,
        instance_id: d.objectId,
        is_gc_root: String(d.gcRoot),
        nearest_gc_root_path: chain
          .slice(0, 6)
          .map((id) => ` <- ${label(id)}`)
          .join(''),
      };
    });
    expect(mine).toEqual(expected);
  });

  it('objects held by static fields: their class, shallow and retained sizes', async () => {
    const file_ = oracle('statics-retained.tsv');
    if (!fs.existsSync(file_)) return;
    const expected = tsv(file_);
    const { graph, analysis } = await analysed(file);
    const retained = analysis.arrays!.retained.visualvm!;
    const shallow = analysis.arrays!.shallow.visualvm!;
    for (const row of expected) {
      const field = row['class.field']!;
      const dot = field.lastIndexOf('.');
      const cls = graph.classes.find((c) => c.dumped && c.name === field.slice(0, dot))!;
      const value = cls.statics.find((s) => graph.strings.get(s.nameId) === field.slice(dot + 1))!.value;
      const v = Array.from(graph.ids).indexOf(value);
      expect([field, graph.classes[graph.classOf[v]!]!.name, shallow[v], retained[v]]).toEqual([field, row.value_class, Number(row.shallow_bytes), Number(row.retained_bytes)]);
    }
  });
});

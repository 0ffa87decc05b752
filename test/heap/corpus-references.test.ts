// On every corpus dump (HotSpot 1.0.1 and 1.0.2, 4- and 8-byte ids, Android's with instances
// written before their classes): every reference of the graph is named (a field, an element, a
// static, the class loader), and a leak suspect's holder is the static field VisualVM's heap
// library lists with the same value class and retained size.

import { describe, expect, it } from 'vitest';
import { referenceName } from '../../core/analysis/heap/edge-labels';
import { corpus } from '../helpers/paths';
import { loadDump } from './helpers/leak-app';
import { tsv, VISUALVM_DUMPS } from './oracles';

describe.each(VISUALVM_DUMPS)('$file', ({ file, oracle }) => {
  it('names every reference, and a suspect by the static field VisualVM finds holding it', async () => {
    const { graph, analysis } = await loadDump(corpus('hprof', file), { edgeSlots: true });
    let unnamed = 0;
    let first = '';
    for (let v = 0; v < graph.nodeCount; v++) {
      for (let e = graph.edgeStart[v]!; e < graph.edgeStart[v + 1]!; e++) {
        const name = referenceName(graph, v, e);
        if (name === '?' || name === 'static ?') {
          unnamed++;
          first ||= `0x${graph.ids[v]!.toString(16)} edge ${e}`;
        }
      }
    }
    expect(graph.edges.length).toBeGreaterThan(1000);
    expect({ unnamed, first }).toEqual({ unnamed: 0, first: '' });

    const statics = new Map(tsv(oracle('statics-retained.tsv')).map((r) => [r['class.field']!, r]));
    for (const s of analysis.reports.visualvm!.suspects) {
      if (!s.holder) continue;
      const row = statics.get(`${s.holder.class}.${s.holder.field}`);
      if (!row) continue; // VisualVM's list names a few statics of interest, not all
      expect([s.holder.objectClass, s.holder.retainedBytes]).toEqual([row.value_class, Number(row.retained_bytes)]);
    }
    if (file === 'small-jcmd-live.hprof.gz') expect(analysis.reports.visualvm!.suspects[0]!.holder).toMatchObject({ class: 'com.example.leak.SessionCache', field: 'CACHE', retainedBytes: 20704448 });
  }, 60_000);
});

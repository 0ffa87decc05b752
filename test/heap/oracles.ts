// Reading the oracle files next to the corpus dumps: VisualVM heap library output (TSV) and the
// JVM's GC.class_histogram, plus loading a corpus dump the way the ingester does.

import fs from 'node:fs';
import { analyseHeap, type HeapAnalysis } from '../../core/analysis/heap/analyse';
import type { HeapGraph } from '../../core/analysis/heap/graph';
import { loadHeap } from '../../core/formats/hprof/load';
import { walkEvidence } from '../../parsers/source/walk';
import { EVIDENCE_SNIFFERS } from '../../core/registry/formats';
import { corpus } from '../helpers/paths';

export const VISUALVM_DUMPS = [
  { file: 'JetBrains_adt-tools-base__dialer.android-hprof', oracle: (kind: string) => corpus('hprof', 'oracle', `JetBrains_adt-tools-base__dialer.android-hprof-${kind}`) },
  { file: 'agourlay_hprof-slurp__hprof-64.bin', oracle: (kind: string) => corpus('hprof', 'oracle', `agourlay_hprof-slurp__hprof-64.bin-${kind}`) },
  { file: 'square_haha__sun_jdk5_13_x32.hprof', oracle: (kind: string) => corpus('hprof', 'oracle', `square_haha__sun_jdk5_13_x32.hprof-${kind}`) },
  { file: 'square_haha__sun_jdk6_18_x64.hprof', oracle: (kind: string) => corpus('hprof', 'oracle', `square_haha__sun_jdk6_18_x64.hprof-${kind}`) },
  { file: 'small-jcmd-live.hprof.gz', oracle: (kind: string) => corpus('hprof', 'oracle', 'visualvm', `small-jcmd-live-${kind}`) },
] as const;

/** Rows of a TSV file with a header line, as records keyed by column name. */
export function tsv(file: string): Record<string, string>[] {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const columns = header!.split('\t');
  return lines.map((line) => Object.fromEntries(line.split('\t').map((v, i) => [columns[i]!, v])));
}

export function summaryValue(file: string, key: string): number {
  return Number(fs.readFileSync(file, 'utf8').match(new RegExp(`^${key}: (\\d+)`, 'm'))![1]);
}

export interface JvmHistogramRow {
  name: string;
  instances: number;
  bytes: number;
}

/** GC.class_histogram output, class names in capscope's (VisualVM's) spelling. */
export function jvmHistogram(text: string): JvmHistogramRow[] {
  const rows: JvmHistogramRow[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)/.exec(line);
    if (m) rows.push({ name: javaName(m[3]!), instances: Number(m[1]), bytes: Number(m[2]) });
  }
  return rows;
}

/** "[Ljava.lang.String;" → "java.lang.String[]", "[B" → "byte[]", a hidden "X/0x1f" → "X+0x1f" (as HPROF names it). */
export function javaName(vm: string): string {
  let dims = 0;
  while (vm[dims] === '[') dims++;
  let name = vm.slice(dims);
  if (dims > 0) {
    const primitive: Record<string, string> = { B: 'byte', C: 'char', I: 'int', J: 'long', S: 'short', Z: 'boolean', F: 'float', D: 'double' };
    name = name.startsWith('L') ? name.slice(1, -1) : primitive[name]!;
  }
  return name.replace(/\/0x/, '+0x') + '[]'.repeat(dims);
}

export interface Analysed {
  graph: HeapGraph;
  analysis: HeapAnalysis;
}

const cache = new Map<string, Promise<Analysed>>();

/** A corpus dump, read and analysed once per test file. */
export function analysed(file: string): Promise<Analysed> {
  let pending = cache.get(file);
  if (!pending) {
    pending = (async () => {
      for await (const item of walkEvidence(corpus('hprof', file), { formats: EVIDENCE_SNIFFERS })) {
        if (item.kind !== 'evidence') continue;
        const { graph } = await loadHeap(item.reader, () => undefined);
        return { graph: graph!, analysis: analyseHeap(graph!, { top: 100, keepArrays: true }) };
      }
      throw new Error(`${file}: no evidence`);
    })();
    cache.set(file, pending);
  }
  return pending;
}

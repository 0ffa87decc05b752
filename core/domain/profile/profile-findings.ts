// What the Go profiles of a case point at, computed from the stored profiles when asked (they are
// small): a goroutine leak (many goroutines parked on one stack, more of them in a later dump),
// memory growth by function between the first and the last heap profile, the functions holding
// the most in-use memory, and the hottest CPU paths. Each finding carries its frames and numbers
// and the place in the Profiles view that shows it.

import type Database from 'better-sqlite3';
import { formatBytes as formatByteSize } from '../../../common/format';
import { goroutineGroups, type GoroutineGroup } from '../../formats/pprof/goroutine-groups';
import { loadProfile } from '../../formats/pprof/load';
import type { Profile } from '../../formats/pprof/parser/profile';
import { namedSamples } from '../../formats/pprof/profile-math';
import type { ProfileFinding, ProfileInfo } from './contract';
import { functionRows, profileList, sortTop } from './profile-queries';

/** A group this large on one stack is a pile-up even in a single dump. */
const PILEUP_ALONE = 1000;
/** ... or this large and at least half of all goroutines. */
const PILEUP_SHARE_MIN = 100;
/** A group that grew between two dumps to at least this many, by at least GROWTH_FACTOR, is a leak. */
const LEAK_MIN = 50;
const GROWTH_FACTOR = 1.2;
/** Memory growth worth a finding: at least this share of the later profile's in-use bytes. */
const GROWTH_SHARE = 0.05;
/** A function holding at least this share of in-use memory, or of CPU time, is pointed at. */
const TOP_SHARE = 0.2;
const HOT_SHARE = 0.1;

export function profileFindings(db: Database.Database): ProfileFinding[] {
  const profiles = byTime(profileList(db).filter((p) => p.sampleTypes.length > 0));
  // Each profile is decoded from the index once, however many findings walk its samples.
  const loaded = new Map<number, Profile | null>();
  const load: ProfileLoader = (sourceId) => {
    if (!loaded.has(sourceId)) loaded.set(sourceId, loadProfile(db, sourceId));
    return loaded.get(sourceId)!;
  };
  return [...goroutineFindings(load, profiles), ...memoryFindings(db, load, profiles), ...cpuFindings(db, load, profiles)];
}

type ProfileLoader = (sourceId: number) => Profile | null;

/** Oldest first: by the time the profile was taken, else in the order the case holds them. */
function byTime(profiles: ProfileInfo[]): ProfileInfo[] {
  return [...profiles].sort((a, b) => (a.timeNanos ?? 0) - (b.timeNanos ?? 0) || a.sourceId - b.sourceId);
}

/** A stack as the three forms of goroutine profile all show it: without unexported runtime frames. */
function stackKey(group: GoroutineGroup): string {
  return group.frames.map((f) => f.function).filter((f) => !/^runtime\.[a-z]/.test(f)).join('\n');
}

function leafOf(group: GoroutineGroup): string {
  return group.frames.find((f) => !/^runtime\.[a-z]/.test(f.function))?.function ?? group.frames[0]?.function ?? '(no frames)';
}

function goroutineFindings(load: ProfileLoader, profiles: ProfileInfo[]): ProfileFinding[] {
  const dumps = profiles.filter((p) => p.kind === 'goroutine');
  if (dumps.length === 0) return [];
  const groupsOf = (p: ProfileInfo) => {
    const profile = load(p.sourceId);
    const merged = new Map<string, GoroutineGroup>();
    for (const g of profile ? goroutineGroups(profile) : []) {
      const key = stackKey(g);
      const m = merged.get(key);
      if (m) m.count += g.count;
      else merged.set(key, { ...g });
    }
    return merged;
  };
  const last = dumps[dumps.length - 1]!;
  const lastGroups = groupsOf(last);
  const total = [...lastGroups.values()].reduce((s, g) => s + g.count, 0);
  const findings: ProfileFinding[] = [];
  const first = dumps.length > 1 ? dumps[0]! : null;
  const firstGroups = first ? groupsOf(first) : null;
  for (const [key, g] of lastGroups) {
    const frames = g.frames.map((f) => f.function).reverse();
    const before = firstGroups?.get(key)?.count ?? 0;
    const leaf = leafOf(g);
    const states = Object.keys(g.states).join(', ');
    if (first && g.count >= LEAK_MIN && g.count >= before * GROWTH_FACTOR && g.count - before >= LEAK_MIN / 5) {
      findings.push({
        kind: 'goroutine-leak',
        severity: 'error',
        title: `Goroutine leak: ${g.count} goroutines parked in ${leaf}, up from ${before}`,
        explanation: `${g.count} goroutines${states ? ` (${states})` : ''} wait on the same stack in ${last.entry}, against ${before} in ${first.entry}: they are started and never finish. The stack shows where they wait; whoever should wake them (a send, a close, a cancel) never comes.`,
        evidence: { frames, values: [{ label: `in ${first.entry}`, value: before, unit: 'count' }, { label: `in ${last.entry}`, value: g.count, unit: 'count' }] },
        link: { sourceId: last.sourceId, tab: 'goroutines' },
      });
    } else if (g.count >= PILEUP_ALONE || (g.count >= PILEUP_SHARE_MIN && g.count * 2 >= total)) {
      findings.push({
        kind: 'goroutine-pileup',
        severity: 'warning',
        title: `${g.count} of ${total} goroutines parked on one stack in ${leaf}`,
        explanation: `In ${last.entry}, ${g.count} goroutines${states ? ` (${states})` : ''} wait on the same stack. A second dump taken later shows whether they grow (a leak) or drain.`,
        evidence: { frames, values: [{ label: 'goroutines', value: g.count, unit: 'count' }, { label: 'all goroutines', value: total, unit: 'count' }] },
        link: { sourceId: last.sourceId, tab: 'goroutines' },
      });
    }
  }
  return findings.sort((a, b) => b.evidence.values[1]!.value - a.evidence.values[1]!.value);
}

/** The heaviest stack through a function (root first), from the profile's samples. */
function heaviestStack(load: ProfileLoader, sourceId: number, sampleType: string, fn: string, leafOnly: boolean): string[] {
  const profile = load(sourceId);
  if (!profile) return [fn];
  const index = profile.sampleTypes.findIndex((t) => t.type === sampleType);
  let best: { frames: string[]; value: number } | null = null;
  for (const s of namedSamples(profile)) {
    const v = s.values[index] ?? 0;
    if (leafOnly ? s.frames[0] !== fn : !s.frames.includes(fn)) continue;
    if (!best || v > best.value) best = { frames: s.frames, value: v };
  }
  return best ? collapseRecursion([...best.frames].reverse()) : [fn];
}

/** A frame repeated by recursion said once with its count: "main.fib ×16". */
function collapseRecursion(frames: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < frames.length; ) {
    let j = i;
    while (j < frames.length && frames[j] === frames[i]) j++;
    out.push(j - i > 1 ? `${frames[i]} ×${j - i}` : frames[i]!);
    i = j;
  }
  return out;
}

function memoryFindings(db: Database.Database, load: ProfileLoader, profiles: ProfileInfo[]): ProfileFinding[] {
  const heaps = profiles.filter((p) => p.kind === 'heap' && p.sampleTypes.some((t) => t.type === 'inuse_space'));
  if (heaps.length === 0) return [];
  const findings: ProfileFinding[] = [];
  const last = heaps[heaps.length - 1]!;
  const lastTotal = last.totals['inuse_space'] ?? 0;
  if (heaps.length > 1) {
    const first = heaps[0]!;
    const delta = functionRows(db, last.sourceId, 'inuse_space', undefined, first.sourceId);
    const grown = sortTop(delta.rows).filter((r) => r.flat > 0 && r.flat >= GROWTH_SHARE * lastTotal).slice(0, 3);
    const before = new Map(functionRows(db, first.sourceId, 'inuse_space').rows.map((r) => [r.function, r.flat]));
    for (const r of grown) {
      const was = before.get(r.function) ?? 0;
      findings.push({
        kind: 'memory-growth',
        severity: 'warning',
        title: `Memory growth: ${r.function} holds ${formatBytes(r.flat)} more in use`,
        explanation: `Between ${first.entry} and ${last.entry}, the memory allocated in ${r.function} and still in use grew from ${formatBytes(was)} to ${formatBytes(was + r.flat)}; the heap's in-use total changed by ${formatBytes(delta.total)}. Memory that keeps growing here is held somewhere (a cache, a map, a slice) and not released.`,
        evidence: {
          frames: heaviestStack(load, last.sourceId, 'inuse_space', r.function, true),
          values: [
            { label: `in use in ${first.entry}`, value: was, unit: 'bytes' },
            { label: `in use in ${last.entry}`, value: was + r.flat, unit: 'bytes' },
          ],
        },
        link: { sourceId: last.sourceId, tab: 'compare', baseSourceId: first.sourceId, sampleType: 'inuse_space', search: r.function },
      });
    }
  }
  const top = sortTop(functionRows(db, last.sourceId, 'inuse_space').rows)[0];
  if (top && lastTotal > 0 && top.flat >= TOP_SHARE * lastTotal) {
    findings.push({
      kind: 'top-inuse',
      severity: 'info',
      title: `${top.function} holds ${percentText(top.flat, lastTotal)} of in-use memory (${formatBytes(top.flat)})`,
      explanation: `In ${last.entry}, ${formatBytes(top.flat)} of the ${formatBytes(lastTotal)} in use were allocated in ${top.function} (sampled every ${formatBytes(last.period)} allocated, scaled as pprof scales it).`,
      evidence: { frames: heaviestStack(load, last.sourceId, 'inuse_space', top.function, true), values: [{ label: 'in use', value: top.flat, unit: 'bytes' }, { label: 'heap in use', value: lastTotal, unit: 'bytes' }] },
      link: { sourceId: last.sourceId, tab: 'flame', sampleType: 'inuse_space', search: top.function },
    });
  }
  return findings;
}

/** The hottest functions of the latest CPU profile (a case of fifty CPU profiles says it once, for the newest). */
function cpuFindings(db: Database.Database, load: ProfileLoader, profiles: ProfileInfo[]): ProfileFinding[] {
  const findings: ProfileFinding[] = [];
  for (const p of profiles.filter((x) => x.kind === 'cpu' && x.sampleTypes.some((t) => t.type === 'cpu')).slice(-1)) {
    const total = p.totals['cpu'] ?? 0;
    const hot = sortTop(functionRows(db, p.sourceId, 'cpu').rows).filter((r) => total > 0 && r.flat >= HOT_SHARE * total).slice(0, 2);
    for (const r of hot) {
      const frames = heaviestStack(load, p.sourceId, 'cpu', r.function, true);
      findings.push({
        kind: 'hot-cpu',
        severity: 'info',
        title: `Hot CPU path: ${percentText(r.flat, total)} of CPU time in ${r.function}`,
        explanation: `In ${p.entry}, ${formatNs(r.flat)} of ${formatNs(total)} sampled CPU time were spent in ${r.function} itself (${formatNs(r.cum)} with what it calls), ${frames.length > 1 ? `most of it by way of ${frames.slice(-4).join(' → ')}` : 'at the root of its goroutines\' stacks (a function started with go)'}.`,
        evidence: { frames, values: [{ label: 'flat', value: r.flat, unit: 'nanoseconds' }, { label: 'cum', value: r.cum, unit: 'nanoseconds' }, { label: 'profile total', value: total, unit: 'nanoseconds' }] },
        link: { sourceId: p.sourceId, tab: 'flame', sampleType: 'cpu', search: r.function },
      });
    }
  }
  return findings;
}

function percentText(v: number, total: number): string {
  return `${((100 * v) / total).toFixed(1)}%`;
}

/** Byte sizes as common/format.ts says them, with a sign for a change. */
function formatBytes(n: number): string {
  return n < 0 ? `-${formatByteSize(-n)}` : formatByteSize(n);
}

function formatNs(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} s` : `${(n / 1e6).toFixed(1)} ms`;
}

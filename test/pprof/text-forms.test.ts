// The text forms (debug=1 profiles, debug=2 goroutine dumps) read into the same profile as the
// protobuf: the goroutine dump, the debug=1 profile and the protobuf the Go test program wrote in
// the same instant (fixtures: frozen-goroutines.tar, every worker parked) group into the same
// stacks with the same counts; the heap and contention texts add up as their headers say.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { goroutineGroups, type GoroutineGroup } from '../../core/formats/pprof/goroutine-groups';
import { decodeProfileProto } from '../../core/formats/pprof/parser/decode-proto';
import { parseGoroutineDump } from '../../core/formats/pprof/parser/goroutine-dump';
import { parseLegacyText } from '../../core/formats/pprof/parser/legacy-text';
import { functionTotals, namedSamples } from '../../core/formats/pprof/profile-math';
import { fixture, fixtureBytes } from './helpers/oracle';

function member(tar: string, name: string): Uint8Array {
  return execFileSync('tar', ['-xOf', fixture(tar), name]);
}

function noDiagnostics(): (offset: number | null, d: { message: string }) => void {
  return (_offset, d) => {
    throw new Error(`unexpected diagnostic: ${d.message}`);
  };
}

/**
 * A group as all three forms print it: "function:line" frames, leaf first, without the unexported
 * runtime frames (debug=1 hides those at the leaf, the debug=2 traceback hides them everywhere,
 * runtime.main included; the protobuf keeps them all). The goroutine that answered the request is
 * left out: each form shows it writing that form.
 */
function asDebug1(groups: GoroutineGroup[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const g of groups) {
    const frames = g.frames.map((f) => `${f.function}:${f.line}`);
    if (frames.some((f) => f.startsWith('runtime/pprof.'))) continue;
    const key = frames.filter((f) => !/^runtime\.[a-z]/.test(f)).join(' ');
    out.set(key, (out.get(key) ?? 0) + g.count);
  }
  return out;
}

describe('goroutine groups', () => {
  const debug1 = parseLegacyText(member('frozen-goroutines.tar', 'goroutine.debug1.txt'), noDiagnostics());
  const debug2 = parseGoroutineDump(member('frozen-goroutines.tar', 'goroutine.debug2.txt'), noDiagnostics());
  const proto = decodeProfileProto(zlib.gunzipSync(member('frozen-goroutines.tar', 'goroutine.pb.gz')), noDiagnostics());

  it('a debug=2 dump groups into the stacks and counts debug=1 prints', () => {
    expect(debug2.stop).toBeNull();
    const expected = asDebug1(goroutineGroups(debug1));
    expect(expected.size).toBeGreaterThan(3);
    expect(asDebug1(goroutineGroups(debug2.profile))).toEqual(expected);
  });

  it('the protobuf goroutine profile has the same groups', () => {
    expect(asDebug1(goroutineGroups(proto.profile))).toEqual(asDebug1(goroutineGroups(debug1)));
  });

  it('the leaked goroutines are one group, with their state and count', () => {
    const groups = goroutineGroups(debug2.profile);
    const leak = groups.find((g) => g.frames.some((f) => f.function === 'main.waitForReply'))!;
    expect(leak).toBe(groups[0]);
    expect(leak.count).toBeGreaterThan(100);
    expect(leak.states).toEqual({ 'chan receive': leak.count });
    const total = Number(/^goroutine profile: total (\d+)/.exec(new TextDecoder().decode(member('frozen-goroutines.tar', 'goroutine.debug1.txt')))![1]);
    expect(groups.reduce((s, g) => s + g.count, 0)).toBe(total);
  });
});

describe('debug=1 text profiles', () => {
  it('a goroutine profile adds up to its header', () => {
    const text = fixtureBytes('goroutine-2.debug1.txt');
    const profile = parseLegacyText(text, noDiagnostics());
    const total = Number(/total (\d+)/.exec(new TextDecoder().decode(text.subarray(0, 64)))![1]);
    expect(profile.samples.reduce((s, x) => s + x.values[0]!, 0)).toBe(total);
    expect(profile.sampleTypes).toEqual([{ type: 'goroutine', unit: 'count' }]);
  });

  it('a heap profile has the protobuf sample types, scaled as runtime/pprof scales them', () => {
    const profile = parseLegacyText(fixtureBytes('heap.debug1.txt'), noDiagnostics());
    expect(profile.sampleTypes.map((t) => t.type)).toEqual(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    expect(profile.period).toBe(512 * 1024);
    // "11: 360448 [11: 360448]": 32 KiB objects, seen with probability 1 - e^(-32768/524288).
    const scale = 1 / (1 - Math.exp(-32768 / 524288));
    const buffers = functionTotals(namedSamples(profile), 3).find((t) => t.function === 'main.newBuffer')!;
    expect(buffers.flat % Math.trunc(32768 * scale)).toBeLessThan(32768 * 2);
    expect(profile.comments.some((c) => c.startsWith('Alloc = '))).toBe(true);
  });

  it('block and mutex contention: cycles become nanoseconds', () => {
    const block = parseLegacyText(fixtureBytes('block.debug1.txt'), noDiagnostics());
    const text = new TextDecoder().decode(fixtureBytes('block.debug1.txt'));
    const cps = Number(/cycles\/second=(\d+)/.exec(text)![1]);
    const first = /^(\d+) (\d+) @/m.exec(text)!;
    expect(block.declaredKind).toBe('block');
    expect(block.samples[0]!.values).toEqual([Number(first[2]), Math.trunc(Number(first[1]) / (cps / 1e9))]);
    const mutex = parseLegacyText(fixtureBytes('mutex.debug1.txt'), noDiagnostics());
    expect(mutex.declaredKind).toBe('mutex');
    expect(functionTotals(namedSamples(mutex), 1)[0]!.cum).toBeGreaterThan(0);
  });
});

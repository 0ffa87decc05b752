// What pprof computes from a profile's samples, as `pprof -top` and its flame graph do, shared by
// the ingest (which stores each function's flat and cum) and the read side (which builds flame
// graphs and differences). A sample's frames are the lines of its locations, leaf first, the
// inlined callee before its caller; "flat" goes to the first frame's function, "cum" to every
// function on the stack once per sample (a recursive function is not counted twice).

import type { Profile } from './parser/profile';

/** A sample as function names, leaf first, with its values. */
export interface NamedSample {
  frames: string[];
  values: number[];
}

export function namedSamples(profile: Profile): NamedSample[] {
  const frameNames = new Map<number, string[]>();
  for (const location of profile.locations.values()) {
    frameNames.set(location.id, location.lines.map((l) => profile.functions.get(l.functionId)?.name ?? `<function ${l.functionId} missing>`));
  }
  return profile.samples.map((s) => ({ frames: s.locationIds.flatMap((id) => frameNames.get(id) ?? [`<location ${id} missing>`]), values: s.values }));
}

export interface FunctionTotal {
  function: string;
  flat: number;
  cum: number;
}

/** Flat and cum per function for the sample type at `index`, functions with neither left out. */
export function functionTotals(samples: readonly NamedSample[], index: number): FunctionTotal[] {
  const totals = new Map<string, FunctionTotal>();
  const seen = new Set<string>();
  for (const sample of samples) {
    const value = sample.values[index] ?? 0;
    if (value === 0 || sample.frames.length === 0) continue;
    seen.clear();
    for (const name of sample.frames) {
      if (seen.has(name)) continue;
      seen.add(name);
      let t = totals.get(name);
      if (!t) totals.set(name, (t = { function: name, flat: 0, cum: 0 }));
      t.cum += value;
    }
    totals.get(sample.frames[0]!)!.flat += value;
  }
  return [...totals.values()];
}

/** The sample type pprof shows when none is asked for: default_sample_type if the profile names one it has, else the last. */
export function defaultSampleIndex(sampleTypes: readonly { type: string }[], defaultType: string | null): number {
  if (defaultType) {
    const i = sampleTypes.findIndex((t) => t.type === defaultType);
    if (i >= 0) return i;
  }
  return sampleTypes.length - 1;
}

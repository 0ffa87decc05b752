// Goroutines grouped by identical stack, as an operator reads a dump of thousands: a thousand
// goroutines parked on one channel are one group with a count, the states they are in and the
// longest wait. From a debug=2 dump each goroutine is a sample with its state; from a goroutine
// profile (protobuf, debug=1) each sample is already a group of `count` goroutines, without states.

import type { Profile } from './parser/profile';

export interface GroupFrame {
  function: string;
  file: string;
  line: number;
}

export interface GoroutineGroup {
  /** Leaf first. */
  frames: GroupFrame[];
  count: number;
  /** State → goroutines in it (empty when the profile does not say). */
  states: Record<string, number>;
  /** The longest wait in the group, in minutes, as the dump says (0: not said). */
  maxWaitMinutes: number;
  /** Goroutine ids, from a debug=2 dump (the first few). */
  ids: number[];
}

const IDS_KEPT = 20;

export function goroutineGroups(profile: Profile): GoroutineGroup[] {
  const groups = new Map<string, GoroutineGroup>();
  profile.samples.forEach((sample, i) => {
    const frames: GroupFrame[] = sample.locationIds.flatMap((id) =>
      (profile.locations.get(id)?.lines ?? []).map((l) => {
        const fn = profile.functions.get(l.functionId);
        return { function: fn?.name ?? `<function ${l.functionId} missing>`, file: fn?.filename ?? '', line: l.line };
      }),
    );
    const key = frames.map((f) => `${f.function} ${f.file}:${f.line}`).join('\n');
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { frames, count: 0, states: {}, maxWaitMinutes: 0, ids: [] }));
    group.count += sample.values[0] ?? 0;
    const g = profile.goroutines?.[i];
    if (g) {
      group.states[g.state] = (group.states[g.state] ?? 0) + 1;
      group.maxWaitMinutes = Math.max(group.maxWaitMinutes, g.waitMinutes);
      if (group.ids.length < IDS_KEPT) group.ids.push(g.id);
    }
  });
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

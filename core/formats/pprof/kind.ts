// What kind of Go profile this is (heap, allocs, cpu, goroutine, block, mutex, threadcreate), as
// an operator calls it: from what the text form's header says, else from the sample types, and
// for the pairs the protobuf does not tell apart (heap / allocs, block / mutex) from the
// default sample type, the entry's name (profiles/mutex.pb.gz) and, last, the stacks.

import type { Profile } from './parser/profile';
import { namedSamples } from './profile-math';

export function profileKind(profile: Profile, entryName: string): string {
  const base = entryName.split('/').pop()!.toLowerCase();
  const types = new Set(profile.sampleTypes.map((t) => t.type));
  if (types.has('inuse_space') || types.has('alloc_space') || profile.declaredKind === 'heap') {
    if (profile.defaultSampleType?.startsWith('alloc_') || base.startsWith('allocs')) return 'allocs';
    return 'heap';
  }
  if (profile.declaredKind) return profile.declaredKind;
  if (types.has('cpu') || profile.periodType?.type === 'cpu') return 'cpu';
  if (types.has('goroutine')) return 'goroutine';
  if (types.has('threadcreate')) return 'threadcreate';
  if (types.has('contentions') || types.has('delay')) {
    if (base.startsWith('mutex')) return 'mutex';
    if (base.startsWith('block')) return 'block';
    // A mutex profile's stacks end in the Unlock that handed the lock on; a block profile's in
    // the Lock, channel operation or select that waited.
    const leaves = namedSamples(profile).map((s) => s.frames[0] ?? '');
    return leaves.length > 0 && leaves.every((f) => /\.\(\*(RW)?Mutex\)\.R?Unlock$/.test(f)) ? 'mutex' : 'block';
  }
  return profile.sampleTypes[0]?.type ?? 'profile';
}

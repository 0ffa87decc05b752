// The profile domain: Go profiles (pprof) of the case — the list of profiles, the top table, the
// flame graph, callers and callees of a function, goroutine groups, and the comparison of two
// profiles of one kind (a delta top table, a differential flame graph). Values are in the sample
// type's own unit (bytes, nanoseconds, counts), exact. Types only, like every contract.

export interface ValueTypeInfo {
  type: string;
  unit: string;
}

export interface ProfileInfo {
  sourceId: number;
  entry: string;
  /** heap, allocs, cpu, goroutine, block, mutex, threadcreate, trace, … */
  kind: string;
  /** 'proto', 'debug1' (text), 'debug2' (a goroutine dump), 'trace' (named, not read). */
  form: string;
  sampleTypes: ValueTypeInfo[];
  /** The sample type shown first, as pprof chooses it; null for a trace. */
  defaultType: string | null;
  periodType: string | null;
  period: number;
  /** ns since 1970. */
  timeNanos: number | null;
  durationNanos: number | null;
  samples: number;
  /** Sum of every sample's value, per sample type. */
  totals: Record<string, number>;
  comments: string[];
}

export type TopSortColumn = 'flat' | 'cum' | 'function';

export interface TopRow {
  function: string;
  flat: number;
  cum: number;
}

export interface ProfileTop {
  sampleType: string;
  unit: string;
  /** Sum of the sample type's values (with a base: the new total minus the base's). */
  total: number;
  /** Rows matching the filter, in the order asked. */
  rows: TopRow[];
  /** How many functions matched before `limit`. */
  matched: number;
}

export interface FlameNode {
  name: string;
  /** The samples through this frame (this path from the root). */
  value: number;
  /** Of which in this frame itself. */
  self: number;
  /** With a base profile: the base's value for the same path (the new one is `value`). */
  base?: number;
  children: FlameNode[];
}

export interface ProfileFlame {
  sampleType: string;
  unit: string;
  total: number;
  baseTotal: number | null;
  root: FlameNode;
}

export interface NeighbourRow {
  function: string;
  /** The values of the samples where it calls (callee) or is called by (caller) the function. */
  value: number;
}

export interface ProfileNeighbours {
  function: string;
  flat: number;
  cum: number;
  callers: NeighbourRow[];
  callees: NeighbourRow[];
}

export interface GoroutineGroupInfo {
  frames: { function: string; file: string; line: number }[];
  count: number;
  states: Record<string, number>;
  maxWaitMinutes: number;
  ids: number[];
}

export interface ProfileRequest {
  caseId: string;
  sourceId: number;
  /** Default: the profile's default sample type. */
  sampleType?: string;
  /** Another profile of the case to compare with (pprof's -diff_base): values become deltas. */
  baseSourceId?: number;
}

export interface ProfileMethods {
  'profile.list': { req: { caseId: string }; res: { profiles: ProfileInfo[] } };
  'profile.top': {
    req: ProfileRequest & { sort?: { column: TopSortColumn; desc?: boolean }; functionRegex?: string; limit?: number };
    res: ProfileTop;
  };
  'profile.flame': { req: ProfileRequest; res: ProfileFlame };
  'profile.neighbours': { req: ProfileRequest & { function: string }; res: ProfileNeighbours };
  'profile.goroutines': { req: { caseId: string; sourceId: number }; res: { total: number; groups: GoroutineGroupInfo[]; withStates: boolean } };
  /** The text documents that came with the profiles (a bundle's shards.txt, stats.txt, …), without their text. */
  'profile.documents': { req: { caseId: string }; res: { documents: DocumentInfo[] } };
  /** One document with its text, as it is. */
  'profile.document': { req: { caseId: string; id: number }; res: DocumentInfo & { text: string } };
  /** Goroutine leaks, memory growth, what holds the most memory, the hottest CPU paths. */
  'profile.findings': { req: { caseId: string }; res: { findings: ProfileFinding[] } };
}

export const PROFILE_METHOD_NAMES: Record<keyof ProfileMethods, true> = {
  'profile.list': true,
  'profile.top': true,
  'profile.flame': true,
  'profile.neighbours': true,
  'profile.goroutines': true,
  'profile.documents': true,
  'profile.document': true,
  'profile.findings': true,
};

export interface DocumentInfo {
  id: number;
  /** Its name in the archive. */
  entry: string;
  /** The layers around it, outermost first. */
  compression: string[];
  bytes: number;
  /** Only its first MiB is kept. */
  truncated: boolean;
}

/** Where a finding leads: a place in the Profiles view. */
export interface ProfileLink {
  sourceId: number;
  tab: 'flame' | 'top' | 'goroutines' | 'compare';
  baseSourceId?: number;
  sampleType?: string;
  /** A function to search for (the flame graph highlights it). */
  search?: string;
}

export interface ProfileFinding {
  kind: 'goroutine-leak' | 'goroutine-pileup' | 'memory-growth' | 'top-inuse' | 'hot-cpu';
  severity: 'error' | 'warning' | 'info';
  title: string;
  explanation: string;
  /** The frames that show it, root first (the leaf last), and the numbers. */
  evidence: { frames: string[]; values: { label: string; value: number; unit: string }[] };
  link: ProfileLink;
}

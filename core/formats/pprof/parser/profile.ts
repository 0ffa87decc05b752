// A Go profile as capscope holds it once read, whatever form it came in (profile.proto, the
// debug=1 text forms, a debug=2 goroutine dump): pprof's own model with its string indexes
// resolved. Ids are the profile's own (location 1, function 7); a sample's stack is leaf first,
// and a location's lines are innermost first (the inlined callee before its caller), as in
// pprof's profile.proto.

export interface ValueType {
  type: string;
  unit: string;
}

export interface ProfileFunction {
  id: number;
  name: string;
  systemName: string;
  filename: string;
  startLine: number;
}

export interface ProfileLine {
  functionId: number;
  line: number;
  column: number;
}

export interface ProfileLocation {
  id: number;
  mappingId: number;
  /** The pc, "0x67cfc7" (uint64: kept as hex text, as numbers it would lose bits); "" when not known. */
  address: string;
  /** Innermost first: lines[0] is the inlined callee, the last one the function the address is in. */
  lines: ProfileLine[];
  isFolded: boolean;
}

export interface ProfileMapping {
  id: number;
  /** uint64 addresses and offsets as hex text ("0x400000"). */
  memoryStart: string;
  memoryLimit: string;
  fileOffset: string;
  filename: string;
  buildId: string;
  hasFunctions: boolean;
  hasFilenames: boolean;
  hasLineNumbers: boolean;
  hasInlineFrames: boolean;
}

export interface SampleLabel {
  key: string;
  str?: string;
  num?: number;
  numUnit?: string;
}

export interface ProfileSample {
  /** Leaf first. */
  locationIds: number[];
  /** One per sample type, in the sample types' order. */
  values: number[];
  labels: SampleLabel[];
}

/** One goroutine of a debug=2 dump (also its sample in the goroutine profile made from it). */
export interface Goroutine {
  id: number;
  /** "chan receive", "running", "semacquire", "IO wait", ... */
  state: string;
  /** Minutes it has waited, as the dump says ("[chan receive, 12 minutes]"); 0 when not said. */
  waitMinutes: number;
  lockedToThread: boolean;
  /** "created by main.main in goroutine 1" → main.main; null for the main goroutine. */
  createdBy: string | null;
  /** Byte offset of its header line in the dump. */
  offset: number;
}

export type ProfileForm = 'proto' | 'debug1' | 'debug2';

export interface Profile {
  form: ProfileForm;
  sampleTypes: ValueType[];
  /** pprof's default_sample_type, when the profile names one. */
  defaultSampleType: string | null;
  periodType: ValueType | null;
  period: number;
  timeNanos: number | null;
  durationNanos: number | null;
  comments: string[];
  dropFrames: string;
  keepFrames: string;
  docUrl: string;
  functions: Map<number, ProfileFunction>;
  locations: Map<number, ProfileLocation>;
  mappings: Map<number, ProfileMapping>;
  samples: ProfileSample[];
  /** debug=2 dumps only: the goroutines, in sample order (sample i is goroutine i). */
  goroutines: Goroutine[] | null;
  /** What the text forms' header says the profile is ("heap", "mutex"), when it says. */
  declaredKind: string | null;
}

export function emptyProfile(form: ProfileForm): Profile {
  return {
    form,
    sampleTypes: [],
    defaultSampleType: null,
    periodType: null,
    period: 0,
    timeNanos: null,
    durationNanos: null,
    comments: [],
    dropFrames: '',
    keepFrames: '',
    docUrl: '',
    functions: new Map(),
    locations: new Map(),
    mappings: new Map(),
    samples: [],
    goroutines: null,
    declaredKind: null,
  };
}

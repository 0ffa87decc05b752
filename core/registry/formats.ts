// The evidence formats capscope reads, one line each: adding a format is its folder plus a line
// here. The order is the sniffing order (the first format to claim a stream wins).

import type { FormatName } from '../../common/evidence';
import type { FormatSniffer } from '../../parsers/source/format-sniffer';
import type { Capability, EvidenceFormat } from '../formats/format';
import { hprofFormat } from '../formats/hprof/format';
import { pcapFormat } from '../formats/pcap/format';
import { pprofFormat } from '../formats/pprof/format';
import { scapFormat } from '../formats/scap/format';

export const FORMATS: readonly EvidenceFormat[] = [
  scapFormat,
  pcapFormat,
  hprofFormat,
  // Last: profile.proto has no magic number, so its sniffer walks fields (parser/sniff.ts).
  pprofFormat,
];

const BY_NAME = new Map<FormatName, EvidenceFormat>(FORMATS.flatMap((f) => f.names.map((name) => [name, f] as const)));

/** The format a source's recorded name belongs to, or undefined for a name no format claims. */
export function formatNamed(name: FormatName): EvidenceFormat | undefined {
  return BY_NAME.get(name);
}

/** The names (sources.format values) of every format with a capability. */
export function namesWith(capability: Capability): FormatName[] {
  return FORMATS.filter((f) => f.capabilities.includes(capability)).flatMap((f) => f.names);
}

/** The capabilities of a case holding sources of these names. */
export function capabilitiesOf(names: Iterable<FormatName>): Capability[] {
  const out = new Set<Capability>();
  for (const name of names) for (const c of formatNamed(name)?.capabilities ?? []) out.add(c);
  return [...out];
}

/** What the source layer needs to recognise evidence: every format's sniffer, and how to say what was expected. */
export const EVIDENCE_SNIFFERS: { sniffers: readonly FormatSniffer[]; expected: string } = {
  sniffers: FORMATS.map((f) => f.sniff),
  expected: expectedPhrase(),
};

/** "a capture (scap, pcap, pcapng), a heap dump (HPROF)": formats grouped by the kind of file they are. */
function expectedPhrase(): string {
  const kinds = new Map<string, string[]>();
  for (const f of FORMATS) kinds.set(f.noun.kind, [...(kinds.get(f.noun.kind) ?? []), ...f.noun.names]);
  return [...kinds].map(([kind, names]) => `${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind} (${names.join(', ')})`).join(', ');
}

// Is this a Java heap dump? "JAVA PROFILE 1.0.x", NUL, then the u4 identifier size.

import type { FormatSniffer } from '../../../../parsers/source/format-sniffer';
import { HPROF_PREFIX, HPROF_VERSIONS } from './magic';
import { printableText } from '../../../../common/format';

export const sniffHprof: FormatSniffer = (prefix, complete) => {
  if (prefix.length < HPROF_PREFIX.length) return null;
  for (let i = 0; i < HPROF_PREFIX.length; i++) if (prefix[i] !== HPROF_PREFIX.charCodeAt(i)) return null;
  const nul = prefix.indexOf(0);
  if (nul < 0) {
    if (!complete && prefix.length < 64) return { kind: 'need-more', bytes: 64 };
    return { kind: 'rejected', found: 'an HPROF-like header with no end to its version string' };
  }
  const version = new TextDecoder('latin1').decode(prefix.subarray(0, nul));
  if (!(HPROF_VERSIONS as readonly string[]).includes(version)) {
    return { kind: 'rejected', found: `an HPROF header of unsupported version '${printableText(version)}' (capscope reads ${HPROF_VERSIONS.map((v) => v.slice(HPROF_PREFIX.length)).join(', ')})` };
  }
  if (prefix.length < nul + 5) {
    return complete ? { kind: 'rejected', found: `an HPROF header cut short after ${prefix.length} bytes` } : { kind: 'need-more', bytes: nul + 13 };
  }
  const idSize = new DataView(prefix.buffer, prefix.byteOffset + nul + 1, 4).getUint32(0, false);
  return { kind: 'evidence', format: 'hprof', detail: `HPROF ${version.slice(HPROF_PREFIX.length)}, ${idSize}-byte identifiers` };
};

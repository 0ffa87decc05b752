import type { FindingEvidence } from '../../../core/domain/findings/contract';
import { formatBytePlace } from '../../../common/format';

/** Where a piece of evidence is: a stream, or bytes of one of its directions ("line at byte 17, '/' at byte 21"). */
export function evidenceWhere(e: FindingEvidence): string {
  if (e.dir === null) return `stream ${e.streamId}`;
  const line = e.lineOffset === null ? null : { offset: e.lineOffset, text: e.excerpt };
  return `stream ${e.streamId}, ${e.dir === 'in' ? 'received' : 'sent'}: ${formatBytePlace(e.offset, line)}`;
}

import type { FindingEvidence } from '../../../core/domain/findings/contract';
import { formatCount } from '../../format';

/** Where a piece of evidence is: a stream, or a byte of one of its directions. */
export function evidenceWhere(e: FindingEvidence): string {
  if (e.dir === null) return `stream ${e.streamId}`;
  return `stream ${e.streamId}, ${e.dir === 'in' ? 'received' : 'sent'} byte ${formatCount(e.offset)}`;
}

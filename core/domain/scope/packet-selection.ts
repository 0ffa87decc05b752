// Which packets of a network capture a request means, as SQL over the packets table (aliased p):
// one connection's, those of the streams the filter keeps (the filter is over streams, so a packet
// outside any stream, an ARP or an ICMP, is kept only when no filter is in force), and those in the
// time range. The packet list and the packet export choose alike through it.

import type { SqlParam } from '../../filter/language';
import { compileScopeFilter, type NsRange } from './view-scope';

export interface PacketSelection {
  streamId?: number;
  filter?: string;
  range?: NsRange | null;
}

export function packetSelectionWhere(sel: PacketSelection): { where: string; params: SqlParam[] } {
  const where: string[] = [];
  const params: SqlParam[] = [];
  if (sel.streamId !== undefined) {
    where.push('p.stream_id = ?');
    params.push(sel.streamId);
  }
  if (sel.filter) {
    const f = compileScopeFilter(sel.filter, 'streams');
    where.push(`p.stream_id IN (SELECT s.id FROM streams s WHERE ${f.where})`);
    params.push(...f.params);
  }
  if (sel.range) {
    where.push('p.ts BETWEEN ? AND ?');
    params.push(sel.range.from, sel.range.to);
  }
  return { where: where.length > 0 ? where.join(' AND ') : '1', params };
}

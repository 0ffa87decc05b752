// The findings domain: what the analyses found, errors first, each with the places in the capture
// it points at. Types only, like every contract: the browser bundle imports this file.

import type { Severity } from '../../../common/evidence';
import type { PageRequest, ViewScope } from '../../api/wire';
import type { StreamDir } from '../streams/contract';

/** A place in the capture a finding points at: bytes of one stream direction, or a whole stream. */
export interface FindingEvidence {
  streamId: number;
  /** Null when the evidence is a whole stream (the exchange it is about). */
  dir: StreamDir | null;
  offset: number;
  length: number;
  excerpt: string;
}

export interface FindingRow {
  id: number;
  kind: string;
  severity: Severity;
  title: string;
  explanation: string;
  cause: string | null;
  exchangeId: number | null;
  evidence: FindingEvidence[];
  /** The heap dump object it is about (a leak suspect's holder), opened in the heap view; null for none. */
  heapObject: { sourceId: number; objectId: string } | null;
}

export interface FindingsMethods {
  /** Findings, errors first; scope narrows those tied to one exchange (by its request time and the HTTP filter). */
  'findings.list': { req: { caseId: string; scope?: ViewScope } & PageRequest; res: { total: number; rows: FindingRow[] } };
}

// A record, not an array, so that the compiler insists every method of the map is listed.
export const FINDINGS_METHOD_NAMES: Record<keyof FindingsMethods, true> = {
  'findings.list': true,
};

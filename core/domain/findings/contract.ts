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
  /**
   * When the evidence is a line with an offending byte in it (a malformed header line): where that
   * line starts in the direction's bytes; offset is the offending byte, excerpt the line. Else null.
   */
  lineOffset: number | null;
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

/** One problem found many times: the findings of one kind and cause that read the same (./group-key.ts). */
export interface FindingGroupRow {
  /** Names the group to `findings.list` to page its members. */
  key: string;
  kind: string;
  severity: Severity;
  cause: string | null;
  /** The first member's title; `sameTitle` says whether the others' read the same (numbers aside). */
  title: string;
  sameTitle: boolean;
  count: number;
  /** The first and last member's request time (ns), null when no member is about an exchange. */
  firstTs: string | null;
  lastTs: string | null;
  /** The servers ('addr:port') whose exchanges the members are about, most often first. */
  endpoints: { server: string; count: number }[];
  /**
   * When every member is a response of one status: how many responses its endpoints gave in scope,
   * for the banner "49 of 85 responses from 127.0.0.1:8080 were 502 Bad Gateway (57.6 %)".
   */
  share: { count: number; of: number; status: number; reason: string | null } | null;
  /** The first member in full: the others differ in ports, times and streams. */
  first: FindingRow;
}

export interface FindingGroups {
  /** Findings in scope: the panel's count, the same as the overview's Findings tile. */
  total: number;
  groups: FindingGroupRow[];
  /** Findings about no single exchange (a rate over the whole capture), left out while a range or a filter narrows the view. */
  leftOut: number;
  /** Why the filter does not narrow the findings, or null. */
  note: string | null;
}

export interface FindingsMethods {
  /**
   * Findings, errors first, or the members of one group; the scope keeps those whose exchange it
   * holds (./finding-scope.ts).
   */
  'findings.list': { req: { caseId: string; scope?: ViewScope; group?: string } & PageRequest; res: { total: number; rows: FindingRow[] } };
  /** The findings in scope grouped by kind, cause and what they read (the report's groups), worst first. */
  'findings.groups': { req: { caseId: string; scope?: ViewScope }; res: FindingGroups };
}

// A record, not an array, so that the compiler insists every method of the map is listed.
export const FINDINGS_METHOD_NAMES: Record<keyof FindingsMethods, true> = {
  'findings.list': true,
  'findings.groups': true,
};

// Which sources of an open case can show something, asked by capability (the formats declare
// theirs in core/registry/formats.ts): the read side never tests a format's name.

import type Database from 'better-sqlite3';
import type { Capability, FormatName } from '../../../common/evidence';
import { capabilitiesOf, namesWith } from '../../registry/formats';

/** `format IN (?, …)` over the names of the formats with a capability, and those names to bind. */
export function formatWith(capability: Capability, column = 'format'): { where: string; params: FormatName[] } {
  const names = namesWith(capability);
  return { where: `${column} IN (${names.map(() => '?').join(', ')})`, params: names };
}

/** Ids of the case's sources whose format has the capability, in source order. */
export function sourcesWith(db: Database.Database, capability: Capability): number[] {
  const { where, params } = formatWith(capability);
  return db.prepare(`SELECT id FROM sources WHERE ${where} ORDER BY id`).pluck().all(...params) as number[];
}

export function hasSourceWith(db: Database.Database, capability: Capability): boolean {
  const { where, params } = formatWith(capability);
  return db.prepare(`SELECT 1 FROM sources WHERE ${where} LIMIT 1`).get(...params) !== undefined;
}

/** Whether a source of this format name has the capability. */
export function formatHas(format: FormatName, capability: Capability): boolean {
  return capabilitiesOf([format]).includes(capability);
}

/** What the case's sources can show, together. */
export function caseCapabilities(db: Database.Database): Capability[] {
  return capabilitiesOf(db.prepare('SELECT DISTINCT format FROM sources').pluck().all() as FormatName[]);
}

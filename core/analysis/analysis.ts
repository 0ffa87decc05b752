// What an analysis is to the rest of capscope: a pass over the index once the evidence is read,
// declared by the analysis's own folder (core/analysis/<name>/analysis.ts) and listed once, in the
// order they run, in core/registry/analyses.ts. Each says which tables it reads (filled by the
// formats' ingest or by analyses listed before it) and which it writes, and declares its own.

import type Database from 'better-sqlite3';
import type { Diagnostic, ListedCatalogue } from '../../common/diagnostics';
import type { TableDeclaration } from '../index/schema/declaration';

export interface Analysis {
  /** For people and for the ingest's diagnostics ("overview rollup"). */
  name: string;
  /** Tables it reads, which must be filled before it runs. */
  reads: readonly string[];
  /** Tables it fills (or clears). */
  writes: readonly string[];
  /** The diagnostics it may write, its summary's among them (docs/diagnostics.md lists them). */
  diagnostics: readonly ListedCatalogue[];
  /** The tables it owns: declared here, created with the rest of the index's schema. */
  tables: readonly TableDeclaration[];
  /** Runs it; returns its summary for the diagnostics ("85 HTTP exchanges", declared in its catalogue), or null. */
  run(db: Database.Database): Diagnostic | null | Promise<Diagnostic | null>;
}

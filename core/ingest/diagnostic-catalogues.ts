// Every diagnostic catalogue, listed once: what an ingest can write to a case's diagnostics (and
// the HTTP analysis to its exchanges). docs/diagnostics.md is generated from this list
// (scripts/diagnostics-doc.ts) and a test keeps the two in step. A module that declares a
// catalogue adds it here.

import type { DiagnosticCatalogue } from '../../common/diagnostics';
import { HPROF_DIAGNOSTICS } from '../../parsers/hprof/diagnostics';
import { HTTP_DIAGNOSTICS } from '../../parsers/http/diagnostics';
import { PCAP_DIAGNOSTICS } from '../../parsers/pcap/diagnostics';
import { SCAP_DIAGNOSTICS } from '../../parsers/scap/diagnostics';
import { FINDINGS_DIAGNOSTICS } from '../analysis/findings/diagnostics';
import { HTTP_ANALYSIS_DIAGNOSTICS } from '../analysis/http/diagnostics';
import { HEAP_DIAGNOSTICS } from '../formats/hprof/diagnostics';
import { PCAP_INGEST_DIAGNOSTICS } from '../formats/pcap/diagnostics';
import { SCAP_INGEST_DIAGNOSTICS } from '../formats/scap/diagnostics';
import { ANALYSIS_DIAGNOSTICS, INGEST_DIAGNOSTICS } from './diagnostics';

export interface ListedCatalogue {
  /** Where it is declared, for the document. */
  file: string;
  catalogue: DiagnosticCatalogue;
}

/** In the order of the data flow: parsers, formats' ingests, the pipeline, the analyses. */
export const DIAGNOSTIC_CATALOGUES: readonly ListedCatalogue[] = [
  { file: 'parsers/scap/diagnostics.ts', catalogue: SCAP_DIAGNOSTICS },
  { file: 'core/formats/scap/diagnostics.ts', catalogue: SCAP_INGEST_DIAGNOSTICS },
  { file: 'parsers/pcap/diagnostics.ts', catalogue: PCAP_DIAGNOSTICS },
  { file: 'core/formats/pcap/diagnostics.ts', catalogue: PCAP_INGEST_DIAGNOSTICS },
  { file: 'parsers/hprof/diagnostics.ts', catalogue: HPROF_DIAGNOSTICS },
  { file: 'core/formats/hprof/diagnostics.ts', catalogue: HEAP_DIAGNOSTICS },
  { file: 'parsers/http/diagnostics.ts', catalogue: HTTP_DIAGNOSTICS },
  { file: 'core/ingest/diagnostics.ts', catalogue: INGEST_DIAGNOSTICS },
  { file: 'core/ingest/diagnostics.ts', catalogue: ANALYSIS_DIAGNOSTICS },
  { file: 'core/analysis/http/diagnostics.ts', catalogue: HTTP_ANALYSIS_DIAGNOSTICS },
  { file: 'core/analysis/findings/diagnostics.ts', catalogue: FINDINGS_DIAGNOSTICS },
];

export interface DeclaredDiagnostic {
  code: string;
  file: string;
  severity: string;
  group: string;
  template: string;
}

/** Every declared diagnostic with its full code, in the catalogues' order. */
export function declaredDiagnostics(): DeclaredDiagnostic[] {
  return DIAGNOSTIC_CATALOGUES.flatMap(({ file, catalogue }) =>
    Object.entries(catalogue.definitions).map(([name, d]) => ({ code: `${catalogue.module}.${name}`, file, severity: d.severity, group: d.group, template: d.template })),
  );
}

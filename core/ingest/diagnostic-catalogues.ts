// Every diagnostic catalogue: what an ingest can write to a case's diagnostics (and the HTTP
// analysis to its exchanges). Each format's and each analysis's descriptor lists its own, so a new
// format or analysis brings its catalogues with its one registration line; the pipeline's are
// added here. docs/diagnostics.md is generated from this list (scripts/diagnostics-doc.mjs) and a
// test keeps the two in step.

import type { ListedCatalogue } from '../../common/diagnostics';
import { ANALYSES } from '../registry/analyses';
import { FORMATS } from '../registry/formats';
import { ANALYSIS_DIAGNOSTICS, INGEST_DIAGNOSTICS } from './diagnostics';

export type { ListedCatalogue } from '../../common/diagnostics';

/** In the order of the data flow: each format's parser and ingest, the pipeline, the analyses. */
export const DIAGNOSTIC_CATALOGUES: readonly ListedCatalogue[] = [
  ...FORMATS.flatMap((f) => f.diagnostics),
  { file: 'core/ingest/diagnostics.ts', catalogue: INGEST_DIAGNOSTICS },
  { file: 'core/ingest/diagnostics.ts', catalogue: ANALYSIS_DIAGNOSTICS },
  ...ANALYSES.flatMap((a) => a.diagnostics),
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

// The HTTP analysis: what each stream carries, and its HTTP/1 and HTTP/2 exchanges.

import type { Analysis } from '../analysis';
import { HTTP_DIAGNOSTICS } from '../../../parsers/http/diagnostics';
import { HTTP2_DIAGNOSTICS } from '../../../parsers/http2/diagnostics';
import { HTTP_ANALYSIS_DIAGNOSTICS } from './diagnostics';
import { analyseHttp } from './analyse-http';
import { HTTP_TABLES } from './tables';

export const httpAnalysis: Analysis = {
  name: 'http',
  // containers: the server side's container name, for a syscall capture.
  reads: ['streams', 'chunks', 'containers'],
  // It starts over, and the findings hang on the exchanges it replaces.
  writes: ['stream_protocols', 'http_exchanges', 'http_diagnostics', 'http2_goaways', 'http2_connections', 'findings'],
  tables: HTTP_TABLES,
  diagnostics: [
    { file: 'parsers/http/diagnostics.ts', catalogue: HTTP_DIAGNOSTICS },
    { file: 'parsers/http2/diagnostics.ts', catalogue: HTTP2_DIAGNOSTICS },
    { file: 'core/analysis/http/diagnostics.ts', catalogue: HTTP_ANALYSIS_DIAGNOSTICS },
  ],
  run: (db) => {
    const r = analyseHttp(db);
    return r.exchanges > 0 ? HTTP_ANALYSIS_DIAGNOSTICS.emit('summary', { exchanges: r.exchanges, diagnostics: r.diagnostics }) : null;
  },
};

// Writes docs/diagnostics.md from the diagnostic catalogues (core/ingest/diagnostics-doc.ts):
//   node scripts/diagnostics-doc.mjs
// Run it after adding or changing a diagnostic; test/architecture/diagnostics-doc.test.ts fails
// until the document says what the catalogues say.
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'capscope-diagnostics-doc-'));
try {
  // The catalogues are TypeScript; bundle the renderer to run it here.
  const bundle = path.join(scratch, 'diagnostics-doc.mjs');
  // Some bundled dependencies are CommonJS (yaml, for the Falco rules) and require Node's built-ins.
  const banner = { js: "import { createRequire as __capscopeCreateRequire } from 'node:module'; const require = __capscopeCreateRequire(import.meta.url);" };
  await build({ entryPoints: [path.join(root, 'core/ingest/diagnostics-doc.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'warning', banner });
  const { renderDiagnosticsDoc } = await import(pathToFileURL(bundle).href);
  fs.writeFileSync(path.join(root, 'docs/diagnostics.md'), renderDiagnosticsDoc());
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}

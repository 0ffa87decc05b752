// Renders docs/diagnostics.md from the catalogues, so the document cannot drift from the code:
// scripts/diagnostics-doc.mjs writes it, test/architecture/diagnostics-doc.test.ts compares.

import { DIAGNOSTIC_CATALOGUES } from './diagnostic-catalogues';

const HEADER = `# Diagnostics

Every diagnostic capscope writes is declared once, in a catalogue beside the module that emits it
(\`defineDiagnostics\` in common/diagnostics.ts), with a code, a severity, a group and a message
template; the module emits it by code with the template's values. The index stores the code with
each diagnostic; the UI's diagnostics tab, \`capscope index\`, \`capscope heap --json\` and the
report show it.

- **Code**: \`module.name\`. HTTP diagnostics are stored per exchange and keep their public codes
  (\`capscope http --json\`, the report's HTTP section) without the \`http.\` prefix.
- **Group**: malformed, truncated, unsupported, protocol, limit, skipped, failure or summary.
- **Template**: \`{name}\` is a value; \`{n:one|many}\` is the word that agrees with the number \`n\`.
  A diagnostic about a place in a scap or pcap file starts with that place
  (\`/evidence/x.pcap at byte 1234: …\`).

Generated from core/ingest/diagnostic-catalogues.ts by \`node scripts/diagnostics-doc.mjs\`; do not
edit by hand.
`;

export function renderDiagnosticsDoc(): string {
  let codes = 0;
  const sections = DIAGNOSTIC_CATALOGUES.map(({ file, catalogue }) => {
    const rows = Object.entries(catalogue.definitions).map(([name, d]) => `| \`${catalogue.module}.${name}\` | ${d.severity} | ${d.group} | ${cell(d.template)} |`);
    codes += rows.length;
    return [`## ${catalogue.module}: ${file}`, '', '| Code | Severity | Group | Template |', '| --- | --- | --- | --- |', ...rows].join('\n');
  });
  return `${HEADER}\n${sections.join('\n\n')}\n\n${codes} codes.\n`;
}

/** A template as a table cell: pipes escaped, so plural forms do not split the row. */
function cell(template: string): string {
  return template.replace(/\|/g, '\\|');
}

// Rows exported whole, as every table's Export writes them: CSV for a spreadsheet (times as UTC
// timestamps with every digit) or JSON for a program (times as the API gives them: ns since the
// epoch as decimal strings), with the columns' ids and labels.

export type ExportFormat = 'csv' | 'json';

export interface ExportColumn {
  id: string;
  label: string;
  /** A 'time' column holds ns since the epoch as a decimal string. */
  kind: string;
}

export type ExportCell = string | number | boolean | null;

export function exportText(format: ExportFormat, columns: readonly ExportColumn[], rows: readonly ExportCell[][]): { text: string; mediaType: string } {
  return format === 'csv' ? { text: toCsv(columns, rows), mediaType: 'text/csv' } : { text: toJson(columns, rows), mediaType: 'application/json' };
}

function toCsv(columns: readonly ExportColumn[], rows: readonly ExportCell[][]): string {
  const lines = [columns.map((c) => csvField(c.label)).join(',')];
  for (const row of rows) lines.push(row.map((value, i) => csvField(columns[i]!.kind === 'time' && value !== null ? utcTimestamp(String(value)) : value)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
function csvField(value: ExportCell): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** ns since the epoch as `2026-11-22T06:51:56.421009123Z`: every digit kept. */
export function utcTimestamp(ns: string): string {
  const value = BigInt(ns);
  const seconds = value / 1_000_000_000n;
  const fraction = (value % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}

function toJson(columns: readonly ExportColumn[], rows: readonly ExportCell[][]): string {
  const objects = rows.map((row) => Object.fromEntries(columns.map((c, i) => [c.id, row[i] ?? null])));
  return `${JSON.stringify({ columns: columns.map(({ id, label, kind }) => ({ id, label, kind })), rows: objects }, null, 1)}\n`;
}

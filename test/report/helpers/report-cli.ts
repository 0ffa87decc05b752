// Runs `capscope report` (the built CLI) into a scratch cache, and reads Markdown reports back as
// a Markdown parser sees them (tables by the heading they follow).

import { marked, type Tokens } from 'marked';
import path from 'node:path';
import { capscopeAsync, type CliResult } from '../../helpers/cli';
import { scratchDir } from '../../helpers/paths';

export function reportRunner(label: string): { run(args: string[]): Promise<CliResult>; dir: string } {
  const dir = scratchDir(`report-${label}`);
  const env = { CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') };
  return { dir, run: (args) => capscopeAsync(['report', ...args], env) };
}

/** The first table after the heading whose text is `heading`, as rows of cell texts. */
export function tableAfter(markdown: string, heading: string): string[][] {
  const tokens = marked.lexer(markdown);
  const at = tokens.findIndex((t) => t.type === 'heading' && (t as Tokens.Heading).text === heading);
  if (at < 0) throw new Error(`no heading '${heading}'`);
  const table = tokens.slice(at + 1).find((t) => t.type === 'table' || t.type === 'heading') as Tokens.Table | Tokens.Heading | undefined;
  if (!table || table.type !== 'table') throw new Error(`no table under '${heading}'`);
  // A cell's text as read: code spans without their backticks, escapes resolved.
  const text = (cell: Tokens.TableCell) => cell.tokens.map((t) => ('text' in t ? String(t.text) : t.raw)).join('').trim();
  return [table.header.map(text), ...table.rows.map((r) => r.map(text))];
}

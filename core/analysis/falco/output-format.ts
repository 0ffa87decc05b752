// A rule's output string as Falco reads it: text with `%field` tokens (`%proc.cmdline`,
// `%proc.aname[2]`, `%evt.arg.path`, also `%(field)`), each printed with the field's value at the
// alert's event, `<NA>` where it has none. Pure: the values come from the caller.

export type OutputPart = { text: string } | { field: string };

/** The parts of `output`, or the first token that is not a field name (Falco refuses those). */
export function parseOutput(output: string): { parts: OutputPart[] } | { badToken: string } {
  const parts: OutputPart[] = [];
  let text = '';
  let i = 0;
  while (i < output.length) {
    const c = output[i]!;
    if (c !== '%') {
      text += c;
      i++;
      continue;
    }
    const token = readToken(output, i + 1);
    if (!token) return { badToken: output.slice(i + 1, i + 2) || '%' };
    if (text) parts.push({ text });
    text = '';
    parts.push({ field: token.field });
    i = token.end;
  }
  if (text) parts.push({ text });
  return { parts };
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*(\[[^\]\s]*\])?/y;

function readToken(s: string, at: number): { field: string; end: number } | null {
  if (s[at] === '(') {
    const close = s.indexOf(')', at);
    return close > at + 1 ? { field: s.slice(at + 1, close).trim(), end: close + 1 } : null;
  }
  NAME.lastIndex = at;
  const m = NAME.exec(s);
  return m ? { field: m[0], end: at + m[0].length } : null;
}

/** The fields an output names, each once. */
export function outputFields(parts: readonly OutputPart[]): string[] {
  const fields: string[] = [];
  for (const p of parts) if ('field' in p && !fields.includes(p.field)) fields.push(p.field);
  return fields;
}

/** The output with each field's printed value; a missing one is `<NA>`, as Falco prints it. */
export function formatOutput(parts: readonly OutputPart[], values: ReadonlyMap<string, string | null>): string {
  return parts.map((p) => ('text' in p ? p.text : (values.get(p.field) ?? '<NA>'))).join('');
}

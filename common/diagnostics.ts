// Diagnostics as Wireshark's expert infos and Perfetto's stats.h have them: each module declares
// the diagnostics it can emit once, in a catalogue beside it (code, severity, group, message
// template), and emits them by code with the template's values. The catalogues are listed in
// core/ingest/diagnostic-catalogues.ts, which docs/diagnostics.md is generated from.
//
// The types make a wrong code or a missing value a compile error: `emit` takes only the names its
// catalogue declares, and the values its template names. Browser-safe; imports only common/.

import type { Severity } from './evidence';

/** What kind of trouble a diagnostic reports, for grouping them (Wireshark's PI_ groups). */
export type DiagnosticGroup =
  /** Bytes that break the format's rules. */
  | 'malformed'
  /** The data ends before what it announces. */
  | 'truncated'
  /** Sound data that this capscope does not read (unknown types, link layers, versions). */
  | 'unsupported'
  /** Legal framing, but a use of the protocol that endangers how peers read it (HTTP). */
  | 'protocol'
  /** A bound capscope keeps (memory, the number of repeats listed) was reached. */
  | 'limit'
  /** Whole entries left out of the case. */
  | 'skipped'
  /** Something stopped: an entry, the evidence file, an analysis. */
  | 'failure'
  /** What was read: counts and timings, not a problem. */
  | 'summary';

export interface DiagnosticDefinition {
  readonly severity: Severity;
  readonly group: DiagnosticGroup;
  /**
   * The message, with `{name}` for a value and `{name:singular|plural}` for a word that agrees
   * with the number `name` ("{count} {count:packet|packets}").
   */
  readonly template: string;
}

/** One emitted diagnostic: the code (`module.name`), the definition's severity, the rendered message. */
export interface Diagnostic<Code extends string = string> {
  readonly code: Code;
  readonly severity: Severity;
  readonly message: string;
}

/** The names a template's placeholders use: "{n} {n:byte|bytes} of {what}" → 'n' | 'what'. */
export type TemplateNames<T extends string> = T extends `${string}{${infer Placeholder}}${infer Rest}`
  ? (Placeholder extends `${infer Name}:${string}` ? Name : Placeholder) | TemplateNames<Rest>
  : never;

export type TemplateValues<T extends string> = { readonly [Name in TemplateNames<T>]: string | number };

/** `emit`'s arguments after the name: the values object, or nothing when the template has none. */
type ValuesArgument<T extends string> = [TemplateNames<T>] extends [never] ? [] : [values: TemplateValues<T>];

export interface DiagnosticCatalogue<Module extends string = string, Definitions extends Record<string, DiagnosticDefinition> = Record<string, DiagnosticDefinition>> {
  /** The codes' prefix: "scap" for `scap.block-fault`. */
  readonly module: Module;
  readonly definitions: Definitions;
  emit<Name extends keyof Definitions & string>(name: Name, ...values: ValuesArgument<Definitions[Name]['template']>): Diagnostic<`${Module}.${Name}`>;
}

/** A catalogue with the file that declares it, as the descriptor that owns it lists it (for docs/diagnostics.md). */
export interface ListedCatalogue {
  file: string;
  catalogue: DiagnosticCatalogue;
}

/** Declares a module's diagnostics. The names are kebab-case; codes are `${module}.${name}`. */
export function defineDiagnostics<const Module extends string, const Definitions extends Record<string, DiagnosticDefinition>>(
  module: Module,
  definitions: Definitions,
): DiagnosticCatalogue<Module, Definitions> {
  return {
    module,
    definitions,
    emit(name, ...values) {
      const definition = definitions[name]!;
      const given = (values[0] ?? {}) as Record<string, string | number>;
      return { code: `${module}.${name}`, severity: definition.severity, message: renderTemplate(definition.template, given) };
    },
  };
}

/** Fills a template's placeholders; a placeholder without a value is left as written. */
export function renderTemplate(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{([a-zA-Z][\w]*)(?::([^|{}]*)\|([^{}]*))?\}/g, (whole, name: string, singular?: string, plural?: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    if (singular === undefined) return String(value);
    return Number(value) === 1 ? singular : plural!;
  });
}

/** A diagnostic about a place in a file: its message starts with the place ("x.pcap at byte 12: …"). */
export function locatedAt<Code extends string>(place: string, d: Diagnostic<Code>): Diagnostic<Code> {
  return { ...d, message: `${place}: ${d.message}` };
}

/**
 * The first `limit` diagnostics of each kind, and a count of the rest: a file with a million of one
 * fault costs a counter, not a million messages. The diagnostic is made only when it is reported.
 */
export class DiagnosticCap {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly sink: (offset: number | null, d: Diagnostic) => void,
  ) {}

  report(kind: string, offset: number | null, make: () => Diagnostic): void {
    const n = (this.seen.get(kind) ?? 0) + 1;
    this.seen.set(kind, n);
    if (n <= this.limit) this.sink(offset, make());
  }

  /** Each kind reported more than `limit` times, with how many were not listed; then starts over. */
  drainUnlisted(): [kind: string, unlisted: number][] {
    const out: [string, number][] = [];
    for (const [kind, n] of this.seen) if (n > this.limit) out.push([kind, n - this.limit]);
    this.seen.clear();
    return out;
  }
}

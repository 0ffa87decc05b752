// Whether a field named in a rule can be evaluated over the index, is Falco's but not capscope's
// (the rule is skipped and says so), or is no Falco field at all (an error, as Falco has it).

import { compileTree } from '../../filter/compile';
import { FilterError } from '../../filter/filter-error';
import { DOTTED_ARGUMENT_FIELDS, FALCO_FIELD_NAMES } from './falco-field-names';

export type FieldSupport = 'supported' | 'not-supported' | 'unknown';

const cache = new Map<string, FieldSupport>();

export function fieldSupport(written: string): FieldSupport {
  let known = cache.get(written);
  if (known === undefined) {
    known = evaluable(written) ? 'supported' : isFalcoField(written) ? 'not-supported' : 'unknown';
    cache.set(written, known);
  }
  return known;
}

/** The filter compiler takes it for syscall events (its own test: the same code that compiles rules). */
function evaluable(written: string): boolean {
  try {
    compileTree({ kind: 'exists', field: written, column: 1 }, 'events');
    return true;
  } catch (err) {
    if (err instanceof FilterError) return false;
    throw err;
  }
}

function isFalcoField(written: string): boolean {
  const bracket = written.indexOf('[');
  const base = bracket >= 0 ? written.slice(0, bracket) : written;
  return FALCO_FIELD_NAMES.has(base) || DOTTED_ARGUMENT_FIELDS.some((f) => base.startsWith(`${f}.`));
}

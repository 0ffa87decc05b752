// The one way HTML is written for a report: a tagged template that escapes every value it is
// given (escape.ts), unless the value is itself the output of this template. Markup comes only
// from the template's literal text, which is ours; captured bytes can only ever be values.

import { escapeHtml } from './escape';

export class SafeHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.html;
  if (Array.isArray(value)) return value.map(render).join('');
  // `cond && html`...`` leaves false behind when the condition fails: it renders as nothing.
  if (value === null || value === undefined || value === false || value === true) return '';
  return escapeHtml(String(value));
}

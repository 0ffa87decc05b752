// What makes two findings one problem: the same kind and cause, a title that reads the same once
// its numbers (ports, streams, milliseconds) are set aside, and the same offending bytes. The app's
// grouped findings and the report's both group by it, so the two count the same groups.

export interface GroupableFinding {
  kind: string;
  cause: string | null;
  title: string;
  /** The excerpt of the finding's first evidence ('' when it has none). */
  firstExcerpt: string;
}

export function findingGroupKey(f: GroupableFinding): string {
  return [f.kind, f.cause ?? '', f.title.replace(/\d+/g, '#'), f.firstExcerpt].join('\u0000');
}

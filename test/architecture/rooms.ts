// The rooms of the house and which may import which: the layering of docs/architecture.md as data.
// A room may import itself and any room of a lower rank; the renderer sees only the contract.
// First matching pattern wins, so the narrow rooms (a format's schema) come before the wide ones.

export interface Room {
  name: string;
  rank: number;
  /** Matched against a repository-relative path with '/' separators. */
  pattern: RegExp;
  /** Rooms this one may import besides itself, when lower ranks are not all allowed (the renderer). */
  only?: readonly string[];
}

export const ROOMS: readonly Room[] = [
  { name: 'common', rank: 0, pattern: /^common\// },
  // Pure decoders: the source layers and protocols, and each format's own parser folder.
  { name: 'parsers', rank: 1, pattern: /^(parsers\/|core\/formats\/[^/]+\/parser\/)/ },
  { name: 'api', rank: 2, pattern: /^core\/(api\.ts$|api\/|domain\/[^/]+\/contract\.ts$)/ },
  { name: 'schema', rank: 3, pattern: /^core\/(formats\/[^/]+\/schema\/|index\/schema\/)/ },
  { name: 'index', rank: 4, pattern: /^core\/index\// },
  // The filter compiler needs only the index's SQL functions and the scap schema and parser, and the
  // analyses compile Falco's rules with it: it sits below them.
  { name: 'filter', rank: 5, pattern: /^core\/filter\// },
  { name: 'analysis', rank: 6, pattern: /^core\/analysis\// },
  { name: 'registry', rank: 8, pattern: /^core\/registry\// },
  { name: 'formats', rank: 7, pattern: /^core\/formats\// },
  { name: 'ingest', rank: 9, pattern: /^core\/ingest\// },
  { name: 'read', rank: 10, pattern: /^core\/domain\// },
  { name: 'app', rank: 11, pattern: /^core\/app\// },
  { name: 'server', rank: 12, pattern: /^core\/server\// },
  { name: 'cli', rank: 13, pattern: /^core\/cli\// },
  { name: 'electron', rank: 14, pattern: /^electron\// },
  { name: 'renderer', rank: 14, pattern: /^renderer\//, only: ['api', 'common'] },
];

export function roomOf(file: string): Room | null {
  return ROOMS.find((r) => r.pattern.test(file)) ?? null;
}

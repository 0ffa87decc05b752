// What the findings panel remembers of a case while the app runs: which groups were expanded (and
// how many of their members shown), and the finding whose evidence was opened last. The panel is
// unmounted when a stream opens from it; coming back (Backspace, the browser's Back) it reads this
// and shows the list as it was, scrolled to that finding.

interface FindingsMemory {
  /** Group key → members shown. */
  expanded: Map<string, number>;
  /** The finding whose evidence link was followed: its group and, for a member, its id. */
  opened: { group: string; member: number | null } | null;
}

const memories = new Map<string, FindingsMemory>();

export function findingsMemory(caseId: string): FindingsMemory {
  let memory = memories.get(caseId);
  if (!memory) {
    memory = { expanded: new Map(), opened: null };
    memories.set(caseId, memory);
  }
  return memory;
}

/** The finding to bring back into view, once: null when none is waiting. */
export function takeOpened(caseId: string, group: string, member: number | null): boolean {
  const memory = findingsMemory(caseId);
  if (memory.opened?.group !== group || memory.opened.member !== member) return false;
  memory.opened = null;
  return true;
}

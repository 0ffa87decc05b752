// What the findings panel remembers of a case while the app runs: which groups were expanded (and
// how many of their members shown), and the finding whose evidence was opened last. The panel is
// unmounted when a stream opens from it; coming back (Backspace, the browser's Back) it reads this
// and shows the list as it was, scrolled to that finding.

/** Members shown when a group is expanded, and how many more each "show more" adds. */
export const MEMBER_PAGE = 20;

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

/**
 * Asks the panel to show a finding when it next shows (a bookmark opened): the n-th finding of its
 * group (0: the group's own card), its group expanded far enough to list it.
 */
export function showFinding(caseId: string, group: string, index: number, findingId: number): void {
  const memory = findingsMemory(caseId);
  if (index === 0) {
    memory.opened = { group, member: null };
    return;
  }
  const pages = Math.ceil((index + 1) / MEMBER_PAGE) * MEMBER_PAGE;
  memory.expanded.set(group, Math.max(memory.expanded.get(group) ?? 0, pages));
  memory.opened = { group, member: findingId };
}

/** The finding to bring back into view, once: null when none is waiting. */
export function takeOpened(caseId: string, group: string, member: number | null): boolean {
  const memory = findingsMemory(caseId);
  if (memory.opened?.group !== group || memory.opened.member !== member) return false;
  memory.opened = null;
  return true;
}

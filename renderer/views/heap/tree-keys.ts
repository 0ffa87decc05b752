// The keys of the heap view's expandable trees (the dominator tree grouped by class, the merged
// paths from GC roots): as a tree item in a file manager, Enter or → opens, ← closes.

import type { KeyboardEvent } from 'react';

/** Enter or → opens, ← closes (the item itself, not an item inside it). */
export function openByKey(event: KeyboardEvent, leaf: boolean, open: boolean, setOpen: (open: boolean) => void): void {
  if (event.target !== event.currentTarget || leaf) return;
  const next = event.key === 'ArrowRight' || (event.key === 'Enter' && !open) ? true : event.key === 'ArrowLeft' || (event.key === 'Enter' && open) ? false : null;
  if (next === null) return;
  event.preventDefault();
  event.stopPropagation();
  setOpen(next);
}

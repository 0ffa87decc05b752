import { useEffect } from 'react';
import type { DrillPath } from '../view-kit/case-view';

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

/**
 * Keys that work anywhere on the case page (but not while typing): / and s focus the filter,
 * Backspace goes back up the drill path from the views on it (the tables and a stream's bytes), or,
 * on a page opened from another view (a stream from a finding), back to where it was opened (`back`,
 * which says whether it went).
 */
export function useCaseKeys({ focusFilter, drillPath, onDrillPath, back }: { focusFilter(): void; drillPath: DrillPath; onDrillPath: boolean; back: (() => boolean) | null }) {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (event.key === '/' || event.key === 's') {
        event.preventDefault();
        focusFilter();
      } else if (event.key === 'Backspace' && drillPath.steps.length > 0 && onDrillPath) {
        event.preventDefault();
        drillPath.up(drillPath.steps.length - 1);
      } else if (event.key === 'Backspace' && back?.()) {
        event.preventDefault();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [focusFilter, drillPath, onDrillPath, back]);
}

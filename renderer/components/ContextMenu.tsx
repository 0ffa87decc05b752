import { useEffect, useRef, type KeyboardEvent } from 'react';

export interface MenuItem {
  label: string;
  /** Said after the label, in the code font (the clause a filter item puts in force). */
  detail?: string;
  onSelect(): void;
}

interface ContextMenuProps {
  label: string;
  items: readonly MenuItem[];
  /** Where it opens, in viewport pixels (the pointer, or the row for the keyboard). */
  at: { x: number; y: number };
  onClose(): void;
}

/**
 * A WAI-ARIA menu at a point: the first item takes focus, arrows move, Enter picks, Escape, a
 * click elsewhere or leaving it by Tab closes it.
 */
export function ContextMenu({ label, items, at, onClose }: ContextMenuProps) {
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const away = (event: MouseEvent) => {
      if (!menu.current?.contains(event.target as Node)) onClose();
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [onClose]);

  // Kept inside the window when opened near its right or bottom edge.
  const left = Math.max(4, Math.min(at.x, window.innerWidth - 340));
  const top = Math.max(4, Math.min(at.y, window.innerHeight - 40 - items.length * 30));

  function onKeyDown(event: KeyboardEvent) {
    const buttons = Array.from(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    const index = buttons.indexOf(document.activeElement as HTMLElement);
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: buttons.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      buttons[(moves[event.key]! + buttons.length) % buttons.length]?.focus();
    } else if (event.key === 'Escape' || event.key === 'Tab') {
      event.preventDefault();
      onClose();
    }
  }

  return (
    <div ref={menu} className="context-menu" role="menu" aria-label={label} style={{ left, top }} onKeyDown={onKeyDown}>
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className="context-menu-item"
          onClick={() => {
            onClose();
            item.onSelect();
          }}
        >
          {item.label}
          {item.detail !== undefined && <code className="context-menu-detail">{item.detail}</code>}
        </button>
      ))}
    </div>
  );
}

import { useRef, type KeyboardEvent } from 'react';
import { formatCount } from '../format';

export interface TabSpec<T extends string> {
  id: T;
  label: string;
  /** Shown after the label, e.g. a row count. */
  count?: number;
}

interface TabBarProps<T extends string> {
  label: string;
  tabs: readonly TabSpec<T>[];
  selected: T;
  onSelect(id: T): void;
  /** Prefix for element ids, so tab and panel can point at each other. */
  idPrefix: string;
}

export function tabId(prefix: string, tab: string): string {
  return `${prefix}-tab-${tab}`;
}

export function panelId(prefix: string, tab: string): string {
  return `${prefix}-panel-${tab}`;
}

/** WAI-ARIA tabs: one tab stop, Left/Right/Home/End move between tabs. */
export function TabBar<T extends string>({ label, tabs, selected, onSelect, idPrefix }: TabBarProps<T>) {
  const buttons = useRef(new Map<T, HTMLButtonElement>());

  function onKeyDown(event: KeyboardEvent) {
    const index = tabs.findIndex((t) => t.id === selected);
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const tab = tabs[(target + tabs.length) % tabs.length];
    if (!tab) return;
    onSelect(tab.id);
    buttons.current.get(tab.id)?.focus();
  }

  return (
    <div className="tab-bar" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map((tab) => (
        <button
          key={tab.id}
          ref={(el) => {
            if (el) buttons.current.set(tab.id, el);
            else buttons.current.delete(tab.id);
          }}
          type="button"
          role="tab"
          id={tabId(idPrefix, tab.id)}
          aria-controls={panelId(idPrefix, tab.id)}
          aria-selected={tab.id === selected}
          tabIndex={tab.id === selected ? 0 : -1}
          className="tab"
          onClick={() => onSelect(tab.id)}
        >
          {tab.label}
          {tab.count !== undefined && <span className="tab-count">{formatCount(tab.count)}</span>}
        </button>
      ))}
    </div>
  );
}

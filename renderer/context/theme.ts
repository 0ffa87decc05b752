// The colour theme: the system's (prefers-color-scheme, followed as it changes), or light or dark
// as the user chose, remembered in this browser. The choice lands on <html data-theme="…">, which
// styles.css reads; nothing else in the app knows about colours.

import { useCallback, useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_CHOICES: readonly { id: ThemeChoice; label: string }[] = [
  { id: 'system', label: 'System' },
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' },
];

const STORAGE_KEY = 'capscope.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

/** The theme choice and its setter; applies the resulting theme to the document while mounted. */
export function useTheme(): [ThemeChoice, (choice: ThemeChoice) => void] {
  const [choice, setChoice] = useState<ThemeChoice>(readSaved);

  useEffect(() => {
    const media = window.matchMedia(DARK_QUERY);
    const apply = () => {
      document.documentElement.dataset.theme = choice === 'system' ? (media.matches ? 'dark' : 'light') : choice;
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [choice]);

  const choose = useCallback((next: ThemeChoice) => {
    setChoice(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Storage refused (a private window): the choice lasts for this page.
    }
  }, []);
  return [choice, choose];
}

function readSaved(): ThemeChoice {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    return THEME_CHOICES.some((c) => c.id === saved) ? (saved as ThemeChoice) : 'system';
  } catch {
    return 'system';
  }
}

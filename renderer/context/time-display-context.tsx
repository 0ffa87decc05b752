import { createContext, useCallback, useContext, useState } from 'react';
import { DEFAULT_TIME_DISPLAY, TIME_FORMATS, type TimeDisplay, type TimeFormat } from '../formatting/time-display';

/** The case's time base (formatting/time-display.ts), given by the case shell to every view in it. */
export const TimeDisplayContext = createContext<TimeDisplay>(DEFAULT_TIME_DISPLAY);

export function useTimeDisplay(): TimeDisplay {
  return useContext(TimeDisplayContext);
}

const STORAGE_KEY = 'capscope.timeFormat';

/** The user's choice of time format, kept across cases and runs (like Wireshark's preference). */
export function useTimeFormat(): [TimeFormat, (format: TimeFormat) => void] {
  const [format, setFormat] = useState<TimeFormat>(() => {
    const saved = readSaved();
    return TIME_FORMATS.some((f) => f.id === saved) ? (saved as TimeFormat) : 'absolute';
  });
  const choose = useCallback((next: TimeFormat) => {
    setFormat(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Storage refused (a private window): the choice lasts for this page.
    }
  }, []);
  return [format, choose];
}

function readSaved(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

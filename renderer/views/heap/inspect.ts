import { createContext, useContext } from 'react';

/**
 * Opens an object in the heap view's object inspector (its path from a GC root, its references);
 * null outside the heap view, where object names are plain text.
 */
export const InspectObject = createContext<((objectId: string) => void) | null>(null);

export function useInspectObject(): ((objectId: string) => void) | null {
  return useContext(InspectObject);
}

/** A HPROF object id as the heap view's address carries it. */
export function isObjectId(s: string | undefined): s is string {
  return s !== undefined && /^0x[0-9a-f]{1,16}$/.test(s);
}

import { createContext, useContext } from 'react';
import type { ApiClient, AppInfo, CaseSummary, DesktopBridge } from '../../core/api';
import type { Navigate } from '../routing/route';

export interface AppContextValue {
  api: ApiClient;
  info: AppInfo;
  /** The desktop shell's extras; null in web mode. */
  bridge: DesktopBridge | null;
  navigate: Navigate;
  /** Opens a path with case.open and shows its case page; rejects with an ApiError. */
  openPath(path: string): Promise<CaseSummary>;
  /** Shows the case page of a case opened some other way (an upload). */
  showCase(summary: CaseSummary): void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp() outside <AppContext>');
  return value;
}

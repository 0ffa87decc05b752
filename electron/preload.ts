// Runs sandboxed in the page's isolated world: it may only require('electron'), and it hands the
// page exactly the DesktopBridge of core/api.ts, nothing of ipcRenderer itself.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { ApiMethod, ApiRequest, ApiResponse, DesktopBridge } from '../core/api';
import { API_CHANNEL, OPEN_PATH_CHANNEL, PICK_FILE_CHANNEL, type IpcReply } from './channels';

const openPathListeners = new Set<(path: string) => void>();
// Paths that arrive before the page subscribes (a file given on the command line arrives as
// soon as the page has loaded, before React has mounted).
const unclaimedPaths: string[] = [];

ipcRenderer.on(OPEN_PATH_CHANNEL, (_event, path: unknown) => {
  if (typeof path !== 'string') return;
  if (openPathListeners.size === 0) unclaimedPaths.push(path);
  else for (const listener of openPathListeners) listener(path);
});

const bridge = {
  async call<M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiResponse<M>> {
    const reply = (await ipcRenderer.invoke(API_CHANNEL, method, req)) as IpcReply;
    // Rejects with the error body itself: an Error's own fields (its code) would not survive the
    // context bridge, while plain data does. The renderer's client turns it into an ApiError.
    if ('error' in reply) throw reply;
    return reply.result as ApiResponse<M>;
  },
  async pickFile(): Promise<string | null> {
    const path: unknown = await ipcRenderer.invoke(PICK_FILE_CHANNEL);
    return typeof path === 'string' ? path : null;
  },
  pathForFile(file: File): string {
    return webUtils.getPathForFile(file);
  },
  onOpenPath(listener: (path: string) => void): () => void {
    openPathListeners.add(listener);
    for (const path of unclaimedPaths.splice(0)) listener(path);
    return () => {
      openPathListeners.delete(listener);
    };
  },
} satisfies DesktopBridge;

contextBridge.exposeInMainWorld('capscope', bridge);

import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { ApiError, isApiMethod, type ApiErrorBody, type ApiHandlers, type CaseSummary } from '../core/api';
import { FORMATS } from '../core/registry/formats';
import { APP_HOST, APP_SCHEME } from './app-protocol';
import { API_CHANNEL, PICK_FILE_CHANNEL, type IpcReply } from './channels';

/** The container layers' usual extensions (parsers/source unwraps them, whatever is inside). */
const LAYER_EXTENSIONS = ['gz', 'zst', 'tar', 'tgz'];

/** Evidence files by extension; the core sniffs magic bytes, so "All files" is offered too. */
const EVIDENCE_FILTERS = [
  { name: 'Captures and heap dumps', extensions: [...FORMATS.flatMap((f) => f.extensions), ...LAYER_EXTENSIONS] },
  { name: 'All files', extensions: ['*'] },
];

interface IpcBindingOptions {
  handlers: ApiHandlers;
  /** The one window whose page may call the API. */
  mainWindow(): BrowserWindow | null;
  /** Told about every file a case was opened for, whoever asked (drop, recent list, menu). */
  onCaseOpened(summary: CaseSummary): void;
}

/**
 * Only the top frame of our own window, showing our own capscope://app/ page, may talk to the
 * core. Anything else (a frame that navigated away, a devtools extension, an iframe) is refused.
 */
function isTrustedSender(event: IpcMainInvokeEvent, window: BrowserWindow | null): boolean {
  if (!window || window.isDestroyed() || event.sender !== window.webContents) return false;
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  try {
    const url = new URL(frame.url);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

function errorBody(code: ApiErrorBody['error']['code'], message: string): ApiErrorBody {
  return { error: { code, message } };
}

/** Errors cross as data: a code and one line, never a stack or an internal object. */
function toErrorBody(err: unknown): ApiErrorBody {
  if (err instanceof ApiError) return errorBody(err.code, err.message);
  return errorBody('internal', err instanceof Error ? err.message : String(err));
}

export function bindIpc({ handlers, mainWindow, onCaseOpened }: IpcBindingOptions): void {
  ipcMain.handle(API_CHANNEL, async (event, method: unknown, req: unknown): Promise<IpcReply> => {
    if (!isTrustedSender(event, mainWindow())) return errorBody('unauthorized', 'This frame may not call capscope.');
    if (typeof method !== 'string' || !isApiMethod(method)) {
      return errorBody('bad-request', `No such API method: ${String(method).slice(0, 80)}`);
    }
    if (typeof req !== 'object' || req === null || Array.isArray(req)) {
      return errorBody('bad-request', `${method} expects an object as its request.`);
    }
    try {
      // The map of handlers is keyed by method; TypeScript cannot narrow the pair from a runtime
      // string, and the handlers validate their own requests.
      const handler = handlers[method] as (request: unknown) => Promise<unknown>;
      const result = await handler(req);
      if (method === 'case.open') onCaseOpened(result as CaseSummary);
      return { result };
    } catch (err) {
      return toErrorBody(err);
    }
  });

  ipcMain.handle(PICK_FILE_CHANNEL, async (event): Promise<string | null> => {
    const window = mainWindow();
    if (!window || !isTrustedSender(event, window)) return null;
    return showOpenEvidenceDialog(window);
  });
}

/** The native File › Open dialog; the chosen path, or null when cancelled. */
export async function showOpenEvidenceDialog(window: BrowserWindow | null): Promise<string | null> {
  const options = { title: 'Open evidence', properties: ['openFile' as const], filters: EVIDENCE_FILTERS };
  const choice = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return choice.canceled ? null : (choice.filePaths[0] ?? null);
}

// IPC channel names and message shapes shared by main and preload. No Electron imports here:
// the preload bundle stays small and both sides agree by construction.
import type { ApiErrorBody } from '../core/api';

/** invoke(method, request) → IpcReply */
export const API_CHANNEL = 'capscope:api';
/** invoke() → string | null: the native File › Open dialog. */
export const PICK_FILE_CHANNEL = 'capscope:pick-file';
/** main → page: open this path (menu, command line, second instance, macOS open-file). */
export const OPEN_PATH_CHANNEL = 'capscope:open-path';

/** The result travels wrapped so it can never be mistaken for an error body. */
export type IpcReply = { result: unknown } | ApiErrorBody;

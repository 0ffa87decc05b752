import type { ApiClient, ApiMethod, ApiRequest, ApiResponse, DesktopBridge } from '../../core/api';
import { toApiError } from '../transport/errors';
import { createHttpClient } from '../transport/http-client';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in web mode. */
    capscope?: DesktopBridge;
  }
}

/** The desktop shell's extras (native dialogs, file paths), or null in web mode. */
export function desktopBridge(): DesktopBridge | null {
  return window.capscope ?? null;
}

/**
 * The one API client of the renderer. Over the desktop bridge, errors arrive as a plain
 * `{error: {code, message}}` rejection (an Error's own fields do not survive the context
 * bridge), so both transports end in the same ApiError.
 */
export function createApiClient(): ApiClient {
  const bridge = desktopBridge();
  const transport: ApiClient = bridge ?? createHttpClient();
  return {
    async call<M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiResponse<M>> {
      try {
        return await transport.call(method, req);
      } catch (reason) {
        throw toApiError(reason);
      }
    },
  };
}

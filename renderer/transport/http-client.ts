import {
  API_PATH_PREFIX,
  ApiError,
  TOKEN_HEADER,
  type ApiClient,
  type ApiMethod,
  type ApiRequest,
  type ApiResponse,
} from '../../core/api';
import { isApiErrorBody } from './errors';
import { webToken } from './web-token';

/** The API over `capscope serve`: POST /api/<method>, JSON both ways, the token in a header. */
export function createHttpClient(): ApiClient {
  return {
    async call<M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiResponse<M>> {
      const token = webToken();
      if (!token) throw new ApiError('unauthorized', 'This page was opened without its access token.');
      let response: Response;
      try {
        response = await fetch(`${API_PATH_PREFIX}${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
          body: JSON.stringify(req),
        });
      } catch (err) {
        throw new ApiError('internal', `capscope serve is not reachable (${(err as Error).message}).`);
      }
      const body: unknown = await response.json().catch(() => null);
      if (response.ok) return body as ApiResponse<M>;
      if (isApiErrorBody(body)) throw new ApiError(body.error.code, body.error.message);
      if (response.status === 401) throw new ApiError('unauthorized', 'The access token was refused.');
      throw new ApiError('internal', `${method} failed with HTTP ${response.status}.`);
    },
  };
}

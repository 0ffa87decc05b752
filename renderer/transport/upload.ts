import { ApiError, FILENAME_HEADER, TOKEN_HEADER, UPLOAD_PATH, type CaseSummary } from '../../core/api';
import { isApiErrorBody } from './errors';
import { webToken } from './web-token';

export interface UploadHandle {
  done: Promise<CaseSummary>;
  abort(): void;
}

/**
 * Web mode only: the browser cannot tell the server a file's path, so the bytes go to
 * POST /upload. XMLHttpRequest rather than fetch because only it reports upload progress.
 */
export function uploadFile(file: File, onProgress: (sent: number, total: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<CaseSummary>((resolve, reject) => {
    const token = webToken();
    if (!token) {
      reject(new ApiError('unauthorized', 'This page was opened without its access token.'));
      return;
    }
    xhr.open('POST', UPLOAD_PATH);
    xhr.setRequestHeader(TOKEN_HEADER, token);
    xhr.setRequestHeader(FILENAME_HEADER, encodeURIComponent(file.name));
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.responseType = 'text';
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON: reported below by status.
      }
      if (xhr.status >= 200 && xhr.status < 300 && body !== null) resolve(body as CaseSummary);
      else if (isApiErrorBody(body)) reject(new ApiError(body.error.code, body.error.message));
      else reject(new ApiError(xhr.status === 401 ? 'unauthorized' : 'internal', `Upload failed with HTTP ${xhr.status}.`));
    };
    xhr.onerror = () => reject(new ApiError('internal', 'Upload failed: capscope serve is not reachable.'));
    xhr.onabort = () => reject(new ApiError('bad-request', 'Upload cancelled.'));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

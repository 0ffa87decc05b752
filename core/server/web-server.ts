// Web mode: the renderer bundle and the API over local HTTP. Unlike Sysdig Inspect's web mode
// (0.0.0.0, CORS *, no authentication), this binds 127.0.0.1 only, requires a random per-run token
// on every API call, refuses foreign Host and Origin headers (DNS rebinding, cross-site requests)
// and sends no CORS headers at all.

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { API_PATH_PREFIX, ApiError, FILENAME_HEADER, isApiMethod, TOKEN_HEADER, UPLOAD_PATH, type ApiErrorBody, type ApiErrorCode } from '../api';
import type { Core } from '../app/create-core';
import { SourceError } from '../../parsers/source/source-error';
import { formatCount } from '../../common/format';
import { resolveInside } from './safe-path';
import { UploadStore } from './upload-store';

export interface WebServerOptions {
  core: Core;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Fixed token (tests); by default a fresh random one. */
  token?: string;
  /** The largest upload accepted, in bytes (default DEFAULT_MAX_UPLOAD_BYTES). */
  maxUploadBytes?: number;
}

export interface WebServer {
  url: string;
  /** The URL to open: carries the token in the fragment, which browsers never send to servers. */
  openUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

// The server's limits, documented in docs/cli.md (`capscope serve`): a request that exceeds one is
// answered with a one-line error, never served by a connection or a buffer that grows without end.

/** An API request's JSON body: requests are small (ids, a filter, a page), 1 MiB is far beyond any. */
export const MAX_JSON_BYTES = 1 << 20;
/** An upload by default: larger than most captures pulled off a cluster; `capscope serve --max-upload` changes it. */
export const DEFAULT_MAX_UPLOAD_BYTES = 4 * 1024 ** 3;
/** The request line and headers must arrive within this. */
export const HEADERS_TIMEOUT_MS = 30_000;
/** A whole request, body included (an upload), must arrive within this. */
export const REQUEST_TIMEOUT_MS = 30 * 60_000;
/** An idle kept-alive connection is closed after this. */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;

const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

const STATUS_BY_CODE: Record<ApiErrorCode, number> = {
  'bad-request': 400,
  unauthorized: 401,
  'not-found': 404,
  'bad-input': 422,
  busy: 503,
  storage: 507,
  internal: 500,
};

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  const rendererDir = path.resolve(options.rendererDir);
  const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  let port = options.port;
  const uploads = UploadStore.open(options.core.cacheDir);
  const uploadedCases = new Set<string>();

  const server = http.createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 'internal', err instanceof Error ? err.message : String(err));
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (!hostAllowed(req.headers.host, port)) return sendError(res, 'bad-request', 'unexpected Host header: capscope serves 127.0.0.1 only', 421);
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);

    if (url.pathname.startsWith(API_PATH_PREFIX) || url.pathname === UPLOAD_PATH) {
      if (req.method !== 'POST') return sendError(res, 'bad-request', `${url.pathname} takes POST`, 405);
      const origin = req.headers.origin;
      if (origin !== undefined && !hostAllowed(origin.replace(/^https?:\/\//, ''), port)) return sendError(res, 'unauthorized', 'cross-origin requests are refused', 403);
      if (!tokenMatches(req.headers[TOKEN_HEADER], token)) {
        return sendError(res, 'unauthorized', 'missing or wrong token: open the URL that `capscope serve` printed', 401);
      }
      res.setHeader('Cache-Control', 'no-store');
      if (url.pathname === UPLOAD_PATH) return handleUpload(req, res);
      return handleApi(url.pathname.slice(API_PATH_PREFIX.length), req, res);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 'bad-request', 'method not allowed', 405);
    return serveStatic(url.pathname, req, res);
  }

  async function handleApi(method: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!isApiMethod(method)) return sendError(res, 'not-found', `no API method '${method}'`);
    const body = await readBody(req, MAX_JSON_BYTES);
    if (body === null) return sendError(res, 'bad-request', `request body over ${MAX_JSON_BYTES} bytes`, 413);
    let request: unknown;
    try {
      request = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      return sendError(res, 'bad-request', 'request body is not JSON');
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request)) return sendError(res, 'bad-request', 'request body must be a JSON object');
    try {
      const handler = options.core.handlers[method] as (req: unknown) => Promise<unknown>;
      sendJson(res, 200, await handler(request));
    } catch (err) {
      sendFailure(res, err);
    }
  }

  async function handleUpload(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawName = req.headers[FILENAME_HEADER];
    let name = 'upload';
    try {
      if (typeof rawName === 'string' && rawName !== '') name = decodeURIComponent(rawName);
    } catch {
      return sendError(res, 'bad-request', `${FILENAME_HEADER} is not URI-encoded`);
    }
    const declared = req.headers['content-length'];
    if (declared !== undefined && /^\d+$/.test(declared) && BigInt(declared) > BigInt(maxUploadBytes)) {
      return refuseUpload(res, `the upload (${BigInt(declared).toLocaleString('en-US')} bytes) is over this server's limit of ${formatCount(maxUploadBytes)} bytes (capscope serve --max-upload)`);
    }
    const safeName = path.basename(name).replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120) || 'upload';
    const dir = uploads.newUploadDir();
    const target = path.join(dir, safeName);
    let received: 'whole' | 'over-limit';
    try {
      received = await receiveFile(req, target, maxUploadBytes);
    } catch (err) {
      // The browser went away (a cancelled upload), the disk filled: nothing of it is kept.
      fs.rmSync(dir, { recursive: true, force: true });
      if (!res.headersSent && !res.destroyed) sendError(res, 'internal', `the upload could not be saved: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (received === 'over-limit') {
      fs.rmSync(dir, { recursive: true, force: true });
      return refuseUpload(res, `the upload is over this server's limit of ${formatCount(maxUploadBytes)} bytes (capscope serve --max-upload)`);
    }
    try {
      // The file and its index live in the upload's folder, which goes with the case.
      const opened = await options.core.open(target, { dbPath: path.join(dir, 'index.sqlite'), ownedDir: dir });
      uploadedCases.add(opened.caseId);
      sendJson(res, 200, opened);
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      sendFailure(res, err);
    }
  }

  async function serveStatic(pathname: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const file = resolveInside(rendererDir, pathname);
    if (file === null) return sendError(res, 'not-found', 'not found');
    const isIndex = file === path.join(rendererDir, 'index.html');
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file);
    } catch {
      if (isIndex) return sendError(res, 'internal', `the renderer is not built (${rendererDir} has no index.html): run 'npm run build'`);
      return sendError(res, 'not-found', 'not found');
    }
    if (!stat.isFile()) return sendError(res, 'not-found', 'not found');
    res.statusCode = 200;
    res.setHeader('Content-Type', CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', stat.size);
    res.setHeader('Cache-Control', isIndex ? 'no-cache' : 'max-age=3600');
    if (file.endsWith('.html')) {
      res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      res.setHeader('X-Frame-Options', 'DENY');
    }
    if (req.method === 'HEAD') return void res.end();
    await pipeline(fs.createReadStream(file), res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('web server has no TCP address');
  port = address.port;
  const url = `http://${HOST}:${port}/`;
  return {
    url,
    openUrl: `${url}#token=${token}`,
    port,
    token,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // An upload's case goes with the server that received it (its index closed before its folder goes).
      for (const caseId of uploadedCases) await options.core.handlers['case.close']({ caseId }).catch(() => {});
      uploads.close();
    },
  };
}

/**
 * Streams the request's body into `target`, stopping at `limit` bytes: 'over-limit' then, with the
 * rest of the body left unread (the answer closes the connection). Throws when the body breaks off.
 */
async function receiveFile(req: http.IncomingMessage, target: string, limit: number): Promise<'whole' | 'over-limit'> {
  const out = fs.createWriteStream(target, { flags: 'wx' });
  let size = 0;
  try {
    // destroyOnReturn: false leaves the request (and its socket) open to carry the 413.
    for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) return 'over-limit';
      if (!out.write(chunk)) await once(out, 'drain');
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return 'whole';
  } finally {
    out.destroy();
  }
}

/** 413, and the connection closed after it: the rest of an oversized body is not read. */
function refuseUpload(res: http.ServerResponse, message: string): void {
  res.setHeader('Connection', 'close');
  sendError(res, 'bad-request', message, 413);
}

function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return host === `${HOST}:${port}` || host === `localhost:${port}`;
}

function tokenMatches(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** The body, or null if it is longer than `limit`. */
async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return null;
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

function sendError(res: http.ServerResponse, code: ApiErrorCode, message: string, status = STATUS_BY_CODE[code], field?: string): void {
  const body: ApiErrorBody = { error: field === undefined ? { code, message } : { code, message, field } };
  sendJson(res, status, body);
}

function sendFailure(res: http.ServerResponse, err: unknown): void {
  if (err instanceof ApiError) return sendError(res, err.code, err.message, STATUS_BY_CODE[err.code], err.field);
  if (err instanceof SourceError) return sendError(res, 'bad-input', err.message);
  sendError(res, 'internal', err instanceof Error ? err.message : String(err));
}

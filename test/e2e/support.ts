// Web mode for the end-to-end tests: the real `capscope serve --json` on a file, the API called
// with the run's token, and pages in Debian's chromium that collect every console error, page
// error and dialog (captured bytes are hostile: a dialog means markup ran).

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { ApiMethod, ApiRequest, ApiResponse } from '../../core/api';
import { REPO_ROOT, scratchDir } from '../helpers/paths';

export const SLOW = 60_000;
export const VIEWPORT = { width: 1280, height: 800 };
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const ANNOUNCEMENT_MS = 30_000;

/** The one JSON line `capscope serve --json` prints once it listens. */
export interface Announcement {
  url: string;
  port: number;
  token: string;
}

export interface Server {
  announcement: Announcement;
  /** What the server printed so far, for failure messages. */
  log(): string;
  /** The API as the page calls it: POST /api/<method> with this run's token. */
  call<M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiResponse<M>>;
  stop(): Promise<void>;
}

/**
 * Starts `capscope serve FILE` on a free port, its index and cache (uploads, indexes, the
 * recent-files list) in `dir` rather than the user's, and waits for its announcement.
 */
export async function serve(file: string, dir: string): Promise<Server> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'capscope.js'), 'serve', file, '--port', '0', '--json', '--db', path.join(dir, `${path.basename(file)}.sqlite`)], {
    cwd: REPO_ROOT,
    env: { ...process.env, CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') },
  });
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const announcement = await readAnnouncement(child, (line) => (log += `${line}\n`), () => log);
  async function call<M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiResponse<M>> {
    const res = await fetch(new URL(`/api/${method}`, announcement.url), {
      method: 'POST',
      body: JSON.stringify(req),
      headers: { 'x-capscope-token': announcement.token, 'content-type': 'application/json' },
    });
    const body = (await res.json()) as ApiResponse<M>;
    if (!res.ok) throw new Error(`${method}: ${JSON.stringify(body)}`);
    return body;
  }
  return {
    announcement,
    log: () => log,
    call,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

function readAnnouncement(child: ChildProcessWithoutNullStreams, onLine: (line: string) => void, log: () => string): Promise<Announcement> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`capscope serve said nothing in ${ANNOUNCEMENT_MS} ms:\n${log()}`)), ANNOUNCEMENT_MS);
    createInterface({ input: child.stdout }).on('line', (line) => {
      onLine(line);
      try {
        const parsed = JSON.parse(line) as Announcement;
        if (typeof parsed.url !== 'string') return;
        clearTimeout(timer);
        resolve(parsed);
      } catch {
        // Not the announcement.
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`capscope serve exited with ${code} before listening:\n${log()}`));
    });
  });
}

export interface WebSession {
  /** A scratch directory of the test file's own. */
  dir: string;
  browser: Browser;
  /** One per file served, in the order given. */
  servers: Server[];
  /** The first of them. */
  readonly server: Server;
}

/**
 * Registers, for the calling test file, hooks that serve each of `files(dir)` and launch chromium
 * before its tests, and stop them after.
 */
export function webSession(label: string, files: (dir: string) => string[]): WebSession {
  const session = {
    dir: '',
    servers: [] as Server[],
    get server(): Server {
      return this.servers[0]!;
    },
  } as WebSession;
  beforeAll(async () => {
    session.dir = scratchDir(label);
    session.servers = await Promise.all(files(session.dir).map((file) => serve(file, session.dir)));
    session.browser = await launchChromium();
  }, SLOW);
  afterAll(async () => {
    await session.browser?.close();
    await Promise.all(session.servers.map((s) => s.stop()));
  }, SLOW);
  return session;
}

export function launchChromium(): Promise<Browser> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors (CSP violations show up here), uncaught page errors, and every dialog. */
  errors: string[];
  /** The messages of the dialogs that opened (each dismissed). */
  dialogs: string[];
  close(): Promise<void>;
}

/** A page in a fresh browser context (its own sessionStorage), watched for errors and dialogs. */
export async function newPage(browser: Browser): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    errors.push(`a dialog opened: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { context, page, errors, dialogs, close: () => context.close() };
}

/** Saves test-results/NAME.png for a human to look at. */
export function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<Buffer> {
  return page.screenshot({ path: path.join(RESULTS_DIR, `${name}.png`), ...options });
}

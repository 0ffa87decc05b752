// The desktop shell: one window over the core, which runs here in the main process (the core
// itself moves ingest into a worker thread). Kept thin: everything a user sees is the renderer,
// everything it knows comes from core/api.
import { app, dialog, Menu } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseSummary } from '../core/api';
import { createCore, type Core } from '../core/app/create-core';
import { openStandardInput } from '../core/app/standard-input';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { denyPermissions, hardenWebContents } from './hardening';
import { bindIpc, showOpenEvidenceDialog } from './ipc';
import { evidencePathFromArgv, wantsStandardInput } from './launch-args';
import { MainWindow } from './main-window';
import { buildMenu } from './menu';
import { ReportExporter } from './report-export';

// This file is bundled to dist/electron/main.mjs; the renderer and the preload sit beside it.
const distDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const SAMPLE = path.join('sample-captures', 'haproxy-502.pcap');
const isMac = process.platform === 'darwin';
// Under `electron .` (and electron-forge start) argv is [electron, appDir, ...ours].
const runAsDefaultApp = Boolean(process.defaultApp);
// `capscope-desktop -`: the capture piped in is read as it arrives, as `capscope serve -` reads it.
const fromStdin = wantsStandardInput(process.argv, runAsDefaultApp);

/** The capture that ships with the app: beside the code in dev, in resources/ when packaged. */
function bundledSample(): string | null {
  const file = app.isPackaged ? path.join(process.resourcesPath, SAMPLE) : path.join(app.getAppPath(), SAMPLE);
  return existsSync(file) ? file : null;
}

registerAppScheme();
hardenWebContents();

// A capscope reading its own standard input cannot hand it to another one: it runs on its own.
if (!fromStdin && !app.requestSingleInstanceLock()) {
  // Another capscope is running: it has been handed our argv (see 'second-instance') and opens
  // the file there.
  app.quit();
} else {
  const window = new MainWindow(path.join(distDir, 'electron', 'preload.cjs'));
  const startupFiles: string[] = [];

  app.on('second-instance', (_event, argv, workingDirectory) => {
    const file = evidencePathFromArgv(argv, workingDirectory, runAsDefaultApp);
    if (file) window.openPath(file);
    else window.show();
  });

  // macOS sends files opened from Finder or dropped on the Dock icon this way, possibly before
  // 'ready'; those are opened like a file on the command line.
  app.on('open-file', (event, file) => {
    event.preventDefault();
    if (app.isReady()) window.openPath(file);
    else startupFiles.push(file);
  });

  void app.whenReady().then(() => start(window, startupFiles));
}

async function start(window: MainWindow, startupFiles: string[]): Promise<void> {
  denyPermissions();
  serveRenderer(path.join(distDir, 'renderer'));

  const samplePath = bundledSample();
  // Indexes and the recent-files list live in the per-user cache the CLI uses too, so a file
  // indexed by `capscope index` opens at once here and the other way round.
  const core = createCore({ transport: 'electron', samplePath });
  closeCoreBeforeQuit(core);
  const reports = new ReportExporter(core.handlers);

  const refreshMenu = async () => {
    const { files } = await core.handlers['app.recentFiles']({});
    Menu.setApplicationMenu(
      buildMenu({
        recent: files,
        isDev: !app.isPackaged,
        isMac,
        actions: {
          open: () => {
            void showOpenEvidenceDialog(window.current).then((file) => file && window.openPath(file));
          },
          openRecent: (file) => window.openPath(file),
          about: () => showAbout(window),
          exportReport: () => void reports.exportFromMenu(window.current),
        },
      }),
    );
  };
  const noteOpened = (summary: CaseSummary) => {
    reports.noteCase(summary.caseId);
    app.addRecentDocument(summary.file);
    void refreshMenu();
  };

  bindIpc({ handlers: core.handlers, mainWindow: () => window.current, onCaseOpened: noteOpened });
  await refreshMenu();

  // The file to show first is opened before the window exists, so indexing starts at once and
  // the page lands straight on its case (app.info's initialCaseId).
  if (fromStdin) {
    try {
      noteOpened((await openStandardInput(core)).summary);
    } catch (err) {
      // Standard input is a terminal, or broke before its first bytes: said, then the open screen.
      dialog.showErrorBox('capscope: standard input', err instanceof Error ? err.message : String(err));
    }
  }
  const first = fromStdin ? null : (evidencePathFromArgv(process.argv, process.cwd(), runAsDefaultApp) ?? startupFiles.shift() ?? samplePath);
  if (first) {
    try {
      const summary = await core.open(first);
      core.setInitialCase(summary.caseId);
      noteOpened(summary);
    } catch {
      // Let the page try, so the reason (no such file, ...) is shown where the user looks.
      window.openPath(first);
    }
  }
  window.show();
  for (const file of startupFiles) window.openPath(file);

  app.on('activate', () => window.show());
  app.on('window-all-closed', () => {
    if (!isMac) app.quit();
  });
}

/** Lets the core stop its ingest workers and close its indexes before the process goes. */
function closeCoreBeforeQuit(core: Core): void {
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    closed = true;
    core
      .close()
      .catch((err: unknown) => console.error('capscope: closing the core failed:', err))
      .finally(() => app.quit());
  });
}

function showAbout(window: MainWindow): void {
  const options = {
    type: 'info' as const,
    title: 'About capscope',
    message: `capscope ${app.getVersion()}`,
    detail:
      'Offline analyser for syscall captures, network captures and Java heap dumps.\n\n' +
      `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
  };
  const parent = window.current;
  void (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options));
}

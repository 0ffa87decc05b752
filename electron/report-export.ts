// File › Export report… in the desktop app: asks where to save, has the core write the report of
// the case on screen, and saves it as HTML, Markdown or PDF (the HTML printed by Chromium in a
// hidden window with JavaScript off; the report carries no script anyway, and a strict CSP).
import { BrowserWindow, dialog } from 'electron';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ApiHandlers } from '../core/api';
import type { ReportFormat } from '../core/domain/report/contract';

const SAVE_FILTERS = [
  { name: 'HTML report', extensions: ['html'] },
  { name: 'Markdown report', extensions: ['md'] },
  { name: 'PDF report', extensions: ['pdf'] },
];

export class ReportExporter {
  private caseId: string | null = null;

  constructor(private readonly handlers: ApiHandlers) {}

  /** The case the window shows: the one opened last (the page opens cases through case.open). */
  noteCase(caseId: string): void {
    this.caseId = caseId;
  }

  async exportFromMenu(window: BrowserWindow | null): Promise<void> {
    try {
      await this.export(window);
    } catch (err) {
      await message(window, { type: 'error', title: 'Export report', message: 'The report could not be written.', detail: err instanceof Error ? err.message : String(err) });
    }
  }

  private async export(window: BrowserWindow | null): Promise<void> {
    if (!this.caseId) {
      await message(window, { type: 'info', title: 'Export report', message: 'Open a capture or heap dump first: the report is about the open case.' });
      return;
    }
    const caseId = this.caseId;
    const summary = await this.handlers['case.get']({ caseId });
    const suggested = `${path.basename(summary.file)}.report.html`;
    const options = { title: 'Export report', defaultPath: suggested, filters: SAVE_FILTERS, properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const] };
    const choice = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    if (choice.canceled || !choice.filePath) return;
    const target = choice.filePath;
    const ext = path.extname(target).toLowerCase();
    const format: ReportFormat = ext === '.md' || ext === '.markdown' ? 'md' : 'html';
    const report = await this.handlers['report.export']({ caseId, format, redact: true });
    if (ext === '.pdf') await writeFile(target, await printToPdf(report.text));
    else await writeFile(target, report.text, 'utf8');
  }
}

/** Chromium's own print of the HTML report: A4, backgrounds kept (the badges and charts use them). */
export async function printToPdf(htmlText: string): Promise<Buffer> {
  // A file rather than a data: URL, which Chromium caps at 2 MB; a big report goes past that.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'capscope-report-'));
  const file = path.join(dir, 'report.html');
  const printer = new BrowserWindow({
    show: false,
    webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, spellcheck: false },
  });
  try {
    await writeFile(file, htmlText, 'utf8');
    await printer.loadFile(file);
    return await printer.webContents.printToPDF({ pageSize: 'A4', printBackground: true, margins: { marginType: 'default' } });
  } finally {
    printer.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

async function message(window: BrowserWindow | null, options: Electron.MessageBoxOptions): Promise<void> {
  if (window) await dialog.showMessageBox(window, options);
  else await dialog.showMessageBox(options);
}

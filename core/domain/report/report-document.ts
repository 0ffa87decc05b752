// Post-mortem reports: gather a case's data once, write it as HTML or Markdown.

import path from 'node:path';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import type { ReportData, ReportFormat } from './model';

export { gatherReport, type ReportOptions } from './gather';
export type { ReportData, ReportFormat } from './model';

export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'md'];

export const MEDIA_TYPES: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
};

export function renderReport(data: ReportData, format: ReportFormat): string {
  return format === 'html' ? renderHtml(data) : renderMarkdown(data);
}

/** `<evidence file's base name>.report.html` (or .md). */
export function defaultReportName(evidenceFile: string, format: ReportFormat): string {
  return `${path.basename(evidenceFile)}.report.${format}`;
}

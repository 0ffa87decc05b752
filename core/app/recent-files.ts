// The most recently opened evidence files, newest first, kept in a small JSON file, each with
// the error of its last ingest when that failed (a text file opened by mistake is listed as failed).

import fs from 'node:fs';
import path from 'node:path';
import { makeDir } from '../index/make-dir';

const KEEP = 12;

export interface RecentFile {
  path: string;
  /** The one-line error of its last ingest, when it failed. */
  failed?: string;
}

export class RecentFiles {
  constructor(private readonly storePath: string) {}

  /** Newest first. The list of an older capscope (paths only) reads as files that did not fail. */
  entries(): RecentFile[] {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(this.storePath, 'utf8'));
      if (!Array.isArray(parsed)) return [];
      return parsed.flatMap((e): RecentFile[] => {
        if (typeof e === 'string') return [{ path: e }];
        if (e && typeof e === 'object' && typeof (e as RecentFile).path === 'string') {
          const { path: file, failed } = e as RecentFile;
          return [typeof failed === 'string' ? { path: file, failed } : { path: file }];
        }
        return [];
      }).slice(0, KEEP);
    } catch {
      return []; // missing or unreadable: start afresh
    }
  }

  list(): string[] {
    return this.entries().map((e) => e.path);
  }

  /** Puts the file first, keeping what its last ingest said until the new one ends. */
  add(file: string): void {
    const entries = this.entries();
    const previous = entries.find((e) => e.path === file);
    this.save([previous ?? { path: file }, ...entries.filter((e) => e.path !== file)]);
  }

  /** What the file's ingest ended with: its error, or null when it was read. */
  setOutcome(file: string, error: string | null): void {
    const entries = this.entries();
    if (!entries.some((e) => e.path === file)) return;
    this.save(entries.map((e) => (e.path !== file ? e : error === null ? { path: file } : { path: file, failed: error })));
  }

  private save(entries: RecentFile[]): void {
    try {
      makeDir(path.dirname(this.storePath));
      const temp = `${this.storePath}.${process.pid}.tmp`;
      fs.writeFileSync(temp, JSON.stringify(entries.slice(0, KEEP), null, 2));
      fs.renameSync(temp, this.storePath);
    } catch {
      // The list is a convenience: failing to save it must not fail opening the file.
    }
  }
}

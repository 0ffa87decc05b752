// The most recently opened evidence files, newest first, kept in a small JSON file.

import fs from 'node:fs';
import path from 'node:path';

const KEEP = 12;

export class RecentFiles {
  constructor(private readonly storePath: string) {}

  list(): string[] {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(this.storePath, 'utf8'));
      return Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string').slice(0, KEEP) : [];
    } catch {
      return []; // missing or unreadable: start afresh
    }
  }

  add(file: string): void {
    const files = [file, ...this.list().filter((p) => p !== file)].slice(0, KEEP);
    try {
      fs.mkdirSync(path.dirname(this.storePath), { recursive: true });
      const temp = `${this.storePath}.${process.pid}.tmp`;
      fs.writeFileSync(temp, JSON.stringify(files, null, 2));
      fs.renameSync(temp, this.storePath);
    } catch {
      // The list is a convenience: failing to save it must not fail opening the file.
    }
  }
}

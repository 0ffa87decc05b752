// The recent-files list: newest first, a file whose last ingest failed marked with its error until
// it is read, and the list of an older capscope (paths only) still read.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecentFiles } from '../../core/app/recent-files';
import { scratchDir } from '../helpers/paths';

describe('recent files', () => {
  it('marks a failed file with its error until it is read, keeping the mark when it is opened again', () => {
    const store = path.join(scratchDir('recent-files'), 'recent-files.json');
    const recent = new RecentFiles(store);
    recent.add('/evidence/a.pcap');
    recent.add('/notes.txt');
    recent.setOutcome('/notes.txt', '/notes.txt at byte 0: expected a capture');
    recent.setOutcome('/evidence/a.pcap', null);
    expect(recent.entries()).toEqual([{ path: '/notes.txt', failed: '/notes.txt at byte 0: expected a capture' }, { path: '/evidence/a.pcap' }]);
    recent.add('/evidence/a.pcap');
    recent.add('/notes.txt');
    expect(recent.entries()[0]).toEqual({ path: '/notes.txt', failed: '/notes.txt at byte 0: expected a capture' });
    recent.setOutcome('/notes.txt', null);
    expect(recent.entries()[0]).toEqual({ path: '/notes.txt' });
    // A file not in the list is not added by its outcome (an upload is never listed).
    recent.setOutcome('/uploads/1/x.pcap', 'failed');
    expect(recent.list()).toEqual(['/notes.txt', '/evidence/a.pcap']);
  });

  it("reads an older capscope's list of paths", () => {
    const store = path.join(scratchDir('recent-files-old'), 'recent-files.json');
    fs.writeFileSync(store, JSON.stringify(['/b.scap', '/a.pcap']));
    expect(new RecentFiles(store).entries()).toEqual([{ path: '/b.scap' }, { path: '/a.pcap' }]);
  });
});

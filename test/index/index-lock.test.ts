// The lock that lets one process at a time write a case index (core/index/index-lock.ts): a writer
// excludes writers and readers, readers share, and a waiter gets the lock once it is let go.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IndexLock } from '../../core/index/index-lock';
import { scratchDir } from '../helpers/paths';

describe('IndexLock', () => {
  const dir = scratchDir('index-lock');

  it('lets one writer in, and no reader while it writes', () => {
    const db = path.join(dir, 'a.sqlite');
    const writer = IndexLock.tryAcquire(db)!;
    expect(writer).not.toBeNull();
    expect(IndexLock.tryAcquire(db)).toBeNull();
    expect(IndexLock.tryAcquire(db, 'read')).toBeNull();
    writer.release();
    writer.release(); // twice is harmless
    const again = IndexLock.tryAcquire(db);
    expect(again).not.toBeNull();
    again!.release();
  });

  it('lets readers share, and no writer while they read', () => {
    const db = path.join(dir, 'b.sqlite');
    const first = IndexLock.tryAcquire(db, 'read')!;
    const second = IndexLock.tryAcquire(db, 'read')!;
    expect([first, second]).not.toContain(null);
    expect(IndexLock.tryAcquire(db)).toBeNull();
    first.release();
    expect(IndexLock.tryAcquire(db)).toBeNull();
    second.release();
    IndexLock.tryAcquire(db)!.release();
  });

  it('waits for the lock to be let go, or gives up when told to stop', async () => {
    const db = path.join(dir, 'c.sqlite');
    const holder = IndexLock.tryAcquire(db)!;
    let stop = false;
    const givingUp = IndexLock.acquire(db, () => stop);
    stop = true;
    expect(await givingUp).toBeNull();
    const waiting = IndexLock.acquire(db, () => false);
    setTimeout(() => holder.release(), 300);
    const got = await waiting;
    expect(got?.held).toBe(true);
    got!.release();
  });
});

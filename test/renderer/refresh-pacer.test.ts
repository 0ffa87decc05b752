// The views follow a growing case from the ingest's progress (renderer/case-shell/refresh-pacer.ts):
// growth is asked for at most once a second, growth seen within that second is asked for when it
// ends (the last piece of a stream that went quiet is shown, not left until more comes), the end of
// the ingest at once, and nothing after it.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RefreshPacer } from '../../renderer/case-shell/refresh-pacer';

describe('RefreshPacer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks as the progress grows, at most once a second, never dropping the last growth', () => {
    const ask = vi.fn();
    const pacer = new RefreshPacer(1000, ask, () => Date.now());
    pacer.observe('running', '0/0');
    expect(ask).not.toHaveBeenCalled();
    pacer.observe('running', '100/0');
    expect(ask).toHaveBeenCalledTimes(1);
    // Exchanges written 200 ms later (bytes unchanged): asked for when the second is over.
    vi.advanceTimersByTime(200);
    pacer.observe('running', '100/1');
    pacer.observe('running', '100/2');
    expect(ask).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(799);
    expect(ask).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(ask).toHaveBeenCalledTimes(2);
    // Polls that say nothing new ask nothing.
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(250);
      pacer.observe('running', '100/2');
    }
    expect(ask).toHaveBeenCalledTimes(2);
  });

  it('asks at once when the ingest ends, and nothing is left pending after', () => {
    const ask = vi.fn();
    const pacer = new RefreshPacer(1000, ask, () => Date.now());
    pacer.observe('running', '0/0');
    pacer.observe('running', '50/0');
    vi.advanceTimersByTime(100);
    pacer.observe('running', '60/1');
    pacer.observe('done', '60/1');
    expect(ask).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(5000);
    expect(ask).toHaveBeenCalledTimes(2);
  });
});

// Where an exit event carries what its enter event used to. Since libs 0.20 the drivers append the
// enter's parameters to the exit (the fd and size of a read, the domain, type and protocol of a
// socket), can run with enter events disabled, and libs' savefile converter rewrites old enter/exit
// pairs into that one extended exit. So the fd a call is about is found in the exit under the name
// the enter gave it (libsinsp took it from the enter's first parameter): "fd" for read, "out_fd"
// for sendfile, "fd_in" for splice; dup's enter "fd" is the exit's "oldfd".

import { EF, eventInfo } from './parser/event-table';
import type { ScapEvent } from './parser/event';
import { paramInt } from './parser/params';

/** An enter parameter the exit names differently. */
const RENAMED: Record<string, Record<string, string>> = {
  dup: { fd: 'oldfd' },
  dup2: { fd: 'oldfd' },
  dup3: { fd: 'oldfd' },
};

const callFdAt = new Map<number, number>();

/**
 * The index of the exit's parameter that holds its call's fd (where the enter's first parameter
 * went, when the enter uses an fd), else of its own "fd" parameter; -1 when it has neither.
 */
export function callFdIndex(exitType: number): number {
  let at = callFdAt.get(exitType);
  if (at !== undefined) return at;
  const exit = eventInfo(exitType);
  const enter = eventInfo(exitType - 1);
  at = -1;
  if (exit) {
    // libsinsp took the fd from the enter's first parameter only when the enter uses an fd.
    const first = enter && enter.flags & EF.USES_FD ? enter.params[0]?.name : undefined;
    if (first !== undefined) at = exit.params.findIndex((p) => p.name === (RENAMED[exit.name]?.[first] ?? first));
    if (at < 0) at = exit.params.findIndex((p) => p.name === 'fd' && p.type === 'FD');
  }
  callFdAt.set(exitType, at);
  return at;
}

/** The fd of an exit's call from its own parameters; null when the exit does not carry it. */
export function callFdOfExit(ev: ScapEvent): number | null {
  const i = callFdIndex(ev.type);
  if (i < 0) return null;
  return paramInt(ev, i, true) ?? null;
}

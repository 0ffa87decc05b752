// Builds a profile's functions and locations from frames named in text (the debug=1 "#" lines, a
// debug=2 dump's function and file:line lines): one function per name and file, one location per
// distinct frame, each location one line (text forms print inlined frames as frames of their own).

import type { Profile } from './profile';

export interface TextFrame {
  name: string;
  file: string;
  line: number;
  /** The frame's pc as the text prints it ("0x67d2da"; "" when it does not). */
  address: string;
}

export class FrameTable {
  private readonly functionIds = new Map<string, number>();
  private readonly locationIds = new Map<string, number>();

  constructor(private readonly profile: Profile) {}

  /** The location id of a frame, made the first time it is seen. */
  location(frame: TextFrame): number {
    const key = `${frame.address}\0${frame.name}\0${frame.file}\0${frame.line}`;
    let id = this.locationIds.get(key);
    if (id !== undefined) return id;
    id = this.locationIds.size + 1;
    this.locationIds.set(key, id);
    this.profile.locations.set(id, { id, mappingId: 0, address: frame.address, lines: [{ functionId: this.function(frame.name, frame.file), line: frame.line, column: 0 }], isFolded: false });
    return id;
  }

  private function(name: string, file: string): number {
    const key = `${name}\0${file}`;
    let id = this.functionIds.get(key);
    if (id !== undefined) return id;
    id = this.functionIds.size + 1;
    this.functionIds.set(key, id);
    this.profile.functions.set(id, { id, name, systemName: name, filename: file, startLine: 0 });
    return id;
  }
}

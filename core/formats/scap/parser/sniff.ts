// Is this a scap savefile? A pcapng-style section header followed by a scap block.

import type { FormatSniffer } from '../../../../parsers/source/format-sniffer';
import { isSectionHeader, readSectionHeader, unclaimedSectionHeader } from '../../../../parsers/source/section-header';
import { scapBlockName } from './block-types';

export const sniffScap: FormatSniffer = (prefix, complete) => {
  const header = readSectionHeader(prefix, complete);
  if (header === null || !isSectionHeader(header)) return header;
  if (header.nextBlockType === null) return null; // a section header alone: pcapng's empty section
  const block = scapBlockName(header.nextBlockType);
  if (!block) return unclaimedSectionHeader(header);
  const order = header.littleEndian ? 'little' : 'big';
  return { kind: 'evidence', format: 'scap', detail: `scap ${header.major}.${header.minor}, ${order}-endian (first block ${block})` };
};

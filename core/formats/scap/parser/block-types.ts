// Block types of the scap savefile format (falcosecurity/libs userspace/libscap/scap_savefile.h).
// A scap file starts with the same section header block as pcapng (0x0A0D0D0A, byte-order magic
// 0x1A2B3C4D); what follows tells the two apart. The *_INT numbers were used before libscap's first
// release and still turn up in old captures.

export const SCAP_BLOCK_TYPES = {
  SHB: 0x0a0d0d0a,
  MI: 0x201,
  MI_INT: 0x8002abcd,
  PL_V1: 0x202,
  PL_V1_INT: 0x8000abcd,
  PL_V2: 0x207,
  PL_V2_INT: 0x8013abcd,
  PL_V3: 0x209,
  PL_V3_INT: 0x8014abcd,
  PL_V4: 0x210,
  PL_V5: 0x211,
  PL_V6: 0x212,
  PL_V7: 0x213,
  PL_V8: 0x214,
  PL_V9: 0x215,
  FDL: 0x203,
  FDL_INT: 0x8001abcd,
  FDL_V2: 0x218,
  EV: 0x204,
  EV_INT: 0x8010abcd,
  EV_V2: 0x216,
  EV_V2_LARGE: 0x221,
  EVF: 0x208,
  EVF_V2: 0x217,
  EVF_V2_LARGE: 0x222,
  IL: 0x205,
  IL_INT: 0x8011abcd,
  IL_V2: 0x219,
  UL: 0x206,
  UL_INT: 0x8012abcd,
  UL_V2: 0x220,
} as const;

export type ScapBlockName = keyof typeof SCAP_BLOCK_TYPES;

const NAME_BY_TYPE = new Map<number, ScapBlockName>(
  (Object.entries(SCAP_BLOCK_TYPES) as [ScapBlockName, number][]).filter(([name]) => name !== 'SHB').map(([name, type]) => [type, name]),
);

/** The name of a scap block type other than the section header, or undefined if it is not one. */
export function scapBlockName(type: number): ScapBlockName | undefined {
  return NAME_BY_TYPE.get(type >>> 0);
}

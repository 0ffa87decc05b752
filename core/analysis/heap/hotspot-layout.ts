// Object sizes as HotSpot lays objects out, so that shallow sizes agree with the JVM's own
// GC.class_histogram. An HPROF dump carries field types but no offsets or sizes, so the layout is
// recomputed the way JDK 15+'s FieldLayoutBuilder does it:
//   - the header is 12 bytes with compressed class pointers, 16 without (8 on a 32-bit VM);
//   - a class's fields go after its super class's, but may fill holes the super class left;
//     primitive fields are placed largest first, then references, each in the smallest hole that
//     fits it at its natural alignment (best fit), else appended at the end;
//   - the instance size is the end of the last field rounded up to 8 bytes;
//   - the VM injects fields that the dump does not list (Class, ClassLoader, MemberName, …): they
//     take space, and the table below adds them (OpenJDK 17 javaClasses.hpp, *_INJECTED_FIELDS);
//   - a java.lang.Class object (a "mirror") also holds its class's static fields: references
//     first, contiguously, then primitives largest first, after java.lang.Class's own fields.
// Arrays: the header plus a 4-byte length, elements from the next 8-byte boundary (JDK 17:
// offset 16 with compressed class pointers, 24 without), the total rounded up to 8 bytes.

import { TYPE_BOOLEAN, TYPE_INT, TYPE_OBJECT, TYPE_SHORT, valueSize } from '../../formats/hprof/parser/constants';

export interface HotspotShape {
  /** Object header: mark word + class pointer. */
  headerBytes: number;
  /** A reference field or array element. */
  oopBytes: number;
  /** A pointer-sized VM field (intptr): 8 on a 64-bit VM, 4 on a 32-bit one. */
  wordBytes: number;
}

/** Fields HotSpot adds to some classes, as (basic type) per class, in declaration order. */
const INTPTR = -1;
const INJECTED_FIELDS: Readonly<Record<string, readonly number[]>> = {
  'java.lang.Class': [INTPTR, INTPTR, TYPE_INT, TYPE_INT, TYPE_OBJECT, TYPE_OBJECT, TYPE_OBJECT],
  'java.lang.ClassLoader': [INTPTR],
  'java.lang.invoke.ResolvedMethodName': [INTPTR, TYPE_OBJECT],
  'java.lang.invoke.MemberName': [INTPTR],
  'java.lang.invoke.MethodHandleNatives$CallSiteContext': [INTPTR, INTPTR],
  'java.lang.StackFrameInfo': [TYPE_SHORT],
  'java.lang.Module': [INTPTR],
  'java.lang.InternalError': [TYPE_BOOLEAN],
};

export function injectedFieldTypes(className: string): readonly number[] {
  return INJECTED_FIELDS[className] ?? [];
}

/** Bytes a field of basic type `type` takes in an object. */
export function fieldBytes(type: number, shape: HotspotShape): number {
  if (type === TYPE_OBJECT) return shape.oopBytes;
  if (type === INTPTR) return shape.wordBytes;
  return valueSize(type, 0); // a primitive is as wide in the heap as in the dump
}

/** The occupied [offset, size) blocks of an instance layout, sorted by offset, and where it ends. */
export interface FieldLayout {
  /** Field blocks (header first), flattened pairs: offset, size. */
  blocks: number[];
  /** End of the last field. */
  fieldEnd: number;
  /** End of the layout, padding included: the instance size before rounding. */
  end: number;
  /** The class or one of its super classes uses @Contended (HotSpot: has_contended_annotations). */
  contended: boolean;
}

/** HotSpot's ContendedPaddingWidth default: a padding block around @Contended fields. */
export const CONTENDED_PADDING = 128;

/**
 * @Contended in java.base (OpenJDK 17): the dump cannot show annotations, and contended fields
 * are padded apart, which changes the size of these classes and of all their subclasses.
 */
const CONTENDED: Readonly<Record<string, { classLevel?: boolean; groups?: readonly (readonly string[])[] }>> = {
  'java.lang.Thread': { groups: [['threadLocalRandomSeed', 'threadLocalRandomProbe', 'threadLocalRandomSecondarySeed']] },
  'java.util.concurrent.ConcurrentHashMap$CounterCell': { classLevel: true },
  'java.util.concurrent.atomic.Striped64$Cell': { classLevel: true },
  'java.util.concurrent.Exchanger$Node': { classLevel: true },
};

export interface LayoutField {
  type: number;
  name: string;
}

/**
 * Lays out a class's own fields (injected ones included) after its super class's layout, the
 * way FieldLayoutBuilder::compute_regular_layout does.
 */
export function layoutClass(className: string, superLayout: FieldLayout | null, fields: readonly LayoutField[], shape: HotspotShape): FieldLayout {
  const contended = CONTENDED[className];
  const groups = contended?.groups ?? [];
  const grouped = (name: string) => groups.findIndex((g) => g.includes(name));
  const regular = fields.filter((f) => grouped(f.name) < 0).map((f) => f.type);
  if (!superLayout) {
    const root = appendAll([0, shape.headerBytes], sortForLayout(regular, shape), shape);
    return { ...root, contended: false };
  }
  let layout: FieldLayout = { blocks: superLayout.blocks.slice(), fieldEnd: superLayout.fieldEnd, end: superLayout.end, contended: superLayout.contended };
  // Holes a field may fill; null: fields are only appended.
  let holes: number[] | null = holesOf(layout.blocks);
  if (superLayout.contended) {
    // The inherited layout's holes are padding, and a padding block follows its last field.
    layout.end = superLayout.fieldEnd + CONTENDED_PADDING;
    holes = superLayout.blocks.length > 2 ? null : [];
  }
  if (contended?.classLevel) {
    layout.end += CONTENDED_PADDING;
    holes = null;
  }
  layout = holes === null ? appendFields(layout, regular, shape) : fillFields(layout, holes, regular, shape);
  // Padding only where a contended field is actually declared (older JDKs' Thread has none).
  let padded = contended?.classLevel === true;
  for (const group of groups) {
    const types = fields.filter((f) => group.includes(f.name)).map((f) => f.type);
    if (types.length === 0) continue;
    layout.end += CONTENDED_PADDING;
    layout = appendFields(layout, types, shape);
    padded = true;
  }
  if (padded) {
    layout.end += CONTENDED_PADDING;
    layout.contended = true;
  }
  return layout;
}

/** Holes between the header and inherited fields (the end of the layout is not a hole). */
function holesOf(blocks: number[]): number[] {
  const holes: number[] = []; // flattened pairs: offset, size
  for (let i = 0; i + 2 < blocks.length; i += 2) {
    const endOf = blocks[i]! + blocks[i + 1]!;
    const next = blocks[i + 2]!;
    if (next > endOf) holes.push(endOf, next - endOf);
  }
  return holes;
}

function appendFields(layout: FieldLayout, types: readonly number[], shape: HotspotShape): FieldLayout {
  let end = layout.end;
  for (const size of sortForLayout(types, shape)) {
    const at = end % size === 0 ? end : end + size - (end % size);
    insertSorted(layout.blocks, at, size);
    end = at + size;
  }
  return { ...layout, end, fieldEnd: Math.max(layout.fieldEnd, end) };
}

/** Places fields best-fit into `holes`, appending those that fit nowhere. */
function fillFields(layout: FieldLayout, holes: number[], types: readonly number[], shape: HotspotShape): FieldLayout {
  const blocks = layout.blocks;
  let end = layout.end;
  let fieldEnd = layout.fieldEnd;
  for (const size of sortForLayout(types, shape)) {
    // Best fit: the smallest hole that holds the field at its alignment; on a tie, the later one
    // (HotSpot scans from the end and keeps the first strictly smaller hole).
    let best = -1;
    for (let h = holes.length - 2; h >= 0; h -= 2) {
      const at = holes[h]!;
      const adjust = at % size === 0 ? 0 : size - (at % size);
      if (holes[h + 1]! >= size + adjust && (best < 0 || holes[h + 1]! < holes[best + 1]!)) best = h;
    }
    if (best < 0) {
      const at = end % size === 0 ? end : end + size - (end % size);
      if (at > end) insertSorted(holes, end, at - end);
      insertSorted(blocks, at, size);
      end = at + size;
      fieldEnd = Math.max(fieldEnd, end);
      continue;
    }
    const holeAt = holes[best]!;
    const holeSize = holes[best + 1]!;
    const adjust = holeAt % size === 0 ? 0 : size - (holeAt % size);
    holes.splice(best, 2);
    if (adjust > 0) insertSorted(holes, holeAt, adjust);
    const rest = holeSize - adjust - size;
    if (rest > 0) insertSorted(holes, holeAt + adjust + size, rest);
    insertSorted(blocks, holeAt + adjust, size);
  }
  return { ...layout, blocks, end, fieldEnd };
}

function appendAll(blocks: number[], sizes: number[], shape: HotspotShape): Omit<FieldLayout, 'contended'> {
  let end = shape.headerBytes;
  for (const size of sizes) {
    const at = end % size === 0 ? end : end + size - (end % size);
    blocks.push(at, size);
    end = at + size;
  }
  return { blocks, end, fieldEnd: end };
}

/** Primitive fields largest first, then references (FieldLayoutBuilder::regular_field_sorting). */
function sortForLayout(types: readonly number[], shape: HotspotShape): number[] {
  const primitives: number[] = [];
  const oops: number[] = [];
  for (const type of types) {
    const size = fieldBytes(type, shape);
    if (size === 0) continue;
    if (type === TYPE_OBJECT) oops.push(size);
    else primitives.push(size);
  }
  primitives.sort((a, b) => b - a);
  return primitives.concat(oops);
}

function insertSorted(pairs: number[], offset: number, size: number): void {
  let i = pairs.length;
  while (i >= 2 && pairs[i - 2]! > offset) i -= 2;
  pairs.splice(i, 0, offset, size);
}

export function alignObject(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}

/** An instance's size from its layout. */
export function instanceBytes(layout: FieldLayout): number {
  return alignObject(layout.end);
}

/** A java.lang.Class object: java.lang.Class's own size, then the class's static fields. */
export function mirrorBytes(classInstanceBytes: number, staticTypes: readonly number[], shape: HotspotShape): number {
  let end = classInstanceBytes;
  let oops = 0;
  const primitives: number[] = [];
  for (const type of staticTypes) {
    if (type === TYPE_OBJECT) oops++;
    else {
      const size = fieldBytes(type, shape);
      if (size > 0) primitives.push(size);
    }
  }
  end += oops * shape.oopBytes;
  primitives.sort((a, b) => b - a);
  for (const size of primitives) {
    if (end % size !== 0) end += size - (end % size);
    end += size;
  }
  return alignObject(end);
}

/** An array of `length` elements of `elementBytes` each. */
export function arrayBytes(length: number, elementBytes: number, shape: HotspotShape): number {
  const lengthEnd = shape.headerBytes + 4;
  // Elements start at the next heap word; on a 32-bit VM only 8-byte elements need 8-byte alignment.
  const base = shape.wordBytes === 8 || elementBytes === 8 ? Math.ceil(lengthEnd / 8) * 8 : lengthEnd;
  return alignObject(base + length * elementBytes);
}

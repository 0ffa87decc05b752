// The classes of a dump: names (LOAD CLASS + UTF8), CLASS DUMP contents, and for each class the
// layout of its instances' field values in the dump — which bytes are references, where a
// String keeps its value, a Thread its name, a Reference its referent.

import { TYPE_OBJECT, valueSize } from '../../formats/hprof/parser/constants';
import type { ClassDumpRecord } from '../../formats/hprof/parser/records';
import type { HeapClass } from './graph';

/** VM name → Java name, as VisualVM writes it: "[B" → "byte[]", "java/lang/String" → "java.lang.String". */
export function javaClassName(vmName: string): string {
  let name = vmName.replace(/\//g, '.');
  let dims = 0;
  while (dims < name.length && name[dims] === '[') dims++;
  if (dims === 0) return name;
  name = name.slice(dims);
  const primitive: Record<string, string> = { C: 'char', B: 'byte', I: 'int', Z: 'boolean', F: 'float', D: 'double', S: 'short', J: 'long' };
  if (name.startsWith('L')) name = name.slice(1, name.endsWith(';') ? -1 : undefined);
  else if (name.length > 0 && primitive[name[0]!]) name = primitive[name[0]!]!;
  return name + '[]'.repeat(dims);
}

/** The Java name of the array class whose elements have primitive `type` (4 → "boolean[]"). */
export const PRIMITIVE_ARRAY_NAMES: Readonly<Record<number, string>> = {
  4: 'boolean[]',
  5: 'char[]',
  6: 'float[]',
  7: 'double[]',
  8: 'byte[]',
  9: 'short[]',
  10: 'int[]',
  11: 'long[]',
};

/** The reference classes whose `referent` keeps nothing alive (VisualVM's list). */
const WEAK_REFERENCE_CLASSES = new Set(['java.lang.ref.WeakReference', 'java.lang.ref.SoftReference', 'java.lang.ref.FinalReference', 'java.lang.ref.PhantomReference']);

export interface InstanceLayout {
  /** Every class up the hierarchy was dumped. */
  complete: boolean;
  /** Bytes of field values an instance dump carries. */
  dataLength: number;
  /** Offsets of the strong reference fields, in dump order (this class's fields, then its super's). */
  refOffsets: Int32Array;
  /** The names of those fields, in the same order (what a path from a GC root shows at each step). */
  refNames: string[];
  /** Offset of `referent` in a Weak/Soft/Final/Phantom reference, else -1. */
  referent: number;
  isString: boolean;
  stringValue: number;
  stringCoder: number;
  stringOffset: number;
  stringCount: number;
  /** Offset of java.lang.Thread's `name`, -1 for anything that is not a Thread. */
  threadName: number;
}

export class ClassTable {
  readonly classes: HeapClass[] = [];
  private readonly byId = new Map<number, number>();
  private readonly names = new Map<number, { serial: number; nameId: number }>();
  private readonly layouts: (InstanceLayout | undefined)[] = [];

  constructor(
    private readonly strings: Map<number, string>,
    private readonly idSize: number,
  ) {}

  get size(): number {
    return this.classes.length;
  }

  loadClass(serial: number, classId: number, nameId: number): void {
    this.names.set(classId, { serial, nameId });
    const index = this.byId.get(classId);
    if (index !== undefined) this.classes[index]!.serial = serial;
  }

  /** The index of the class with this id, creating a placeholder until its CLASS DUMP arrives. */
  indexOf(classId: number): number {
    const known = this.byId.get(classId);
    if (known !== undefined) return known;
    const index = this.classes.length;
    this.classes.push({
      index,
      id: classId,
      name: '',
      dumped: false,
      superId: 0,
      superIndex: -1,
      loaderId: 0,
      rawInstanceSize: 0,
      statics: [],
      fields: [],
      node: -1,
      serial: this.names.get(classId)?.serial ?? -1,
    });
    this.byId.set(classId, index);
    return index;
  }

  find(classId: number): number {
    return this.byId.get(classId) ?? -1;
  }

  /** Records a CLASS DUMP; returns false if the class was already dumped (the first one stays). */
  classDump(record: ClassDumpRecord, node: number): boolean {
    const index = this.indexOf(record.classId);
    const cls = this.classes[index]!;
    if (cls.dumped) return false;
    cls.dumped = true;
    cls.superId = record.superId;
    cls.loaderId = record.loaderId;
    cls.rawInstanceSize = record.instanceSize;
    cls.statics = record.statics;
    cls.fields = record.fields;
    cls.node = node;
    return true;
  }

  /** The Java name of a class by what LOAD CLASS said, "" when it said nothing. */
  nameOf(index: number): string {
    const cls = this.classes[index]!;
    if (cls.name) return cls.name;
    const loaded = this.names.get(cls.id);
    const vmName = loaded ? this.strings.get(loaded.nameId) : undefined;
    if (vmName !== undefined) cls.name = javaClassName(vmName);
    return cls.name;
  }

  fieldName(nameId: number): string {
    return this.strings.get(nameId) ?? '';
  }

  /** Sets names (a placeholder for classes nobody named) and super class indices. */
  resolve(): void {
    // Classes only LOAD CLASS names (never dumped, no instances) are listed too.
    for (const classId of this.names.keys()) this.indexOf(classId);
    for (const cls of this.classes) {
      if (!this.nameOf(cls.index)) cls.name = `class@0x${cls.id.toString(16)}`;
      const sup = cls.superId === 0 ? undefined : this.byId.get(cls.superId);
      cls.superIndex = sup !== undefined && this.classes[sup]!.dumped ? sup : -1;
    }
  }

  /** True if the class or one of its ancestors is named `name`. */
  isSubclassOf(index: number, test: (name: string) => boolean): boolean {
    for (let c = index, hops = 0; c >= 0 && hops < 10_000; hops++) {
      if (test(this.nameOf(c))) return true;
      const cls = this.classes[c]!;
      if (cls.superId === 0) return false;
      c = this.byId.get(cls.superId) ?? -1;
    }
    return false;
  }

  /**
   * The layout of an instance's field values. Before the end of the dump, null until the class and
   * all its super classes are dumped (Android writes some instances before their class); with
   * `final`, whatever is known, marked incomplete.
   */
  layout(index: number, final: boolean): InstanceLayout | null {
    const cached = this.layouts[index];
    if (cached && (cached.complete || final)) return cached;
    const chain: HeapClass[] = [];
    let complete = true;
    for (let c = index; ; ) {
      const cls = this.classes[c]!;
      if (!cls.dumped || chain.includes(cls)) {
        complete = false;
        break;
      }
      chain.push(cls);
      if (cls.superId === 0) break;
      const sup = this.byId.get(cls.superId);
      if (sup === undefined) {
        complete = false;
        break;
      }
      c = sup;
    }
    if (!complete && !final) return null;
    const layout = this.build(index, chain, complete);
    this.layouts[index] = layout;
    return layout;
  }

  private build(index: number, chain: HeapClass[], complete: boolean): InstanceLayout {
    const weak = this.isSubclassOf(index, (n) => WEAK_REFERENCE_CLASSES.has(n));
    const isThread = this.isSubclassOf(index, (n) => n === 'java.lang.Thread');
    const layout: InstanceLayout = {
      complete,
      dataLength: 0,
      refOffsets: new Int32Array(0),
      refNames: [],
      referent: -1,
      isString: this.nameOf(index) === 'java.lang.String',
      stringValue: -1,
      stringCoder: -1,
      stringOffset: -1,
      stringCount: -1,
      threadName: -1,
    };
    const refs: number[] = [];
    let offset = 0;
    for (const cls of chain) {
      const declaring = this.nameOf(cls.index);
      for (const field of cls.fields) {
        const name = this.fieldName(field.nameId);
        if (field.type === TYPE_OBJECT) {
          if (weak && declaring === 'java.lang.ref.Reference' && name === 'referent') layout.referent = offset;
          else {
            refs.push(offset);
            layout.refNames.push(name);
          }
        }
        if (layout.isString && cls.index === index) {
          if (name === 'value' && field.type === TYPE_OBJECT) layout.stringValue = offset;
          else if (name === 'coder') layout.stringCoder = offset;
          else if (name === 'offset') layout.stringOffset = offset;
          else if (name === 'count') layout.stringCount = offset;
        }
        if (isThread && declaring === 'java.lang.Thread' && name === 'name' && field.type === TYPE_OBJECT) layout.threadName = offset;
        offset += valueSize(field.type, this.idSize);
      }
    }
    layout.dataLength = offset;
    layout.refOffsets = Int32Array.from(refs);
    return layout;
  }
}

// Small hand-designed heaps, written as HPROF: classes with named fields, objects that refer to
// each other by name, GC roots. Sizes are easy to compute by hand with 4-byte identifiers (a
// 32-bit VM: 8-byte header, 4-byte references, objects rounded to 8 bytes).

import { ByteReader } from '../../../parsers/source/byte-reader';
import { loadHeap } from '../../../core/formats/hprof/load';
import type { HeapGraph } from '../../../core/analysis/heap/graph';
import { HprofWriter, type HeapRecords, type IdSize } from './hprof-writer';

export const T = { object: 2, boolean: 4, char: 5, float: 6, double: 7, byte: 8, short: 9, int: 10, long: 11 } as const;
export type FieldType = keyof typeof T;

export interface ToyClass {
  id: number;
  name: string;
  fields: [string, FieldType][];
  superName: string | null;
  statics: [string, FieldType, ToyObject | number | null][];
  loader: ToyObject | null;
}

export interface ToyObject {
  id: number;
  kind: 'instance' | 'objects' | 'primitives';
  cls: ToyClass | null;
  values: Map<string, ToyObject | number | null>;
  elements: (ToyObject | null)[];
  primitiveType: number;
  primitives: ArrayLike<number>;
}

export class ToyHeap {
  private readonly strings = new Map<string, number>();
  private readonly classes = new Map<string, ToyClass>();
  private readonly objects: ToyObject[] = [];
  private readonly roots: { tag: number; obj: ToyObject | ToyClass | { id: number }; extra: { u4?: number; id?: number }[] }[] = [];
  private nextString = 0x10;
  private nextClass = 0x100000;
  private nextObject = 0x1000000;

  constructor(
    readonly idSize: IdSize = 4,
    readonly version = 'JAVA PROFILE 1.0.2',
  ) {
    this.defineClass('java.lang.Object', [], null);
    this.defineClass('java.lang.Class', [], 'java.lang.Object');
    this.defineClass('java.lang.String', [['value', 'object'], ['coder', 'byte'], ['hash', 'int']]);
  }

  stringId(text: string): number {
    let id = this.strings.get(text);
    if (id === undefined) {
      id = this.nextString += 8;
      this.strings.set(text, id);
    }
    return id;
  }

  defineClass(name: string, fields: [string, FieldType][], superName: string | null = 'java.lang.Object', statics: ToyClass['statics'] = []): ToyClass {
    const cls: ToyClass = { id: (this.nextClass += 0x100), name, fields, superName, statics, loader: null };
    this.classes.set(name, cls);
    return cls;
  }

  classNamed(name: string): ToyClass {
    const cls = this.classes.get(name);
    if (!cls) throw new Error(`no class ${name}`);
    return cls;
  }

  /** An instance; values by field name (fields of super classes included). */
  instance(cls: ToyClass, values: Record<string, ToyObject | number | null> = {}): ToyObject {
    const obj: ToyObject = { id: this.allocate(), kind: 'instance', cls, values: new Map(Object.entries(values)), elements: [], primitiveType: 0, primitives: [] };
    this.objects.push(obj);
    return obj;
  }

  objectArray(elementClass: string, elements: (ToyObject | null)[]): ToyObject {
    const name = `[L${elementClass.replace(/\./g, '/')};`;
    const cls = this.classes.get(name) ?? this.defineClass(name, [], 'java.lang.Object');
    const obj: ToyObject = { id: this.allocate(), kind: 'objects', cls, values: new Map(), elements, primitiveType: 0, primitives: [] };
    this.objects.push(obj);
    return obj;
  }

  primitiveArray(type: FieldType, values: ArrayLike<number>): ToyObject {
    const vm = { boolean: '[Z', char: '[C', float: '[F', double: '[D', byte: '[B', short: '[S', int: '[I', long: '[J' } as Record<string, string>;
    const name = vm[type]!;
    if (!this.classes.has(name)) this.defineClass(name, [], 'java.lang.Object');
    const obj: ToyObject = { id: this.allocate(), kind: 'primitives', cls: null, values: new Map(), elements: [], primitiveType: T[type], primitives: values };
    this.objects.push(obj);
    return obj;
  }

  /** A java.lang.String (JDK 9+ layout: byte[] value, Latin-1). */
  string(text: string): ToyObject {
    const value = this.primitiveArray('byte', Array.from(text, (c) => c.charCodeAt(0)));
    return this.instance(this.classNamed('java.lang.String'), { value, coder: 0, hash: 0 });
  }

  /** A GC root: 'sticky-class' (0x05), 'jni-global' (0x01), 'java-frame' (0x03) with thread/frame … */
  root(tag: number, obj: ToyObject | ToyClass | { id: number }, ...extra: { u4?: number; id?: number }[]): void {
    this.roots.push({ tag, obj, extra });
  }

  private allocate(): number {
    const id = this.nextObject;
    this.nextObject += 0x40;
    return id;
  }

  private fieldsOf(cls: ToyClass): [string, FieldType][] {
    const all: [string, FieldType][] = [];
    for (let c: ToyClass | undefined = cls; c; c = c.superName ? this.classes.get(c.superName) : undefined) all.push(...c.fields);
    return all;
  }

  /**
   * The dump. Every class is a sticky-class root, as HotSpot makes the boot loader's classes, unless
   * `stickyClasses` is false (then class objects are reached only through references and links).
   */
  bytes(options: { classesLast?: boolean; segments?: number; stickyClasses?: boolean } = {}): Uint8Array {
    const w = new HprofWriter(this.idSize, { version: this.version });
    const ref = (v: ToyObject | number | null | undefined) => (v === null || v === undefined ? 0 : typeof v === 'number' ? v : v.id);
    for (const name of new Set([...this.classes.keys(), ...[...this.classes.values()].flatMap((c) => [...c.fields.map((f) => f[0]), ...c.statics.map((s) => s[0])])])) w.string(this.stringId(name), name.replace(/\./g, '/'));
    let serial = 1;
    for (const cls of this.classes.values()) w.loadClass(serial++, cls.id, this.stringId(cls.name));
    const classDumps = (h: HeapRecords) => {
      for (const cls of this.classes.values()) {
        h.classDump({
          classId: cls.id,
          superId: cls.superName ? this.classNamed(cls.superName).id : 0,
          loaderId: ref(cls.loader),
          instanceSize: cls.fields.reduce((sum, [, t]) => sum + (t === 'object' ? this.idSize : ({ boolean: 1, byte: 1, char: 2, short: 2, int: 4, float: 4, long: 8, double: 8 } as Record<string, number>)[t]!), 0),
          statics: cls.statics.map(([name, type, value]) => ({ nameId: this.stringId(name), type: T[type], value: ref(value) })),
          fields: cls.fields.map(([name, type]) => ({ nameId: this.stringId(name), type: T[type] })),
        });
      }
    };
    const objects = (h: HeapRecords, from: number, to: number) => {
      for (const o of this.objects.slice(from, to)) {
        if (o.kind === 'instance') {
          h.instance(
            o.id,
            o.cls!.id,
            this.fieldsOf(o.cls!).map(([name, type]) => ({ type: T[type], value: ref(o.values.get(name)) })),
          );
        } else if (o.kind === 'objects') h.objectArray(o.id, o.cls!.id, o.elements.map((e) => ref(e)));
        else h.primitiveArray(o.id, o.primitiveType, o.primitives);
      }
    };
    const roots = (h: HeapRecords) => {
      for (const r of this.roots) h.root(r.tag, r.obj.id, ...r.extra);
      if (options.stickyClasses !== false) for (const cls of this.classes.values()) if (!this.roots.some((r) => r.obj === cls)) h.root(0x05, cls.id);
    };
    const segments = options.segments ?? 1;
    const per = Math.ceil(this.objects.length / segments);
    for (let s = 0; s < segments; s++) {
      w.heapDump((h) => {
        if (s === 0 && !options.classesLast) classDumps(h);
        objects(h, s * per, (s + 1) * per);
        if (s === segments - 1) {
          if (options.classesLast) classDumps(h);
          roots(h);
        }
      });
    }
    w.heapDumpEnd();
    return w.bytes();
  }
}

/** A ByteReader over `bytes` handed out in chunks of `chunk` bytes. */
export function readerOf(bytes: Uint8Array, chunk = 1 << 16): ByteReader {
  async function* chunks() {
    for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, Math.min(bytes.length, at + chunk));
  }
  return new ByteReader(chunks());
}

export interface Loaded {
  graph: HeapGraph;
  diagnostics: { offset: number | null; severity: string; message: string }[];
}

export async function load(bytes: Uint8Array, chunk?: number): Promise<Loaded> {
  const diagnostics: Loaded['diagnostics'] = [];
  const { graph } = await loadHeap(readerOf(bytes, chunk), (offset, { severity, message }) => diagnostics.push({ offset, severity, message }));
  if (!graph) throw new Error(`no graph: ${JSON.stringify(diagnostics)}`);
  return { graph, diagnostics };
}

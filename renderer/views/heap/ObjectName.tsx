import type { HeapObjectRef } from '../../../core/domain/heap/contract';

/** "java.util.HashMap 0xf6a05290", or "class com.example.Cache 0x…" for a class object. */
export function ObjectName({ object }: { object: HeapObjectRef }) {
  return (
    <span className="object-name">
      <span className="object-class">{object.classOf ? `class ${object.classOf}` : object.class}</span> <span className="object-id mono">{object.objectId}</span>
    </span>
  );
}

import type { HeapObjectRef } from '../../../core/domain/heap/contract';
import { useInspectObject } from './inspect';

/**
 * "java.util.HashMap 0xf6a05290", or "class com.example.Cache 0x…" for a class object; inside the
 * heap view a button that opens the object in the inspector.
 */
export function ObjectName({ object }: { object: HeapObjectRef }) {
  const inspect = useInspectObject();
  const name = (
    <>
      <span className="object-class">{object.classOf ? `class ${object.classOf}` : object.class}</span> <span className="object-id mono">{object.objectId}</span>
    </>
  );
  if (!inspect) return <span className="object-name">{name}</span>;
  return (
    <button
      type="button"
      className="object-name link-button"
      title="Inspect: path from a GC root, references"
      onClick={(e) => {
        e.stopPropagation();
        inspect(object.objectId);
      }}
    >
      {name}
    </button>
  );
}

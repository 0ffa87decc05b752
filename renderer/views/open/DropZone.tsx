import { useState, type DragEvent, type ReactNode } from 'react';

interface DropZoneProps {
  onFile(file: File): void;
  /** Why a drop was refused, e.g. several files at once. */
  onRefuse(reason: string): void;
  children: ReactNode;
}

function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer.types).includes('Files');
}

/** Accepts one file dropped anywhere on it; the children hold the keyboard-reachable controls. */
export function DropZone({ onFile, onRefuse, children }: DropZoneProps) {
  // A counter, not a flag: dragenter/dragleave fire for every child the pointer crosses.
  const [depth, setDepth] = useState(0);

  return (
    <section
      className={depth > 0 ? 'drop-zone drop-zone-active' : 'drop-zone'}
      aria-label="Drop an evidence file here"
      onDragEnter={(event) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        setDepth((d) => d + 1);
      }}
      onDragOver={(event) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => setDepth((d) => Math.max(0, d - 1))}
      onDrop={(event) => {
        event.preventDefault();
        setDepth(0);
        const files = Array.from(event.dataTransfer.files);
        const [file] = files;
        if (!file) onRefuse('Nothing to open: drop a file, not a link or text.');
        else if (files.length > 1) onRefuse('Drop one file at a time (an archive can hold several captures).');
        else onFile(file);
      }}
    >
      {children}
    </section>
  );
}

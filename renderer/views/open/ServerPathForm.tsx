import { useState } from 'react';

/** Web mode: open a file already on the disk of the machine running capscope serve. */
export function ServerPathForm({ onOpen, disabled }: { onOpen(path: string): void; disabled: boolean }) {
  const [path, setPath] = useState('');
  return (
    <form
      className="path-form"
      onSubmit={(event) => {
        event.preventDefault();
        const trimmed = path.trim();
        if (trimmed) onOpen(trimmed);
      }}
    >
      <label htmlFor="server-path">Or open a path on the server's disk</label>
      <div className="path-form-row">
        <input
          id="server-path"
          type="text"
          spellCheck={false}
          autoComplete="off"
          placeholder="/var/tmp/captures/node-3.scap.gz"
          value={path}
          onChange={(event) => setPath(event.target.value)}
        />
        <button type="submit" disabled={disabled || path.trim() === ''}>
          Open path
        </button>
      </div>
    </form>
  );
}

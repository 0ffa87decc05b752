import { useEffect, useState } from 'react';
import { useApp } from '../../context/app-context';
import { PathText } from '../../components/PathText';

/** app.recentFiles as buttons; a click opens the file again. */
export function RecentFiles({ onOpen, disabled }: { onOpen(path: string): void; disabled: boolean }) {
  const { api } = useApp();
  const [files, setFiles] = useState<string[] | null>(null);

  useEffect(() => {
    let live = true;
    api.call('app.recentFiles', {}).then(
      (res) => live && setFiles(res.files),
      // The list is a convenience; without it the rest of the page still works.
      () => live && setFiles([]),
    );
    return () => {
      live = false;
    };
  }, [api]);

  if (files === null) return null;
  return (
    <section className="panel" aria-labelledby="recent-heading">
      <h2 id="recent-heading">Recent files</h2>
      {files.length === 0 ? (
        <p className="muted">Files you open will be listed here.</p>
      ) : (
        <ul className="recent-list">
          {files.map((path) => (
            <li key={path}>
              <button type="button" className="recent-item" onClick={() => onOpen(path)} disabled={disabled}>
                <PathText path={path} />
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

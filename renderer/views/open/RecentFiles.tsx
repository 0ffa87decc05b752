import { useEffect, useState } from 'react';
import { useApp } from '../../context/app-context';
import { PathText } from '../../components/PathText';

interface RecentFilesProps {
  onOpen(path: string): void;
  disabled: boolean;
  /** Changes when the list is worth asking for again (an open just failed). */
  revision: number;
}

/** app.recentFiles as buttons, a file whose last ingest failed marked so; a click opens the file again. */
export function RecentFiles({ onOpen, disabled, revision }: RecentFilesProps) {
  const { api } = useApp();
  const [files, setFiles] = useState<string[] | null>(null);
  const [failed, setFailed] = useState<Record<string, string>>({});

  useEffect(() => {
    let live = true;
    api.call('app.recentFiles', {}).then(
      (res) => {
        if (!live) return;
        setFiles(res.files);
        setFailed(res.failed);
      },
      // The list is a convenience; without it the rest of the page still works.
      () => live && setFiles([]),
    );
    return () => {
      live = false;
    };
  }, [api, revision]);

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
              <button type="button" className="recent-item" onClick={() => onOpen(path)} disabled={disabled} title={failed[path]}>
                <PathText path={path} />
                {failed[path] !== undefined && <span className="badge badge-bad recent-failed">failed</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

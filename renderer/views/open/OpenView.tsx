import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../../core/api';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { baseName } from '../../format';
import { toApiError } from '../../transport/errors';
import { uploadFile, type UploadHandle } from '../../transport/upload';
import { DropZone } from './DropZone';
import { RecentFiles } from './RecentFiles';
import { ServerPathForm } from './ServerPathForm';
import { UploadStatus, type UploadState } from './UploadStatus';
import { untilEvidence } from './until-evidence';

interface OpenViewProps {
  /** The user asked for the file chooser from elsewhere (Ctrl/Cmd+O in the browser). */
  chooserRequested: boolean;
  onChooserShown(): void;
}

export function OpenView({ chooserRequested, onChooserShown }: OpenViewProps) {
  const { api, info, bridge, openPath, showCase } = useApp();
  // Asked again after a failed open, so the file shows as failed in the list.
  const [recentRevision, setRecentRevision] = useState(0);
  const [opening, setOpening] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [upload, setUpload] = useState<UploadState | null>(null);
  const uploadHandle = useRef<UploadHandle | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const busy = opening !== null || upload !== null;

  // Leaving the page abandons an upload in flight rather than indexing a file nobody watches.
  useEffect(() => () => uploadHandle.current?.abort(), []);

  useEffect(() => {
    if (!chooserRequested) return;
    onChooserShown();
    void chooseFile();
  }, [chooserRequested]);

  async function openByPath(path: string) {
    setOpening(path);
    setError(null);
    try {
      await openPath(path);
    } catch (reason) {
      setError(toApiError(reason));
      setOpening(null);
      setRecentRevision((n) => n + 1);
    }
  }

  function startUpload(file: File) {
    setError(null);
    setUpload({ name: file.name, sent: 0, total: file.size });
    const handle = uploadFile(file, (sent, total) => setUpload({ name: file.name, sent, total }));
    uploadHandle.current = handle;
    handle.done.then(untilEvidence.bind(null, api)).then(
      (summary) => {
        uploadHandle.current = null;
        showCase(summary);
      },
      (reason: unknown) => {
        const cancelled = uploadHandle.current === null;
        uploadHandle.current = null;
        setUpload(null);
        if (!cancelled) setError(toApiError(reason));
      },
    );
  }

  function cancelUpload() {
    const handle = uploadHandle.current;
    uploadHandle.current = null;
    handle?.abort();
  }

  function openFile(file: File) {
    if (!bridge) return startUpload(file);
    const path = bridge.pathForFile(file);
    if (path) void openByPath(path);
    else setError(`“${file.name}” is not a file on this computer's disk; save it first, then open it.`);
  }

  async function chooseFile() {
    if (busy) return;
    if (!bridge) {
      fileInput.current?.click();
      return;
    }
    try {
      const path = await bridge.pickFile();
      if (path) await openByPath(path);
    } catch (reason) {
      setError(toApiError(reason));
    }
  }

  return (
    <div className="open-view">
      <h1>Open evidence</h1>
      <p className="lead">
        Syscall captures (.scap), network captures (.pcap, .pcapng) and Java heap dumps (.hprof), also inside .gz,
        .zst and .tar archives. The file is indexed on this machine; nothing leaves it.
      </p>

      <DropZone onFile={openFile} onRefuse={setError}>
        <p className="drop-title">Drop a capture here</p>
        <div className="drop-actions">
          <button type="button" className="primary" onClick={() => void chooseFile()} disabled={busy}>
            Choose file…
          </button>
          {info.samplePath && (
            <button type="button" onClick={() => void openByPath(info.samplePath!)} disabled={busy}>
              Open the bundled sample ({baseName(info.samplePath)})
            </button>
          )}
        </div>
        {!bridge && (
          <input
            ref={fileInput}
            className="visually-hidden"
            type="file"
            tabIndex={-1}
            aria-label="Evidence file to upload"
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file) startUpload(file);
            }}
          />
        )}
        {!bridge && (
          <p className="muted small">
            In the browser a chosen file is uploaded to capscope serve, which keeps a copy in its case cache.
          </p>
        )}
      </DropZone>

      {upload && <UploadStatus upload={upload} onCancel={cancelUpload} />}
      {opening && (
        <p className="status-line" aria-live="polite">
          Opening <strong>{baseName(opening)}</strong>…
        </p>
      )}
      <ErrorLine error={error} />

      {!bridge && <ServerPathForm onOpen={(path) => void openByPath(path)} disabled={busy} />}
      <RecentFiles onOpen={(path) => void openByPath(path)} disabled={busy} revision={recentRevision} />
    </div>
  );
}

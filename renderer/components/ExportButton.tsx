import { useState } from 'react';
import type { ApiError } from '../../core/api';
import type { ExportedFile } from '../../core/domain/export/contract';
import { toApiError } from '../transport/errors';
import { decodeBase64 } from '../formatting/bytes';
import { ErrorLine } from './ErrorLine';
import { offerDownload } from './download';

/**
 * A button that makes a file through the API and offers it for download, saying what was written
 * (and what the user should know of it) or why it could not be.
 */
export function ExportButton({ label, title, make }: { label: string; title: string; make: () => Promise<ExportedFile> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = () => {
    setBusy(true);
    setError(null);
    setDone(null);
    make().then(
      (file) => {
        offerDownload(decodeBase64(file.base64) as Uint8Array<ArrayBuffer>, file.mediaType, file.fileName);
        setDone(`${file.fileName}: ${file.items.toLocaleString()} ${file.items === 1 ? 'item' : 'items'}, ${file.bytes.toLocaleString()} bytes${file.note ? `. ${file.note}` : ''}`);
        setBusy(false);
      },
      (reason: unknown) => {
        setError(toApiError(reason));
        setBusy(false);
      },
    );
  };
  return (
    <span className="export-button">
      <button type="button" title={title} disabled={busy} onClick={run}>
        {busy ? 'Exporting…' : label}
      </button>
      {done && (
        <span className="muted small export-done" role="status">
          {done}
        </span>
      )}
      <ErrorLine error={error} />
    </span>
  );
}

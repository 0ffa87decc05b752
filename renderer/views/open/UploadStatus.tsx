import { ProgressBar } from '../../components/ProgressBar';
import { formatBytes } from '../../format';

export interface UploadState {
  name: string;
  sent: number;
  total: number;
}

/** Web mode: the bytes of a picked or dropped file on their way to capscope serve. */
export function UploadStatus({ upload, onCancel }: { upload: UploadState; onCancel(): void }) {
  const finished = upload.total > 0 && upload.sent >= upload.total;
  return (
    <div className="upload-status" aria-live="polite">
      <div className="status-line">
        <span>
          {finished ? 'Uploaded' : 'Uploading'} <strong>{upload.name}</strong>: {formatBytes(upload.sent)} of{' '}
          {formatBytes(upload.total)}
          {finished && ', starting the index…'}
        </span>
        <button type="button" onClick={onCancel}>
          Cancel upload
        </button>
      </div>
      <ProgressBar label={`Uploading ${upload.name}`} done={upload.sent} total={upload.total} />
    </div>
  );
}

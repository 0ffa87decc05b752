import type { ApiError } from '../../core/api';

/** One line saying what went wrong; announced to screen readers as it appears. */
export function ErrorLine({ error }: { error: ApiError | string | null }) {
  if (error === null) return null;
  return (
    <p className="error-line" role="alert">
      {typeof error === 'string' ? error : error.message}
    </p>
  );
}

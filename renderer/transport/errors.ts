import { API_ERROR_CODES, ApiError, type ApiErrorBody, type ApiErrorCode } from '../../core/api';

const CODES = Object.keys(API_ERROR_CODES) as ApiErrorCode[];

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string' &&
    CODES.includes((error as { code?: unknown }).code as ApiErrorCode)
  );
}

/** Whatever a transport rejected with, as the one error type views deal with. */
export function toApiError(reason: unknown): ApiError {
  if (reason instanceof ApiError) return reason;
  if (isApiErrorBody(reason)) return new ApiError(reason.error.code, reason.error.message);
  if (reason instanceof Error) return new ApiError('internal', reason.message);
  return new ApiError('internal', String(reason));
}

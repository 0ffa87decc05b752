import type { StreamTarget } from '../view-contract';

/** The address of a place in a stream (the case shell's route: #/case/<id>/stream/<stream>[/<dir>/<offset>]). */
export function streamHash(caseId: string, target: StreamTarget): string {
  const base = `#/case/${encodeURIComponent(caseId)}/stream/${target.streamId}`;
  return target.dir !== undefined && target.offset !== undefined ? `${base}/${target.dir}/${target.offset}` : base;
}

// API methods of the exploring views: overview tiles, the timeline, the tables (containers,
// processes, threads, connections, files, directories, errors, events) and their drill-downs.
// Types only, like core/api.ts: the browser bundle imports this file.

export interface ExploreMethods {}

// A record, not an array, so that the compiler insists every method of the map is listed.
export const EXPLORE_METHOD_NAMES: Record<keyof ExploreMethods, true> = {};

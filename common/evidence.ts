// Words about evidence that every layer shares, from the pure parsers up to the renderer: which
// container layers wrap an entry, how bad a diagnostic is, and how a format is named. Types only;
// this folder imports nothing, so the parsers, the core and the browser bundle can all use it.

/** A container layer around an entry, outermost first ("gzip", then "tar", ...). */
export type ContainerLayer = 'gzip' | 'zstd' | 'tar';

export type Severity = 'info' | 'warning' | 'error';

/**
 * The name of an evidence format as a source row records it ("scap", "pcap", "pcapng", "hprof").
 * Which names exist is up to the registered formats (core/registry/formats.ts), so it is a string
 * here: only a format's own folder gives one of them a meaning.
 */
export type FormatName = string;

/**
 * What a case can show because of the evidence in it; views and tiles ask for capabilities, never
 * for formats. 'syscalls': processes, threads, containers, fds and their events; 'packets': network
 * flows seen on the wire; 'heap': a heap dump's objects; 'profile': Go profiles (pprof), their
 * samples, functions and goroutines.
 */
export type Capability = 'syscalls' | 'packets' | 'heap' | 'profile';

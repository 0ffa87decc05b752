// Maps a URL path to a file inside a directory, refusing anything that would leave it. Shared by the
// web server and Electron's capscope:// protocol handler.
import path from 'node:path';

/**
 * The file under `rootDir` that a URL path names, or null when the path would leave it
 * (`..`, percent-encoded separators, NUL bytes, absolute paths).
 */
export function resolveInside(rootDir: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = path.resolve(rootDir);
  const target = path.resolve(root, relative);
  const inside = path.relative(root, target);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return null;
  return target;
}

import { baseName, dirName } from '../format';

/** A file path as file name plus a quieter directory; plain text, whatever the name contains. */
export function PathText({ path }: { path: string }) {
  const dir = dirName(path);
  return (
    <span className="path-text" title={path}>
      <span className="path-name">{baseName(path)}</span>
      {dir && <span className="path-dir">{dir}</span>}
    </span>
  );
}

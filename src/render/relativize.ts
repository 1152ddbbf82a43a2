/**
 * `path` relative to the run directory `base`: the directory itself becomes
 * `.`, paths inside it lose the prefix, anything else (including siblings such
 * as `/repo2` next to `/repo`) is returned unchanged.
 */
export function relativizePath(path: string, base: string | undefined): string {
  if (!path || !base) return path;
  const root = base.length > 1 && base.endsWith("/") ? base.slice(0, -1) : base;
  if (path === root) return ".";
  const prefix = root === "/" ? "/" : `${root}/`;
  if (!path.startsWith(prefix)) return path;
  return path.slice(prefix.length) || ".";
}

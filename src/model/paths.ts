/** `dir` without trailing slashes (`/` stays `/`). */
export function trimTrailingSlashes(dir: string): string {
  let end = dir.length;
  while (end > 1 && dir.charCodeAt(end - 1) === 47) end--;
  return end === dir.length ? dir : dir.slice(0, end);
}

/**
 * `path` relative to the run directory `base`, for titles users read on a
 * phone: the directory itself becomes `.`, paths inside it lose the prefix,
 * anything else (including siblings such as `/repo2` next to `/repo`) is
 * returned unchanged.
 */
export function relativizePath(path: string, base: string | undefined): string {
  if (!path || !base) return path;
  const root = trimTrailingSlashes(base);
  if (path === root || path === `${root}/`) return ".";
  const prefix = root === "/" ? "/" : `${root}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) || "." : path;
}

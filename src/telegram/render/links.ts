const MAX_URL_LENGTH = 2048;

/**
 * The URL a `text_link` entity may carry for this link target, or undefined when the
 * target must stay plain text. Telegram rejects the whole message (400) for targets it
 * cannot open, such as the relative or local file paths agents often write, so only
 * web links with a host and `tg:` links qualify. A URL with spaces or other unsafe
 * characters comes back percent-encoded; otherwise it is kept as written.
 */
export function linkTarget(href: string): string | undefined {
  // Telegram also caps the total size of a message's entities; no real link is this long.
  if (href.length > MAX_URL_LENGTH) return undefined;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(href)?.[1]?.toLowerCase();
  if (scheme !== "http" && scheme !== "https" && scheme !== "tg") return undefined;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  if (scheme === "tg") {
    return url.hostname.length > 0 || url.pathname.replace(/^\/+/, "").length > 0
      ? written(href, url)
      : undefined;
  }
  // `https:foo` parses (the URL parser invents the slashes); insist on them being written.
  return /^https?:\/\/[^/?#\s]/i.test(href) && url.hostname.length > 0 ? written(href, url) : undefined;
}

function written(href: string, url: URL): string {
  return /[\s<>"\\^`{|}]/.test(href) ? url.href : href;
}

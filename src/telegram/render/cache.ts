import { renderMarkdown } from "./markdown";
import type { RenderedText } from "./types";

// Consecutive edits of a progress message mostly re-render the same parts: the footer
// (ctx and resume lines) never changes during a run and the body only when an action
// does. A small insertion-ordered map remembers recent renderings. Entries are frozen
// so a caller that mutated one would fail loudly instead of corrupting later messages.
const MAX_ENTRIES = 256;
const MAX_KEY_LENGTH = 8192;
const cache = new Map<string, RenderedText>();

export function renderCached(md: string): RenderedText {
  const hit = cache.get(md);
  if (hit) {
    // Re-insert: recently used entries are evicted last.
    cache.delete(md);
    cache.set(md, hit);
    return hit;
  }
  const rendered = renderMarkdown(md);
  if (md.length > MAX_KEY_LENGTH) return rendered;
  for (const e of rendered.entities) Object.freeze(e);
  Object.freeze(rendered.entities);
  const entry = Object.freeze(rendered);
  cache.set(md, entry);
  if (cache.size > MAX_ENTRIES) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  return entry;
}

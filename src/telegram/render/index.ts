// Markdown → Telegram text + entities, and takopi messages cut (trim) or spread (split)
// to Telegram's limits. Pure functions, no I/O.
export { renderMarkdown } from "./markdown";
export { continuedHeader, renderSplit, renderTrimmed, trimBody } from "./message";
export { type BodyChunk, splitBody } from "./split";
export { BODY_LIMIT, MAX_ENTITIES, MESSAGE_LIMIT, type RenderedText } from "./types";

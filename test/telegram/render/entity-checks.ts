import type { MessageEntity } from "grammy/types";
import type { RenderedText } from "../../../src/telegram/render";

const high = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const low = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;
const LITERAL = new Set(["code", "pre"]);
// Telegram: apart from bold/italic/underline/strikethrough/spoiler (and blockquote around
// other kinds), entities cannot contain each other.
const EXCLUSIVE = new Set(["code", "pre", "text_link"]);

function splitsPair(text: string, at: number): boolean {
  return at > 0 && at < text.length && high(text.charCodeAt(at - 1)) && low(text.charCodeAt(at));
}

/** Everything Telegram would reject or mangle in a rendered message; empty when it is valid. */
export function entityProblems(r: RenderedText): string[] {
  const problems: string[] = [];
  const { text } = r;
  if (!text.isWellFormed()) problems.push("text has a lone surrogate");
  const stack: MessageEntity[] = [];
  let previous: MessageEntity | undefined;
  for (const e of r.entities) {
    const end = e.offset + e.length;
    const where = `${e.type}(${e.offset},${e.length})`;
    if (!Number.isInteger(e.offset) || !Number.isInteger(e.length)) problems.push(`${where}: not integers`);
    if (e.offset < 0) problems.push(`${where}: negative offset`);
    if (e.length <= 0) problems.push(`${where}: empty`);
    if (end > text.length) problems.push(`${where}: beyond text of ${text.length}`);
    if (splitsPair(text, e.offset) || splitsPair(text, end))
      problems.push(`${where}: splits a surrogate pair`);
    if (
      previous &&
      (e.offset < previous.offset || (e.offset === previous.offset && e.length > previous.length))
    ) {
      problems.push(`${where}: not sorted after ${previous.type}(${previous.offset},${previous.length})`);
    }
    previous = e;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.offset + top.length <= e.offset) stack.pop();
      else break;
    }
    const parent = stack[stack.length - 1];
    if (parent && end > parent.offset + parent.length) problems.push(`${where}: crosses ${parent.type}`);
    for (const outer of stack) {
      if (LITERAL.has(outer.type)) problems.push(`${where}: inside ${outer.type}`);
      if (outer.type === "blockquote" && e.type === "blockquote")
        problems.push(`${where}: nested blockquote`);
      if (EXCLUSIVE.has(outer.type) && EXCLUSIVE.has(e.type)) problems.push(`${where}: inside ${outer.type}`);
    }
    stack.push(e);
  }
  return problems;
}

/** `inner`'s text and entities appear in `outer` at `offset`. */
export function containsAt(outer: RenderedText, inner: RenderedText, offset: number): boolean {
  if (outer.text.slice(offset, offset + inner.text.length) !== inner.text) return false;
  const shifted = new Set(outer.entities.map((e) => JSON.stringify(e)));
  return inner.entities.every((e) => shifted.has(JSON.stringify({ ...e, offset: e.offset + offset })));
}

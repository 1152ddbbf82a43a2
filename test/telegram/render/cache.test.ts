import { expect, test } from "bun:test";
import { renderMarkdown } from "../../../src/telegram/render";
import { renderCached } from "../../../src/telegram/render/cache";

test("a repeated part is rendered once and shared, frozen", () => {
  const md = "`codex resume cache-test-1`";
  const first = renderCached(md);
  expect(first).toEqual(renderMarkdown(md));
  expect(renderCached(md)).toBe(first);
  expect(Object.isFrozen(first.entities)).toBe(true);
  expect(() => {
    (first.entities[0] as { offset: number }).offset = 5;
  }).toThrow();
});

test("least recently used entries are evicted", () => {
  const kept = renderCached("**kept** cache-test-2");
  const dropped = renderCached("**dropped** cache-test-2");
  for (let i = 0; i < 300; i++) {
    renderCached(`**filler ${i}** cache-test-2`);
    if (i % 50 === 0) renderCached("**kept** cache-test-2");
  }
  expect(renderCached("**kept** cache-test-2")).toBe(kept);
  const again = renderCached("**dropped** cache-test-2");
  expect(again).not.toBe(dropped);
  expect(again).toEqual(dropped);
});

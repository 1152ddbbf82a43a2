// The per-edit hot path: how long rendering one progress edit or one final answer takes.
// Run: bun bench/render.ts

import { loadavg } from "node:os";
import { renderMarkdown, renderSplit, renderTrimmed } from "../src/telegram/render";
import type { RenderedParts } from "../src/transport";

const FOOTER = "`ctx: takopi @feat/render`  \n`codex resume 019a2c4e-0d5e-7c11-b0f3-8a1f2e3d4c5b`";
const ACTIONS = [
  "✓ `bash -lc 'rg -n \"renderMarkdown\" src'`",
  "✓ files: update `src/telegram/render/markdown.ts`",
  "✗ `bun test test/telegram/render` (exit 1)",
  "↻ tool: apply_patch",
];

/** Edit i of a run: the elapsed time and the last action line change every time. */
function progressEdit(i: number): RenderedParts {
  return {
    header: `working · codex · ${Math.floor(i / 60)}m ${String(i % 60).padStart(2, "0")}s · step ${5 + i}`,
    body: [...ACTIONS, `▸ \`bun test test/telegram/render/case-${i}.test.ts\``].join("  \n"),
    footer: FOOTER,
  };
}

function finalAnswer(target: number): string {
  const blocks = [
    "## Summary\n\nI rewrote the **renderer** so entity offsets are exact in UTF-16 units; emoji like 🐙 and CJK like 日本語 no longer shift `bold` spans.",
    "Changes:\n\n1. `src/telegram/render/markdown.ts`: walks marked tokens\n- keeps numbering\n1. `split.ts`: closes and reopens fences\n2. Tests: see [the PR](https://github.com/example/takopi/pull/42)",
    "```ts\nexport function renderTrimmed(parts: RenderedParts): RenderedText {\n  const header = renderMarkdown(parts.header);\n  return joinRendered([header, body, footer]);\n}\n```",
    "> Note: local paths such as [notes](./notes.md) stay plain text.",
    "| file | lines |\n|---|--:|\n| markdown.ts | 240 |\n| split.ts | 150 |",
  ];
  let out = "";
  for (let i = 0; out.length < target; i++) out += `${blocks[i % blocks.length]}\n\n`;
  return out.slice(0, target);
}

/** Final answer i: same size and shape, different text each time (no cache hits). */
function finalParts(i: number): RenderedParts {
  return {
    header: `done · codex · 3m ${i % 60}s · step 12`,
    body: `Run ${i}.\n\n${finalAnswer(4000)}`,
    footer: FOOTER,
  };
}

function bench(name: string, runs: number, fn: (i: number) => unknown): void {
  for (let i = 0; i < 500; i++) fn(-1 - i); // warm up the JIT
  const start = Bun.nanoseconds();
  for (let i = 0; i < runs; i++) fn(i);
  const us = (Bun.nanoseconds() - start) / runs / 1000;
  console.log(`${name.padEnd(52)} ${us.toFixed(1).padStart(8)} µs/render  (${runs} runs)`);
}

const edits = Array.from({ length: 20000 }, (_, i) => progressEdit(i));
const finals = Array.from({ length: 1000 }, (_, i) => finalParts(i));
console.log(`load average ${loadavg()[0]?.toFixed(2)} (figures scale with it on a shared machine)`);
bench("progress edit: renderMarkdown of each part, no cache", edits.length, (i) => {
  const p = edits[i] ?? edits[0]!;
  return [renderMarkdown(p.header), renderMarkdown(p.body), renderMarkdown(p.footer)];
});
bench("progress edit: renderTrimmed (what the transport calls)", edits.length, (i) =>
  renderTrimmed(edits[i] ?? edits[0]!),
);
bench("final answer 4000 chars: renderTrimmed", finals.length, (i) => renderTrimmed(finals[i] ?? finals[0]!));
bench("final answer 4000 chars: renderSplit (2 messages)", finals.length, (i) =>
  renderSplit(finals[i] ?? finals[0]!),
);

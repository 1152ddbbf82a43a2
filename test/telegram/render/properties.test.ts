import { describe, expect, test } from "bun:test";
import {
  BODY_LIMIT,
  continuedHeader,
  MAX_ENTITIES,
  MESSAGE_LIMIT,
  type RenderedText,
  renderMarkdown,
  renderSplit,
  renderTrimmed,
  splitBody,
} from "../../../src/telegram/render";
import { joinRendered } from "../../../src/telegram/render/utf16";
import { containsAt, entityProblems } from "./entity-checks";
import { FOOTERS, Gen, HEADERS, randomMarkdown } from "./random-markdown";

const CASES = 500;

interface Case {
  readonly seed: number;
  readonly header: string;
  readonly body: string;
  readonly footer: string;
}

/** Lengths 0..20000, weighted towards the sizes agents usually produce. */
function makeCase(seed: number): Case {
  const g = new Gen(seed);
  const size = g.pick([0, 1, 40, 300, 1500, 3400, 3600, 4100, 8000, 20000]);
  const target = g.int(0, size);
  return { seed, header: g.pick(HEADERS), body: randomMarkdown(g, target), footer: g.pick(FOOTERS) };
}

const cases = Array.from({ length: CASES }, (_, i) => makeCase(1000 + i));

// Several properties look at a body's full rendering: compute it once per case.
const renderedBodies = new Map<Case, RenderedText>();
function renderedBody(c: Case): RenderedText {
  let r = renderedBodies.get(c);
  if (!r) {
    r = renderMarkdown(c.body);
    renderedBodies.set(c, r);
  }
  return r;
}

function expectValid(r: RenderedText, c: Case, what: string): void {
  const problems = entityProblems(r);
  if (problems.length > 0) throw new Error(`seed ${c.seed} ${what}: ${problems.slice(0, 5).join("; ")}`);
  if (r.text.length > MESSAGE_LIMIT)
    throw new Error(`seed ${c.seed} ${what}: ${r.text.length} > ${MESSAGE_LIMIT}`);
}

function expectFooter(r: RenderedText, footer: RenderedText, c: Case, what: string): void {
  if (footer.text.length === 0) return;
  const at = r.text.length - footer.text.length;
  if (at < 0 || !containsAt(r, footer, at))
    throw new Error(`seed ${c.seed} ${what}: footer lost: ${JSON.stringify(r.text.slice(-200))}`);
}

function expectHeader(r: RenderedText, header: RenderedText, c: Case, what: string): void {
  if (!containsAt(r, header, 0))
    throw new Error(`seed ${c.seed} ${what}: header lost: ${JSON.stringify(r.text.slice(0, 200))}`);
}

describe(`properties over ${CASES} random documents`, () => {
  test("renderMarkdown: entities inside the text, well nested, no split surrogate pairs", () => {
    for (const c of cases) {
      const r = renderedBody(c);
      const problems = entityProblems(r);
      if (problems.length > 0) throw new Error(`seed ${c.seed}: ${problems.slice(0, 5).join("; ")}`);
      expect(r.text).toBe(r.text.trimEnd());
    }
  });

  test("renderTrimmed: ≤ 4096 units, header and footer (resume line) intact", () => {
    for (const c of cases) {
      const r = renderTrimmed(c);
      expectValid(r, c, "trim");
      expectHeader(r, renderMarkdown(c.header), c, "trim");
      expectFooter(r, renderMarkdown(c.footer), c, "trim");
    }
  });

  test("renderTrimmed: a message that fits is not cut", () => {
    for (const c of cases) {
      if (c.body.length > BODY_LIMIT) continue;
      const whole = joinRendered([renderMarkdown(c.header), renderedBody(c), renderMarkdown(c.footer)]);
      if (whole.text.length > MESSAGE_LIMIT) continue;
      const r = renderTrimmed(c);
      expect(r.text).toBe(whole.text);
      if (whole.entities.length <= MAX_ENTITIES) expect(r.entities).toEqual(whole.entities);
    }
  });

  test("renderSplit: every message ≤ 4096 units, with header or continuation and the footer", () => {
    for (const c of cases) {
      const messages = renderSplit(c);
      expect(messages.length).toBeGreaterThan(0);
      const footer = renderMarkdown(c.footer);
      messages.forEach((m, i) => {
        const what = `split ${i + 1}/${messages.length}`;
        expectValid(m, c, what);
        expectFooter(m, footer, c, what);
        expectHeader(m, renderMarkdown(continuedHeader(c.header, i + 1, messages.length)), c, what);
      });
    }
  });

  test("splitBody: chunks fit and reassemble to the whole body", () => {
    for (const c of cases) {
      const chunks = splitBody(c.body, BODY_LIMIT);
      expect(chunks.map((k) => k.content).join("")).toBe(c.body);
      for (const k of chunks) {
        const size = k.prefix.length + k.content.length + k.suffix.length;
        if (size > BODY_LIMIT) throw new Error(`seed ${c.seed}: chunk of ${size}`);
        const last = k.content.charCodeAt(k.content.length - 1);
        if (last >= 0xd800 && last <= 0xdbff && k !== chunks[chunks.length - 1]) {
          throw new Error(`seed ${c.seed}: chunk ends inside a surrogate pair`);
        }
      }
      if (c.body.length <= BODY_LIMIT) expect(chunks.length).toBe(1);
    }
  });

  test("the generator covers what it should", () => {
    for (const needle of [
      "```",
      "😀",
      "日本語",
      "\ud83d",
      "](https://",
      "](./",
      "| ---",
      "1. ",
      "> ",
      "  \n",
    ]) {
      if (!cases.some((c) => c.body.includes(needle)))
        throw new Error(`no case contains ${JSON.stringify(needle)}`);
    }
    expect(cases.filter((c) => c.body.length > 8000).length).toBeGreaterThan(20);
    expect(cases.filter((c) => c.body.length === 0).length).toBeGreaterThan(5);
    expect(cases.filter((c) => renderedBody(c).entities.length > MAX_ENTITIES).length).toBeGreaterThan(20);
  });
});

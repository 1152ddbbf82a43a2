import { describe, expect, test } from "bun:test";
import {
  continuedHeader,
  MAX_ENTITIES,
  MESSAGE_LIMIT,
  type RenderedText,
  renderMarkdown,
  renderSplit,
  renderTrimmed,
  trimBody,
} from "../../../src/telegram/render";
import { containsAt, entityProblems } from "./entity-checks";

const HEADER = "done · codex · 3s";
const FOOTER = "`ctx: takopi @main`  \n`codex resume abc`";
const footer = renderMarkdown(FOOTER);

function endsWithFooter(r: RenderedText): boolean {
  return containsAt(r, footer, r.text.length - footer.text.length);
}

describe("layout", () => {
  test("header, body and footer, a blank line apart", () => {
    expect(renderTrimmed({ header: HEADER, body: "**bold** and `code`", footer: FOOTER })).toEqual({
      text: "done · codex · 3s\n\nbold and code\n\nctx: takopi @main\ncodex resume abc",
      entities: [
        { type: "bold", offset: 19, length: 4 },
        { type: "code", offset: 28, length: 4 },
        { type: "code", offset: 34, length: 17 },
        { type: "code", offset: 52, length: 16 },
      ],
    });
  });

  test("empty parts are left out", () => {
    expect(
      renderTrimmed({ header: "starting · codex · 0s", body: "", footer: "`codex resume abc`" }).text,
    ).toBe("starting · codex · 0s\n\ncodex resume abc");
    expect(renderTrimmed({ header: HEADER, body: " \n\n ", footer: "" }).text).toBe(HEADER);
    expect(renderTrimmed({ header: "", body: "answer", footer: "" }).text).toBe("answer");
  });

  test("a body with an unclosed fence cannot swallow the footer", () => {
    const r = renderTrimmed({ header: HEADER, body: "```sh\nls", footer: FOOTER });
    expect(r.text).toBe("done · codex · 3s\n\nls\n\nctx: takopi @main\ncodex resume abc");
    expect(r.entities[0]).toEqual({ type: "pre", offset: 19, length: 2, language: "sh" });
    expect(endsWithFooter(r)).toBe(true);
  });
});

describe("trim mode", () => {
  test("trimBody cuts to 3499 units plus an ellipsis", () => {
    expect(trimBody("a".repeat(3500), 3500)).toBe("a".repeat(3500));
    expect(trimBody("a".repeat(3501), 3500)).toBe(`${"a".repeat(3499)}…`);
    expect(trimBody("😀".repeat(3000), 3500)).toBe(`${"😀".repeat(1749)}…`);
  });

  test("a long body is cut to exactly 3500 units; header and footer are intact", () => {
    const r = renderTrimmed({ header: HEADER, body: "a".repeat(5000), footer: FOOTER });
    expect(r.text).toBe(`${HEADER}\n\n${"a".repeat(3499)}…\n\n${footer.text}`);
    expect(endsWithFooter(r)).toBe(true);
  });

  test("a cut never leaves half a surrogate pair", () => {
    const r = renderTrimmed({ header: HEADER, body: "😀".repeat(3000), footer: FOOTER });
    expect(r.text.isWellFormed()).toBe(true);
    expect(r.text).toContain(`${"😀".repeat(1749)}…`);
  });

  test("a cut inside a code fence keeps the footer outside the code", () => {
    const body = `\`\`\`py\n${"x = 1\n".repeat(1000)}\`\`\``;
    const r = renderTrimmed({ header: "`cancelled` · codex · 4s", body, footer: FOOTER });
    expect(r.text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(r.text.startsWith("cancelled · codex · 4s\n\nx = 1\n")).toBe(true);
    const pre = r.entities.find((e) => e.type === "pre");
    expect(pre).toMatchObject({ type: "pre", language: "py", offset: 24 });
    expect(pre!.offset + pre!.length).toBeLessThan(r.text.length - footer.text.length);
    expect(endsWithFooter(r)).toBe(true);
    expect(entityProblems(r)).toEqual([]);
  });

  test("a body that grows when rendered is cut further to fit 4096 units", () => {
    // Narrow raw rows, padded to the width of a wide header cell: ~5x growth.
    const table = `|${"h".repeat(24)}|b|\n|-|-|\n${"|x|y|\n".repeat(580)}`;
    const r = renderTrimmed({ header: HEADER, body: table, footer: FOOTER });
    expect(r.text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(r.text.length).toBeGreaterThan(MESSAGE_LIMIT - 200);
    expect(r.text.startsWith(`${HEADER}\n\n`)).toBe(true);
    expect(endsWithFooter(r)).toBe(true);
    expect(entityProblems(r)).toEqual([]);
  });

  test("an h1 of ß doubles when upper-cased and is cut to fit", () => {
    const r = renderTrimmed({ header: HEADER, body: `# ${"ß".repeat(3400)}`, footer: FOOTER });
    expect(r.text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(endsWithFooter(r)).toBe(true);
  });

  test("past 100 entities the body gives up its last ones; the footer keeps its own", () => {
    const body = Array.from({ length: 150 }, (_, i) => `**w${i}**`).join(" ");
    const r = renderTrimmed({ header: "`done` · codex", body, footer: FOOTER });
    expect(r.entities).toHaveLength(MAX_ENTITIES);
    expect(r.entities[0]).toEqual({ type: "code", offset: 0, length: 4 });
    expect(r.entities.filter((e) => e.type === "bold")).toHaveLength(97);
    expect(r.text).toContain("w149");
    expect(endsWithFooter(r)).toBe(true);
  });

  test("a header too big for any message is itself cut (last resort)", () => {
    const r = renderTrimmed({ header: "h".repeat(5000), body: "body", footer: FOOTER });
    expect(r.text.length).toBe(MESSAGE_LIMIT);
    expect(entityProblems(r)).toEqual([]);
  });
});

describe("split mode", () => {
  const para = "word ".repeat(180).trim();
  const long = Array.from({ length: 10 }, () => para).join("\n\n");

  test("a body that fits is one message, the same as trim mode", () => {
    const parts = { header: HEADER, body: "**short** answer", footer: FOOTER };
    expect(renderSplit(parts)).toEqual([renderTrimmed(parts)]);
    expect(renderSplit({ header: HEADER, body: "", footer: FOOTER })).toEqual([
      renderTrimmed({ header: HEADER, body: "", footer: FOOTER }),
    ]);
  });

  test("continuation headers and a footer on every chunk", () => {
    const messages = renderSplit({ header: HEADER, body: long, footer: FOOTER });
    expect(messages.map((m) => m.text.split("\n\n")[0])).toEqual([
      HEADER,
      `${HEADER} · continued (2/4)`,
      `${HEADER} · continued (3/4)`,
      `${HEADER} · continued (4/4)`,
    ]);
    for (const m of messages) {
      expect(endsWithFooter(m)).toBe(true);
      expect(m.text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    }
    const words = messages.map((m) => m.text.split("\n\n").slice(1, -1).join(" ")).join(" ");
    expect(words).toBe(long.replace(/\n\n/g, " "));
  });

  test("code split across messages stays code in each, with its language", () => {
    const body = `intro\n\n\`\`\`python\n${"print(1)\n".repeat(600)}\`\`\`\n\nafter`;
    const messages = renderSplit({ header: HEADER, body, footer: FOOTER });
    expect(messages.length).toBe(2);
    let lines = 0;
    for (const m of messages) {
      const pre = m.entities.find((e) => e.type === "pre");
      expect(pre).toMatchObject({ type: "pre", language: "python" });
      const code = m.text.slice(pre!.offset, pre!.offset + pre!.length);
      expect(code).not.toContain("```");
      lines += code.split("\n").length;
      expect(endsWithFooter(m)).toBe(true);
    }
    expect(lines).toBe(600);
    expect(messages[0]!.text.startsWith(`${HEADER}\n\nintro\n\nprint(1)`)).toBe(true);
    expect(messages[1]!.text).toContain("print(1)\n\nafter\n\nctx: takopi @main");
  });

  test("chunks that render too long are split finer", () => {
    const table = `|${"h".repeat(24)}|b|\n|-|-|\n${"|x|y|\n".repeat(580)}`;
    const messages = renderSplit({ header: HEADER, body: table, footer: FOOTER });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(m.text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(endsWithFooter(m)).toBe(true);
      expect(entityProblems(m)).toEqual([]);
    }
  });

  test("continuedHeader", () => {
    expect(continuedHeader(HEADER, 1, 3)).toBe(HEADER);
    expect(continuedHeader(HEADER, 2, 3)).toBe(`${HEADER} · continued (2/3)`);
    expect(continuedHeader("", 3, 3)).toBe("continued (3/3)");
  });
});

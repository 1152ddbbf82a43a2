import { describe, expect, test } from "bun:test";
import type { MessageEntity } from "grammy/types";
import { renderMarkdown } from "../../../src/telegram/render";
import { renderWithLexer } from "../../../src/telegram/render/markdown";
import { renderPlainLine } from "../../../src/telegram/render/plain";
import { Gen } from "./random-markdown";

const NB = "\u00a0";
const RULE = "⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯";

const e = (
  type: "bold" | "italic" | "underline" | "strikethrough" | "code" | "blockquote",
  offset: number,
  length: number,
): MessageEntity => ({
  type,
  offset,
  length,
});
const pre = (offset: number, length: number, language?: string): MessageEntity =>
  language ? { type: "pre", offset, length, language } : { type: "pre", offset, length };
const link = (offset: number, length: number, url: string): MessageEntity => ({
  type: "text_link",
  offset,
  length,
  url,
});

type Case = [name: string, md: string, text: string, entities: MessageEntity[]];

function check(_name: string, md: string, text: string, entities: MessageEntity[]): void {
  const out = renderMarkdown(md);
  expect(out.text).toBe(text);
  expect(out.entities).toEqual(entities);
}

describe("inline formatting", () => {
  test.each<Case>([
    ["bold and code", "**bold** and `code`", "bold and code", [e("bold", 0, 4), e("code", 9, 4)]],
    ["italic both ways", "*it* and _it_", "it and it", [e("italic", 0, 2), e("italic", 7, 2)]],
    ["strikethrough", "~~gone~~ now", "gone now", [e("strikethrough", 0, 4)]],
    ["italic around bold", "***both***", "both", [e("italic", 0, 4), e("bold", 0, 4)]],
    ["bold containing code", "**run `ls` now**", "run ls now", [e("bold", 0, 10), e("code", 4, 2)]],
    ["space stays outside entities", "a **b** c", "a b c", [e("bold", 2, 1)]],
    ["code span keeps inner spaces", "`a  b`", "a  b", [e("code", 0, 4)]],
    ["code span over a line end", "`a\nb`", "a b", [e("code", 0, 3)]],
    ["code span is literal", "`<b> &amp; **x**`", "<b> &amp; **x**", [e("code", 0, 15)]],
    ["escapes", "\\*not\\* \\_em\\_", "*not* _em_", []],
    ["character references", "&amp; &lt;tag&gt; &#x1F600; &copy; &bogus;", "& <tag> 😀 © &bogus;", []],
    ["raw inline html shown", "a <b>x</b> c", "a <b>x</b> c", []],
  ])("%s", check);
});

describe("paragraphs and whitespace", () => {
  test.each<Case>([
    ["soft breaks collapse", "one\ntwo\n\nthree", "one two\n\nthree", []],
    ["runs of spaces collapse", "a   b\t c", "a b c", []],
    ["hard break with two spaces", "a  \nb", "a\nb", []],
    ["hard break with backslash", "a\\\nb", "a\nb", []],
    ["bold across a hard break", "**a  \nb**", "a\nb", [e("bold", 0, 3)]],
    ["trailing blank lines trimmed", "text\n\n\n\n", "text", []],
    ["empty", "", "", []],
    ["blank only", "  \n\n \t\n", "", []],
    ["many paragraphs", "a\n\n\n\nb\n\nc", "a\n\nb\n\nc", []],
  ])("%s", check);
});

describe("code blocks", () => {
  test.each<Case>([
    ["fenced with language", "```ts\nconst x = 1;\n```", "const x = 1;", [pre(0, 12, "ts")]],
    [
      "fenced, info words after language",
      "```python title=a.py\nprint(1)\n```",
      "print(1)",
      [pre(0, 8, "python")],
    ],
    ["fenced without language", "```\nx\n  y\n```", "x\n  y", [pre(0, 5)]],
    ["tilde fence", "~~~sh\nls -la\n~~~", "ls -la", [pre(0, 6, "sh")]],
    ["indented code", "    code\n    more", "code\nmore", [pre(0, 9)]],
    ["between paragraphs", "text\n\n```sh\nls\n```\n\nafter", "text\n\nls\n\nafter", [pre(6, 2, "sh")]],
    ["whitespace kept inside", "```\na   b\n\n\nc\n```", "a   b\n\n\nc", [pre(0, 9)]],
    ["empty fence renders nothing", "a\n\n```\n```\n\nb", "a\n\nb", []],
    ["unclosed fence runs to the end", "```js\nlet a;\nlet b;", "let a;\nlet b;", [pre(0, 13, "js")]],
  ])("%s", check);
});

describe("links and images", () => {
  test.each<Case>([
    ["https link", "[site](https://example.com/a?b=1)", "site", [link(0, 4, "https://example.com/a?b=1")]],
    ["http link", "see [x](http://example.com)", "see x", [link(4, 1, "http://example.com")]],
    ["tg link", "[me](tg://user?id=42)", "me", [link(0, 2, "tg://user?id=42")]],
    ["relative path dropped", "[a.ts](./src/a.ts)", "a.ts", []],
    ["absolute path dropped", "[cfg](/etc/takopi.toml)", "cfg", []],
    ["file url dropped", "[f](file:///etc/passwd)", "f", []],
    ["mailto dropped", "[m](mailto:a@b.co)", "m", []],
    ["javascript dropped", "[j](javascript:alert(1))", "j", []],
    ["scheme without host dropped", "[h](https:example)", "h", []],
    ["angle autolink", "<https://x.io/a>", "https://x.io/a", [link(0, 14, "https://x.io/a")]],
    ["bare url", "see https://x.io.", "see https://x.io.", [link(4, 12, "https://x.io")]],
    ["email autolink plain", "mail <a@b.co>", "mail a@b.co", []],
    ["reference link", "[ref]\n\n[ref]: https://r.io", "ref", [link(0, 3, "https://r.io")]],
    ["entity in href decoded", "[q](https://x.io/?a=1&amp;b=2)", "q", [link(0, 1, "https://x.io/?a=1&b=2")]],
    ["space in href encoded", "[s](<https://x.io/a b>)", "s", [link(0, 1, "https://x.io/a%20b")]],
    [
      "formatting inside a link, code dropped",
      "[**b** `c`](https://e.com)",
      "b c",
      [link(0, 3, "https://e.com"), e("bold", 0, 1)],
    ],
    ["image", "![diagram](https://x.io/d.png)", "🖼️diagram", [link(0, 10, "https://x.io/d.png")]],
    ["image with local source", "![shot](./a.png)", "🖼️shot", []],
    ["image inside a link", "[![a](https://i.io/x.png)](https://l.io)", "🖼️a", [link(0, 4, "https://l.io")]],
  ])("%s", check);
});

describe("lists", () => {
  test.each<Case>([
    ["bullets use a dash", "- a\n- b", "- a\n- b", []],
    ["star bullets too", "* a\n* b", "- a\n- b", []],
    ["ordered", "1. a\n2. b\n3. c", "1. a\n2. b\n3. c", []],
    ["ordered from N", "3. c\n4. d", "3. c\n4. d", []],
    ["all ones count up", "1. a\n1. b\n1. c", "1. a\n2. b\n3. c", []],
    ["flush sub-bullet keeps numbering", "1. a\n- x\n1. b", `1. a\n${NB.repeat(3)}- x\n2. b`, []],
    [
      "flush sub-bullets with continuation",
      "1. a\n- x\n- y\n  more\n2. b",
      `1. a\n${NB.repeat(3)}- x\n${NB.repeat(3)}- y more\n2. b`,
      [],
    ],
    ["double-digit numbers indent by 4", "10. a\n- x\n10. b", `10. a\n${NB.repeat(4)}- x\n11. b`, []],
    ["paragraph ends the numbered run", "1. a\n\ntext\n\n- x", "1. a\n\ntext\n\n- x", []],
    ["nested bullets", "- a\n  - b\n    - c", `- a\n${NB.repeat(2)}- b\n${NB.repeat(4)}- c`, []],
    ["bullets under numbers", "1. a\n   - b\n2. c", `1. a\n${NB.repeat(3)}- b\n2. c`, []],
    ["loose list", "- a\n\n- b", "- a\n\n- b", []],
    ["item with two paragraphs", "- a\n\n  more\n- b", `- a\n\n${NB.repeat(2)}more\n\n- b`, []],
    ["formatting in items", "- **a** b\n- `c`", "- a b\n- c", [e("bold", 2, 1), e("code", 8, 1)]],
    ["task list", "- [ ] todo\n- [x] done", "- ☐ todo\n- ☑ done", []],
    ["code block in an item is not indented", "- a\n\n  ```sh\n  ls\n  ```", "- a\n\nls", [pre(5, 2, "sh")]],
    ["list after paragraph", "intro\n\n- a", "intro\n\n- a", []],
    ["dash rule is not shifted", "1. a\n- - -\n1. b", `1. a\n\n${RULE}\n\n1. b`, []],
    ["fenced numbers untouched", "```\n1. a\n- x\n```", "1. a\n- x", [pre(0, 8)]],
    [
      "indented code untouched",
      "text\n\n    1. a\n    - x\n    1. b",
      "text\n\n1. a\n- x\n1. b",
      [pre(6, 13)],
    ],
    [
      "deep numbered list inside a bullet list",
      "- a\n    1. b\n    - x\n    1. c",
      `- a\n${NB.repeat(2)}1. b\n${NB.repeat(5)}- x\n${NB.repeat(2)}2. c`,
      [],
    ],
  ])("%s", check);
});

describe("headings, quotes, rules, html, tables", () => {
  test.each<Case>([
    ["h1", "# Title", "TITLE", [e("bold", 0, 5), e("underline", 0, 5)]],
    ["h1 upper-cases ß to SS", "# Straße", "STRASSE", [e("bold", 0, 7), e("underline", 0, 7)]],
    [
      "h1 keeps code as written",
      "# run `ls`",
      "RUN ls",
      [e("bold", 0, 6), e("underline", 0, 6), e("code", 4, 2)],
    ],
    ["h2", "## Sub", "Sub", [e("bold", 0, 3), e("underline", 0, 3)]],
    ["h3", "### Sub", "Sub", [e("bold", 0, 3)]],
    ["h4", "#### Sub", "Sub", [e("underline", 0, 3), e("italic", 0, 3)]],
    ["h5", "##### Sub", "Sub", [e("italic", 0, 3)]],
    ["h6", "###### Sub", "Sub", [e("italic", 0, 3)]],
    ["setext h2", "Sub\n---", "Sub", [e("bold", 0, 3), e("underline", 0, 3)]],
    ["heading then text", "## A\ntext", "A\n\ntext", [e("bold", 0, 1), e("underline", 0, 1)]],
    ["blockquote", "> quoted\n> text", "quoted text", [e("blockquote", 0, 11)]],
    ["blockquote paragraphs", "> a\n>\n> b\n\nafter", "a\n\nb\n\nafter", [e("blockquote", 0, 4)]],
    ["nested blockquote is one entity", "> a\n> > b", "a\n\nb", [e("blockquote", 0, 4)]],
    ["formatting inside a quote", "> **a**", "a", [e("blockquote", 0, 1), e("bold", 0, 1)]],
    ["horizontal rule", "a\n\n---\n\nb", `a\n\n${RULE}\n\nb`, []],
    ["star rule", "***", RULE, []],
    ["html block shown as text", "<div>\n  hi\n</div>\n\npara", "<div>\n  hi\n</div>\n\npara", []],
    [
      "table as aligned pre",
      "| name | n |\n|---|--:|\n| **alice** | 3 |\n| bob | 12 |",
      "name  |  n\n------+---\nalice |  3\nbob   | 12",
      [pre(0, 43)],
    ],
    ["table with wide characters", "|a|b|\n|-|-|\n|日本|x|", "a    | b\n-----+--\n日本 | x", [pre(0, 24)]],
  ])("%s", check);
});

describe("UTF-16 offsets", () => {
  test.each<Case>([
    ["emoji before bold", "😀 **x**", "😀 x", [e("bold", 3, 1)]],
    ["CJK", "日本 **語** `コード`", "日本 語 コード", [e("bold", 3, 1), e("code", 5, 3)]],
    ["astral letters", "𝒳 `𝒴` **𝒵**", "𝒳 𝒴 𝒵", [e("code", 3, 2), e("bold", 6, 2)]],
    ["ZWJ sequence", "👨‍👩‍👧 *x*", "👨‍👩‍👧 x", [e("italic", 9, 1)]],
    ["flag and skin tone", "🇯🇵👍🏽 **y**", "🇯🇵👍🏽 y", [e("bold", 9, 1)]],
    ["emoji inside bold", "**😀😀**", "😀😀", [e("bold", 0, 4)]],
    ["lone surrogate replaced", "a\ud800b **c**", "a\ufffdb c", [e("bold", 4, 1)]],
    ["lone low surrogate replaced", "\udc00 **c**", "\ufffd c", [e("bold", 2, 1)]],
  ])("%s", check);
});

describe("plain-line shortcut", () => {
  test("agrees with the lexer on random lines", () => {
    const g = new Gen(7);
    const vocab = [
      "working",
      "·",
      "codex",
      "1m",
      "02s",
      "step",
      "3",
      "日本",
      "😀",
      "a.b",
      "x:y",
      "(ok)",
      "-",
      "+",
      "1.",
      "2)",
      "=",
      "  ",
      "\t",
      "é",
      "www",
      "http",
      "50%",
      "$",
      "'q'",
      '"q"',
      ",",
      ";",
      "?",
      "{}",
      "^",
      "~",
      "\u00a0",
      "\v",
      "\f",
      "\u3000",
      "\u2028",
      "---",
      ":)",
    ];
    let plain = 0;
    for (let i = 0; i < 5000; i++) {
      const words = Array.from({ length: g.int(0, 8) }, () => g.pick(vocab));
      const line = words.join(g.pick([" ", "", "  "]));
      const shortcut = renderPlainLine(line);
      if (!shortcut) continue;
      plain++;
      expect(shortcut).toEqual(renderWithLexer(line));
    }
    expect(plain).toBeGreaterThan(500);
  });

  test("headers take it, markdown does not", () => {
    expect(renderPlainLine("working · codex · 1m 02s · step 3")).toEqual({
      text: "working · codex · 1m 02s · step 3",
      entities: [],
    });
    for (const md of [
      "`cancelled` · codex",
      "- item",
      "1. item",
      "# h",
      "> q",
      "see https://x.io",
      "www.x.io",
      "a@b.co",
      "a\nb",
      "    code",
      "&amp;",
    ]) {
      expect(renderPlainLine(md)).toBeUndefined();
    }
  });
});

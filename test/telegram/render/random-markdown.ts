// A small seeded generator of agent-like markdown for property tests: deterministic, so a
// failing case can be replayed from its seed, and without a property-testing dependency.

/** mulberry32: a tiny PRNG with good enough spread for test inputs. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Gen {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }
}

const WORDS = [
  "the",
  "run",
  "fix",
  "test",
  "file",
  "src/a.ts",
  "ok",
  "résumé",
  "naïve",
  "x_y",
  "a*b",
  "1.",
  "#tag",
];
const WIDE = ["日本語", "中文", "한국어", "コード", "漢字テスト"];
const ASTRAL = ["😀", "🚀", "👍🏽", "👨‍👩‍👧", "🇯🇵", "𝒳𝒴", "🖼️", "❤️", "🧪"];
const PUNCT = ["*", "_", "`", "[", "]", "(", ")", "<", ">", "&", "\\", "~", "|", "#", "!", "**", "~~", "```"];
const URLS = [
  "https://example.com/a?b=1",
  "http://x.io",
  "tg://user?id=1",
  "./local.md",
  "/abs/path",
  "file:///x",
  "mailto:a@b.c",
  "https:bad",
  "<https://s.io/a b>",
];
const LANGS = ["", "ts", "python", "sh", "json title=x.json", "c++"];

function word(g: Gen): string {
  const r = g.next();
  if (r < 0.55) return g.pick(WORDS);
  if (r < 0.7) return g.pick(WIDE);
  if (r < 0.85) return g.pick(ASTRAL);
  if (r < 0.97) return g.pick(PUNCT);
  return g.chance(0.5) ? "\ud83d" : "\ude00"; // a lone surrogate half
}

function phrase(g: Gen, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(word(g));
  return out.join(" ");
}

function inline(g: Gen): string {
  const words = g.int(1, 4);
  switch (g.int(0, 12)) {
    case 0:
      return `**${phrase(g, words)}**`;
    case 1:
      return `*${phrase(g, words)}*`;
    case 2:
      return `~~${phrase(g, words)}~~`;
    case 3:
      return `\`${phrase(g, words)}\``;
    case 4:
      return `[${phrase(g, words)}](${g.pick(URLS)})`;
    case 5:
      return `![${phrase(g, words)}](${g.pick(URLS)})`;
    case 6:
      return g.pick([
        "https://bare.example.org/path",
        "<https://auto.io>",
        "<a@b.co>",
        "&amp; &lt;x&gt; &#128512;",
      ]);
    case 7:
      return g.pick(["  \n", "\n", "\\\n", "<br>", "<b>raw</b>"]);
    case 8:
      return `**${phrase(g, 1)} \`${phrase(g, 1)}\` [${phrase(g, 1)}](https://e.com)**`;
    default:
      return phrase(g, words);
  }
}

function paragraph(g: Gen): string {
  const parts: string[] = [];
  const n = g.int(1, 12);
  for (let i = 0; i < n; i++) parts.push(inline(g));
  return parts.join(g.chance(0.8) ? " " : "");
}

function longLine(g: Gen): string {
  const unit = g.pick(["a", "word ", "😀", "日本", "**b** ", "x`y`", "-"]);
  return unit.repeat(Math.ceil(g.int(500, 6000) / unit.length));
}

function fence(g: Gen): string {
  const marker = g.pick(["```", "```", "~~~", "````"]);
  const lines: string[] = [];
  const n = g.int(0, 60);
  for (let i = 0; i < n; i++) {
    lines.push(g.chance(0.05) ? longLine(g) : `${" ".repeat(g.int(0, 6))}${phrase(g, g.int(0, 8))}`);
  }
  const close = g.chance(0.9) ? `\n${marker}` : "";
  return `${marker}${g.pick(LANGS)}\n${lines.join("\n")}${close}`;
}

function list(g: Gen, depth = 0): string {
  const ordered = g.chance(0.5);
  const start = g.int(1, 12);
  const items: string[] = [];
  const n = g.int(1, 8);
  const pad = "  ".repeat(depth);
  for (let i = 0; i < n; i++) {
    const marker = ordered ? `${g.chance(0.5) ? 1 : start + i}. ` : `${g.pick(["-", "*", "+"])} `;
    items.push(`${pad}${marker}${g.chance(0.1) ? "[ ] " : ""}${paragraph(g)}`);
    if (depth < 3 && g.chance(0.2)) items.push(list(g, depth + 1));
    // The flush sub-bullet pattern agents write under numbered steps.
    if (ordered && g.chance(0.2)) items.push(`${pad}- ${paragraph(g)}`);
  }
  return items.join(g.chance(0.8) ? "\n" : "\n\n");
}

function table(g: Gen): string {
  const cols = g.int(1, 5);
  const row = (): string =>
    `| ${Array.from({ length: cols }, () => (g.chance(0.8) ? inline(g) : longLine(g).slice(0, g.int(10, 300)))).join(" | ")} |`;
  const rows = [
    row(),
    `|${Array.from({ length: cols }, () => g.pick(["---", ":--", "--:", ":-:"])).join("|")}|`,
  ];
  const n = g.int(0, 30);
  for (let i = 0; i < n; i++) rows.push(row().replace(/\n/g, " "));
  return rows.join("\n");
}

function block(g: Gen): string {
  const r = g.next();
  if (r < 0.35) return paragraph(g);
  if (r < 0.5) return list(g);
  if (r < 0.62) return fence(g);
  if (r < 0.68) return `${"#".repeat(g.int(1, 6))} ${phrase(g, g.int(1, 6))}`;
  if (r < 0.75) return `> ${paragraph(g)}${g.chance(0.3) ? `\n> > ${paragraph(g)}` : ""}`;
  if (r < 0.8) return table(g);
  if (r < 0.83) return g.pick(["---", "***", "<div>\nraw html\n</div>", "    indented code\n    more"]);
  if (r < 0.9) return longLine(g);
  return paragraph(g);
}

/** Markdown of roughly `target` UTF-16 units (it may overshoot by one block). */
export function randomMarkdown(g: Gen, target: number): string {
  let md = "";
  while (md.length < target) {
    md += block(g);
    md += g.pick(["\n\n", "\n\n", "\n", "\n\n\n"]);
  }
  return md;
}

export const HEADERS = [
  "done · codex · 1m 02s · step 3",
  "working · claude · 12s",
  "error · pi · 0s",
  "`cancelled` · opencode · 4s · step 12",
  "done · codex · 1h 01m · step 7 🐙",
  "",
];

export const FOOTERS = [
  "`codex resume 019a2c4e-0d5e-7c11-b0f3-8a1f2e3d4c5b`",
  "`ctx: takopi @feat/日本`  \n`claude --resume 5b1f3c2a-77aa-4e0f-9a0e-3f4c2d1b0a99`",
  "`ctx: app`",
  "`pi --session 0199a8f2-1c3d-7e4f-8a9b-0c1d2e3f4a5b`",
  "",
];

import { describe, expect, test } from "bun:test";
import { splitBody } from "../../../src/telegram/render";

const join = (chunks: { content: string }[]): string => chunks.map((c) => c.content).join("");
const size = (c: { prefix: string; content: string; suffix: string }): number =>
  c.prefix.length + c.content.length + c.suffix.length;

describe("splitBody", () => {
  test("a body that fits is one chunk, untouched", () => {
    expect(splitBody("hello\n\nworld", 3500)).toEqual([
      { prefix: "", content: "hello\n\nworld", suffix: "" },
    ]);
    expect(splitBody("", 3500)).toEqual([{ prefix: "", content: "", suffix: "" }]);
  });

  test("paragraphs stay whole, blank lines kept with the paragraph before", () => {
    const a = "A".repeat(2000);
    const b = "B".repeat(2000);
    expect(splitBody(`${a}\n\n\n${b}`, 3500).map((c) => c.content)).toEqual([`${a}\n\n\n`, b]);
  });

  test("small paragraphs are packed together", () => {
    const para = "word ".repeat(180).trim(); // 899 chars
    const body = Array.from({ length: 10 }, () => para).join("\n\n");
    const chunks = splitBody(body, 3500);
    expect(chunks.map((c) => c.content.split("\n\n").filter(Boolean).length)).toEqual([3, 3, 3, 1]);
    expect(join(chunks)).toBe(body);
  });

  test("a paragraph too big for any chunk is cut at line ends, filling the current chunk first", () => {
    const line = `${"x".repeat(99)}\n`;
    const body = `intro\n\n${line.repeat(50)}`;
    const chunks = splitBody(body, 3500);
    expect(chunks).toHaveLength(2);
    expect(chunks[0]!.content.startsWith("intro\n\nxxx")).toBe(true);
    for (const c of chunks) expect(c.content.endsWith("\n")).toBe(true);
    expect(join(chunks)).toBe(body);
  });

  test("an over-long line is sliced", () => {
    const body = "a".repeat(10000);
    expect(splitBody(body, 3500).map((c) => c.content.length)).toEqual([3500, 3500, 3000]);
  });

  test("slices never split a surrogate pair", () => {
    const body = "😀".repeat(4000);
    const chunks = splitBody(body, 3501);
    expect(chunks.map((c) => c.content.length)).toEqual([3500, 3500, 1000]);
    for (const c of chunks) expect(c.content.isWellFormed()).toBe(true);
    expect(join(chunks)).toBe(body);
  });

  test("an open fence is closed at the chunk end and reopened with its info line", () => {
    const body = `\`\`\`ts title=a.ts\n${"let x = 1;\n".repeat(200)}\`\`\`\n\nafter`;
    const chunks = splitBody(body, 600);
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks[0]!.prefix).toBe("");
    expect(chunks[0]!.suffix).toBe("```");
    for (const c of chunks.slice(1, -1)) {
      expect(c.prefix).toBe("```ts title=a.ts\n");
      expect(c.suffix).toBe("```");
    }
    const last = chunks[chunks.length - 1]!;
    expect(last.suffix).toBe("");
    expect(last.content.endsWith("```\n\nafter")).toBe(true);
    for (const c of chunks) expect(size(c)).toBeLessThanOrEqual(600);
    expect(join(chunks)).toBe(body);
  });

  test("tilde and longer fences close with their own marker; indented fences keep the indent", () => {
    const tilde = splitBody(`~~~~\n${"x\n".repeat(400)}~~~~\n`, 600);
    expect(tilde[0]!.suffix).toBe("~~~~");
    expect(tilde[1]!.prefix).toBe("~~~~\n");
    const nested = splitBody(`- item\n\n  \`\`\`sh\n${"  ls\n".repeat(200)}  \`\`\`\n`, 600);
    expect(nested[0]!.suffix).toBe("  ```");
    expect(nested[1]!.prefix).toBe("  ```sh\n");
  });

  test("a fence sliced mid-line gets its closing marker on a new line", () => {
    const chunks = splitBody(`\`\`\`\n${"y".repeat(2000)}\n\`\`\``, 600);
    expect(chunks[0]!.suffix).toBe("\n```");
    expect(chunks[1]!.prefix).toBe("```\n");
    expect(join(chunks)).toBe(`\`\`\`\n${"y".repeat(2000)}\n\`\`\``);
  });

  test("a fence left open at the end of the body is closed", () => {
    const chunks = splitBody(`\`\`\`py\n${"print(1)\n".repeat(100)}`, 600);
    expect(chunks[chunks.length - 1]!.suffix).toBe("```");
  });

  test("limits too small for a reopened fence are refused", () => {
    expect(() => splitBody("x", 100)).toThrow(RangeError);
  });
});

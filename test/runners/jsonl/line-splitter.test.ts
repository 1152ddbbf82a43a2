import { describe, expect, test } from "bun:test";
import { LineSplitter, MAX_LINE_LENGTH } from "../../../src/runners/jsonl/line-splitter";

type Out = (string | { oversize: number })[];

function split(chunks: readonly string[], maxLength?: number): Out {
  const out: Out = [];
  const splitter = new LineSplitter(
    { line: (text) => out.push(text), oversize: (length) => out.push({ oversize: length }) },
    maxLength,
  );
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return out;
}

/** Decodes `bytes` in streaming mode (as the runner does), cut into the given byte pieces. */
async function splitBytes(bytes: Uint8Array, cuts: readonly number[]): Promise<Out> {
  const pieces: Uint8Array[] = [];
  let at = 0;
  for (const cut of cuts) {
    pieces.push(bytes.subarray(at, cut));
    at = cut;
  }
  pieces.push(bytes.subarray(at));
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
  const out: Out = [];
  const splitter = new LineSplitter({
    line: (text) => out.push(text),
    oversize: (length) => out.push({ oversize: length }),
  });
  const decoder = new TextDecoder();
  for await (const bytes of stream) splitter.push(decoder.decode(bytes, { stream: true }));
  splitter.push(decoder.decode());
  splitter.end();
  return out;
}

describe("LineSplitter framing", () => {
  test.each([
    ["one line per chunk", ['{"a":1}\n', '{"b":2}\n'], ['{"a":1}', '{"b":2}']],
    ["several lines in one chunk", ['{"a":1}\n{"b":2}\n{"c":3}\n'], ['{"a":1}', '{"b":2}', '{"c":3}']],
    ["split mid-line", ['{"a"', ":1}\n{", '"b":2}\n'], ['{"a":1}', '{"b":2}']],
    ["split in many small pieces", ["{", '"', "a", '"', ":", "1", "}", "\n"], ['{"a":1}']],
    ["newline alone in a chunk", ['{"a":1}', "\n", '{"b":2}', "\n"], ['{"a":1}', '{"b":2}']],
    ["CRLF", ['{"a":1}\r\n{"b":2}\r\n'], ['{"a":1}', '{"b":2}']],
    ["CR and LF in separate chunks", ['{"a":1}\r', '\n{"b":2}\r', "\n"], ['{"a":1}', '{"b":2}']],
    ["no trailing newline", ['{"a":1}\n{"b"', ":2}"], ['{"a":1}', '{"b":2}']],
    ["no trailing newline, CR at EOF", ['{"a":1}\r'], ['{"a":1}']],
    ["blank lines skipped", ["\n\n{}\n\r\n  \n\t\n{}\n"], ["{}", "{}"]],
    ["leading whitespace kept", ['  {"a":1}\n'], ['  {"a":1}']],
    ["lone CR inside a line kept", ['{"a":"x\ry"}\n'], ['{"a":"x\ry"}']],
    ["unicode line separators are not newlines", ['{"a":"x\u2028y\u2029z"}\n'], ['{"a":"x\u2028y\u2029z"}']],
    ["empty input", [], []],
    ["only newlines", ["\n", "\n\n"], []],
  ] as const)("%s", (_name, chunks, expected) => {
    expect(split(chunks)).toEqual([...expected]);
  });

  test("a line over the limit in one chunk is reported and skipped", () => {
    expect(split(["ab\n", "0123456789\n", "cd\n"], 8)).toEqual(["ab", { oversize: 10 }, "cd"]);
  });

  test("a line growing over the limit across chunks is discarded as it arrives", () => {
    expect(split(["ab\n012", "345", "678", "9x", "yz\ncd\n"], 8)).toEqual(["ab", { oversize: 13 }, "cd"]);
  });

  test("an over-long last line without newline is reported at EOF", () => {
    expect(split(["ab\n0123", "456789"], 8)).toEqual(["ab", { oversize: 10 }]);
  });

  test("exactly the limit is kept", () => {
    expect(split(["0123", "4567\n"], 8)).toEqual(["01234567"]);
    expect(split(["01234567\r\n"], 8)).toEqual(["01234567"]);
  });

  test("the default limit is 16 MiB and a huge line does not stop later lines", () => {
    expect(MAX_LINE_LENGTH).toBe(16 * 1024 * 1024);
    const block = "x".repeat(1024 * 1024);
    const chunks = ['{"a":1}\n'];
    for (let i = 0; i < 17; i++) chunks.push(block);
    chunks.push('\n{"b":2}\n');
    expect(split(chunks)).toEqual(['{"a":1}', { oversize: 17 * 1024 * 1024 }, '{"b":2}']);
  });

  test("a long line from many chunks is assembled in order", () => {
    const pieces = Array.from({ length: 2000 }, (_, i) => `${i},`);
    expect(split([...pieces, "\n"])).toEqual([pieces.join("")]);
  });
});

describe("LineSplitter behind a streaming UTF-8 decoder", () => {
  const text = '{"t":"héllo 🐙 wörld"}\n{"t":"日本語"}\n';
  const bytes = new TextEncoder().encode(text);

  test("multi-byte characters split across byte chunks decode intact", async () => {
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await splitBytes(bytes, [cut])).toEqual(['{"t":"héllo 🐙 wörld"}', '{"t":"日本語"}']);
    }
  });

  test("byte-by-byte delivery", async () => {
    const cuts = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    expect(await splitBytes(bytes, cuts)).toEqual(['{"t":"héllo 🐙 wörld"}', '{"t":"日本語"}']);
  });
});

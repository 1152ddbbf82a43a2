#!/usr/bin/env bun
/**
 * A stand-in engine CLI: replays a JSONL fixture on stdout the way a real engine
 * streams it, with optional misbehaviour. Started as
 * `bun replay-engine.ts --replay-config <file.json> -- <engine argv…>`
 * (see `fake-engine-bin.ts`); everything after `--` is what the runner passed.
 */
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";

export interface ReplayConfig {
  /** JSONL file to replay (each line written as is). */
  readonly fixture?: string;
  /** Lines to replay instead of, or after, the fixture. */
  readonly lines?: readonly string[];
  /** Pause before each line, in ms. */
  readonly delayMs?: number;
  /** Write each line in pieces cut mid-line (and mid-UTF-8 sequence), flushing between them. */
  readonly partial?: boolean;
  /** Use CRLF line endings. */
  readonly crlf?: boolean;
  /** Omit the newline after the last line. */
  readonly noTrailingNewline?: boolean;
  /** Lines of non-JSON to write after the replay (before exiting). */
  readonly trailingGarbage?: readonly string[];
  /** Non-JSON lines to write before the first fixture line. */
  readonly leadingGarbage?: readonly string[];
  /** Insert a JSON line of this many bytes after line `hugeLineAt` (default 0: before everything). */
  readonly hugeLineBytes?: number;
  readonly hugeLineAt?: number;
  /** Stop after this many fixture lines (then crash, hang or exit as configured). */
  readonly stopAfter?: number;
  /** Text written to stderr before exiting. */
  readonly stderr?: string;
  /** Exit code (default 0). */
  readonly exitCode?: number;
  /** Die by this signal instead of exiting (e.g. `SIGKILL` for a crash: rc 137 in shells). */
  readonly killSelf?: "SIGKILL" | "SIGSEGV" | "SIGABRT";
  /** After the lines, never exit. */
  readonly hang?: boolean;
  /** Ignore SIGTERM (so only SIGKILL ends it). */
  readonly ignoreTerm?: boolean;
  /** Spawn this many grandchildren (in our process group) that outlive us unless killed. */
  readonly grandchildren?: number;
  /** Grandchildren inherit our stdout, keeping the pipe open after we exit. */
  readonly grandchildrenKeepStdout?: boolean;
  /** Grandchildren ignore SIGTERM too. */
  readonly grandchildrenIgnoreTerm?: boolean;
  /** Where to append our pid and the grandchildren's pids, one per line. */
  readonly pidsFile?: string;
  /** Where to write `{ argv, stdin, cwd, env }` as JSON once stdin is read. */
  readonly recordFile?: string;
  /** Env var names to copy into the record. */
  readonly recordEnv?: readonly string[];
}

function parseArgs(argv: readonly string[]): { config: ReplayConfig; rest: string[] } {
  const at = argv.indexOf("--replay-config");
  const path = at === -1 ? process.env.TAKOPI_REPLAY_CONFIG : argv[at + 1];
  if (!path) throw new Error("replay-engine: --replay-config <file> is required");
  const dashes = argv.indexOf("--", at === -1 ? 0 : at + 2);
  const config = JSON.parse(readFileSync(path, "utf8")) as ReplayConfig;
  return { config, rest: dashes === -1 ? [] : argv.slice(dashes + 1) };
}

const out = Bun.stdout.writer();

async function write(text: string | Uint8Array, config: ReplayConfig): Promise<void> {
  if (!config.partial) {
    out.write(text);
    await out.flush();
    return;
  }
  // Cut in three, at byte offsets that land inside multi-byte characters when there are any.
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const cuts = [Math.floor(bytes.length / 3), Math.floor((2 * bytes.length) / 3)];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    if (cut <= from) continue;
    out.write(bytes.subarray(from, cut));
    await out.flush();
    from = cut;
    await Bun.sleep(2);
  }
}

function spawnGrandchildren(config: ReplayConfig): void {
  const count = config.grandchildren ?? 0;
  for (let i = 0; i < count; i++) {
    const script = config.grandchildrenIgnoreTerm
      ? "trap '' TERM; while :; do sleep 1; done"
      : "while :; do sleep 1; done";
    const child = Bun.spawn(["sh", "-c", script], {
      stdin: "ignore",
      stdout: config.grandchildrenKeepStdout ? "inherit" : "ignore",
      stderr: "ignore",
    });
    child.unref();
    if (config.pidsFile) appendFileSync(config.pidsFile, `${child.pid}\n`);
  }
}

async function main(): Promise<void> {
  const { config, rest } = parseArgs(process.argv.slice(2));
  if (config.pidsFile) appendFileSync(config.pidsFile, `${process.pid}\n`);
  if (config.ignoreTerm) process.on("SIGTERM", () => {});

  if (config.recordFile) {
    const stdin = await Bun.stdin.text();
    const env: Record<string, string | null> = {};
    for (const key of config.recordEnv ?? []) env[key] = process.env[key] ?? null;
    writeFileSync(config.recordFile, JSON.stringify({ argv: rest, stdin, cwd: process.cwd(), env }));
  }
  spawnGrandchildren(config);

  const eol = config.crlf ? "\r\n" : "\n";
  const lines = [
    ...(config.fixture ? readFileSync(config.fixture, "utf8").split("\n") : []),
    ...(config.lines ?? []),
  ].filter((line) => line.trim() !== "");
  const limit = Math.min(config.stopAfter ?? lines.length, lines.length);

  for (const garbage of config.leadingGarbage ?? []) await write(`${garbage}${eol}`, config);
  for (let i = 0; i <= limit; i++) {
    if (config.hugeLineBytes && (config.hugeLineAt ?? 0) === i) {
      const filler = Math.max(0, config.hugeLineBytes - 32);
      // Written in one go regardless of `partial`: it is large enough to arrive in many chunks.
      out.write(`{"type":"huge","data":"${"x".repeat(filler)}"}${eol}`);
      await out.flush();
    }
    if (i === limit) break;
    if (config.delayMs) await Bun.sleep(config.delayMs);
    const last = i === lines.length - 1 && !config.trailingGarbage?.length;
    await write(`${lines[i]}${last && config.noTrailingNewline ? "" : eol}`, config);
  }
  for (const garbage of config.trailingGarbage ?? []) await write(`${garbage}${eol}`, config);
  await out.flush();

  if (config.stderr) await Bun.write(Bun.stderr, config.stderr);
  if (config.hang) {
    setInterval(() => {}, 1 << 30);
    return;
  }
  if (config.killSelf) {
    process.kill(process.pid, config.killSelf);
    return;
  }
  process.exit(config.exitCode ?? 0);
}

await main();

// Temp dirs and captured output for config tests. Never touches the real ~/.takopi.
import { afterAll } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Io } from "../../src/cli/commands/config";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory removed after the test file finishes. */
export function tempDir(prefix = "takopi-config-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Writes `text` as takopi.toml in a fresh temp dir; returns its path. */
export function tempConfig(text: string): string {
  const path = join(tempDir(), "takopi.toml");
  writeFileSync(path, text);
  return path;
}

export function read(path: string): string {
  return readFileSync(path, "utf8");
}

export interface CapturedIo extends Io {
  readonly stdout: () => string;
  readonly stderr: () => string;
}

export function captureIo(): CapturedIo {
  let out = "";
  let err = "";
  return {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    stdout: () => out,
    stderr: () => err,
  };
}

export const MINIMAL = `[transports.telegram]
bot_token = "123:abc"
chat_id = 123
`;

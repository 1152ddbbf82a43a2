#!/usr/bin/env node
// npm `bin` entry for source installs: runs src/main.ts on the Bun runtime that
// the `bun` devDependency (or a global Bun) supplies. Release users get the
// self-contained binary instead and never touch this file.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const local = join(root, "node_modules", ".bin", process.platform === "win32" ? "bun.exe" : "bun");
const bun = existsSync(local) ? local : "bun";
const result = spawnSync(bun, [join(root, "src", "main.ts"), ...process.argv.slice(2)], { stdio: "inherit" });
if (result.error) {
  console.error(`error: could not start Bun (${result.error.message}); run \`npm install\` first`);
  process.exit(1);
}
process.exit(result.status ?? 1);

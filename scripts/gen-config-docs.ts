// Writes docs/config.md from the config schema. `--check` only compares and
// exits 1 when the committed file is stale (CI runs it).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderConfigDocs } from "../src/config/docs";

// `--target PATH` exists for the test of `--check` itself.
const targetFlag = process.argv.indexOf("--target");
const target =
  targetFlag > 0 ? process.argv[targetFlag + 1]! : join(import.meta.dir, "..", "docs", "config.md");
const expected = renderConfigDocs();

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    // Missing counts as stale.
  }
  if (current !== expected) {
    process.stderr.write(
      "error: docs/config.md is out of date with src/config/schema.ts; run `bun scripts/gen-config-docs.ts` and commit it.\n",
    );
    process.exit(1);
  }
  process.stdout.write("docs/config.md is up to date\n");
} else {
  writeFileSync(target, expected);
  process.stdout.write(`wrote ${target}\n`);
}

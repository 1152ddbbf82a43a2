#!/usr/bin/env bun
// Entry point. `--version` is answered before anything heavy is imported, so
// `takopi --version` stays a few milliseconds even in the compiled binary.
import { VERSION } from "./version";

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  // console.log, not process.stdout: creating the stdout stream costs ~15 ms at startup.
  console.log(VERSION);
} else {
  const { runCli } = await import("./cli/index");
  process.exitCode = await runCli(argv);
}

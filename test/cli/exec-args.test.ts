import { expect, test } from "bun:test";
import { UsageError } from "../../src/cli/command";
import { parseExecArgs } from "../../src/cli/commands/exec";

test.each([
  [["fix", "it"], { json: false, prompt: "fix it" }],
  [["-"], { json: false, prompt: "-" }],
  [["--engine", "Claude", "x"], { json: false, engine: "claude", prompt: "x" }],
  [["--engine=pi", "x"], { json: false, engine: "pi", prompt: "x" }],
  [["--json", "x"], { json: true, prompt: "x" }],
  [["--resume", "codex resume abc"], { json: false, resume: "codex resume abc" }],
  [["--resume=`codex resume abc`", "go"], { json: false, resume: "`codex resume abc`", prompt: "go" }],
  [["--cwd", "/tmp", "x"], { json: false, cwd: "/tmp", prompt: "x" }],
  [["--", "--json", "-x"], { json: false, prompt: "--json -x" }],
  [["x", "--json"], { json: true, prompt: "x" }],
  [[], { json: false }],
])("%p", (args, expected) => {
  expect(parseExecArgs(args)).toEqual(expected);
});

test.each([
  [["--engine"], "--engine needs a value"],
  [["--engine="], "--engine needs a value"],
  [["--cwd", "a", "--cwd", "b"], "--cwd given twice"],
  [["-v"], "unknown option for exec: -v"],
  [["--model", "x"], "unknown option for exec: --model"],
])("%p is a usage error", (args, message) => {
  expect(() => parseExecArgs(args)).toThrow(new UsageError(message));
});

import { expect, test } from "bun:test";
import { parseGlobals } from "../src/cli/index";

test("global flags are pulled out of argv", () => {
  const { globals, rest } = parseGlobals(["--config", "/x.toml", "config", "get", "a", "--debug"]);
  expect(globals).toEqual({ configPath: "/x.toml", debug: true });
  expect(rest).toEqual(["config", "get", "a"]);
});

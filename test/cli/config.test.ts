import { describe, expect, test } from "bun:test";
import { statSync } from "node:fs";
import { join } from "node:path";
import { runConfig } from "../../src/cli/commands/config";
import { documentedKeys } from "../../src/config/docs";
import { captureIo, read, tempConfig, tempDir } from "../config/support";

const BASE = `[transports.telegram]
bot_token = "123:abc"
chat_id = 123

[projects.foo]
path = "/tmp/foo"

[unknown_table]
keep = "me"
when = 1979-05-27
`;

async function cli(path: string, ...args: string[]) {
  const io = captureIo();
  const code = await runConfig(args, { configPath: path, debug: false }, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

// key, valid CLI value, literal printed back, an invalid CLI value
const CASES: [string, string, string, string][] = [
  ["watch_config", "true", "true", "maybe"],
  ["default_engine", "claude", '"claude"', '""'],
  ["default_project", "FOO", '"FOO"', "nope"],
  ["transport", " telegram ", '"telegram"', "[1]"],
  ["transports.telegram.bot_token", "999:xyz", '"999:xyz"', "42"],
  ["transports.telegram.chat_id", '"-100123"', "-100123", "1.5"],
  ["transports.telegram.api_root", "http://127.0.0.1:8081/", '"http://127.0.0.1:8081"', "ftp://x"],
  ["transports.telegram.allowed_user_ids", '[1, "2"]', "[1, 2]", '[1, "x"]'],
  ["transports.telegram.message_overflow", "split", '"split"', "wrap"],
  ["transports.telegram.voice_transcription", "False", "false", "sometimes"],
  ["transports.telegram.voice_max_bytes", "2048", "2048", '"2048"'],
  ["transports.telegram.voice_transcription_model", "whisper-1", '"whisper-1"', "1"],
  ["transports.telegram.voice_transcription_base_url", "https://stt.test/v1", '"https://stt.test/v1"', "[]"],
  ["transports.telegram.voice_transcription_api_key", "sk-test", '"sk-test"', "true"],
  ["transports.telegram.session_mode", "chat", '"chat"', "group"],
  ["transports.telegram.show_resume_line", "false", "false", "2"],
  ["transports.telegram.forward_coalesce_s", "0.5", "0.5", "-1"],
  ["transports.telegram.media_group_debounce_s", "2", "2", "soon"],
  ["transports.telegram.topics.enabled", "true", "true", "often"],
  ["transports.telegram.topics.scope", "projects", '"projects"', "everything"],
  ["transports.telegram.files.enabled", "true", "true", "x"],
  ["transports.telegram.files.auto_put", "false", "false", "x"],
  ["transports.telegram.files.auto_put_mode", "prompt", '"prompt"', "x"],
  ["transports.telegram.files.uploads_dir", "uploads/in", '"uploads/in"', "/abs"],
  ["transports.telegram.files.allowed_user_ids", "[5]", "[5]", "5"],
  ["transports.telegram.files.deny_globs", "['*.key']", '["*.key"]', "[1]"],
  ["projects.foo.path", "/srv/foo", '"/srv/foo"', '""'],
  ["projects.foo.worktrees_dir", ".wt", '".wt"', "[]"],
  ["projects.foo.default_engine", "pi", '"pi"', "1"],
  ["projects.foo.worktree_base", "develop", '"develop"', "true"],
  ["projects.foo.chat_id", "555", "555", "123"],
  ["plugins.enabled", '["my-plugin"]', '["my-plugin"]', '[""]'],
  ["codex.command", "/opt/codex", '"/opt/codex"', '""'],
  ["codex.extra_args", '["-c", "model=o3"]', '["-c", "model=o3"]', '["--json"]'],
  ["codex.profile", "fast", '"fast"', "1"],
  ["claude.command", "~/bin/claude", '"~/bin/claude"', "[]"],
  ["claude.model", "opus", '"opus"', "2"],
  ["claude.allowed_tools", '["Read"]', '["Read"]', "Read"],
  ["claude.dangerously_skip_permissions", "true", "true", "yes"],
  ["claude.use_api_billing", "true", "true", "1"],
  ["opencode.command", "opencode-dev", '"opencode-dev"', "false"],
  ["opencode.model", "anthropic/claude", '"anthropic/claude"', "1"],
  ["pi.command", "/usr/local/bin/pi", '"/usr/local/bin/pi"', '""'],
  ["pi.model", "gpt-5", '"gpt-5"', "3"],
  ["pi.provider", "openai", '"openai"', "true"],
  ["pi.extra_args", '["--thinking", "high"]', '["--thinking", "high"]', "'--x'"],
];

test("the table below covers every documented key", () => {
  const covered = new Set(CASES.map(([key]) => key));
  const missing = documentedKeys()
    .map((key) => key.replace("<alias>", "foo"))
    .filter((key) => !covered.has(key));
  expect(missing).toEqual([]);
});

describe.each(CASES)("%s", (key, valid, literal, invalid) => {
  test(`set ${valid} round-trips through get`, async () => {
    const path = tempConfig(BASE);
    const set = await cli(path, "set", key, valid);
    expect(set).toEqual({ code: 0, out: `updated ${key} = ${literal}\n`, err: "" });
    expect(await cli(path, "get", key)).toEqual({ code: 0, out: `${literal}\n`, err: "" });
    const text = read(path);
    expect(text).toContain('[unknown_table]\nkeep = "me"\nwhen = 1979-05-27');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  test(`set ${invalid} is refused and the file is untouched`, async () => {
    const path = tempConfig(BASE);
    const before = read(path);
    const result = await cli(path, "set", key, invalid);
    expect(result.code).toBe(2);
    expect(result.out).toBe("");
    expect(result.err).toStartWith(`error: Invalid config in ${path}: ${key}: `);
    expect(read(path)).toBe(before);
  });
});

describe("config list/get", () => {
  test("list prints sorted dotted keys with TOML literals", async () => {
    const path = tempConfig('b = 1\na = "x"\n[t]\nz = [1, 2]\nf = 1.5\n');
    expect(await cli(path, "list")).toEqual({
      code: 0,
      out: 'a = "x"\nb = 1\nt.f = 1.5\nt.z = [1, 2]\n',
      err: "",
    });
  });
  test("a missing file: list exits 1, get exits 2, both name the file", async () => {
    const path = join(tempDir(), "takopi.toml");
    expect(await cli(path, "list")).toEqual({
      code: 1,
      out: "",
      err: `error: missing takopi config at ${path}\n`,
    });
    expect((await cli(path, "get", "a")).code).toBe(2);
  });
  test("malformed TOML exits 2 naming the file", async () => {
    const path = tempConfig("a = [\n");
    const result = await cli(path, "list");
    expect(result.code).toBe(2);
    expect(result.err).toStartWith(`error: Malformed TOML in ${path}: `);
  });
  test("a missing key exits 1 silently; a table exits 2", async () => {
    const path = tempConfig(BASE);
    expect(await cli(path, "get", "transports.telegram.nope")).toEqual({ code: 1, out: "", err: "" });
    expect(await cli(path, "get", "transports.telegram")).toEqual({
      code: 2,
      out: "",
      err: "error: 'transports.telegram' is a table; pick a leaf node.\n",
    });
  });
  test.each([
    ["a..b", "Invalid key path 'a..b'; empty segment."],
    ["a.b!", "Invalid key segment 'b!' in 'a.b!'; use only letters, numbers, '_' or '-'."],
    [" ", "Invalid key path; expected a non-empty value."],
  ])("bad key path %p exits 2", async (key, message) => {
    const path = tempConfig(BASE);
    expect(await cli(path, "get", key)).toEqual({ code: 2, out: "", err: `error: ${message}\n` });
  });
});

describe("config set/unset", () => {
  test("unknown top-level tables and unknown keys in them survive", async () => {
    const path = tempConfig(BASE);
    expect((await cli(path, "set", "unknown_table.extra", "7")).out).toBe(
      "updated unknown_table.extra = 7\n",
    );
    expect(read(path)).toContain('[unknown_table]\nkeep = "me"\nwhen = 1979-05-27\nextra = 7');
  });
  test("setting through a non-table is refused", async () => {
    const path = tempConfig(BASE);
    expect(await cli(path, "set", "transports.telegram.chat_id.x", "1")).toEqual({
      code: 2,
      out: "",
      err: `error: Invalid \`transports.telegram.chat_id\` in ${path}; expected a table.\n`,
    });
  });
  test("a whole table can be set inline; its values are normalised", async () => {
    const path = join(tempDir(), "takopi.toml");
    const result = await cli(path, "set", "transports.telegram", '{ bot_token = " 1:x ", chat_id = "42" }');
    expect(result).toEqual({
      code: 0,
      out: 'updated transports.telegram = { bot_token = "1:x", chat_id = 42 }\n',
      err: "",
    });
    expect(read(path)).toBe('[transports.telegram]\nbot_token = "1:x"\nchat_id = 42\n');
  });
  test("engine ids are not checked (any default_engine string is accepted)", async () => {
    const path = tempConfig(BASE);
    expect((await cli(path, "set", "default_engine", "openai")).code).toBe(0);
  });
  test("a legacy file is migrated by set", async () => {
    const path = tempConfig('bot_token = "1:x"\nchat_id = 9\n');
    expect((await cli(path, "set", "watch_config", "true")).code).toBe(0);
    expect(read(path)).toBe(
      'transport = "telegram"\nwatch_config = true\n\n[transports.telegram]\nbot_token = "1:x"\nchat_id = 9\n',
    );
  });
  test("unset removes a leaf or a table and prunes empty parents", async () => {
    const path = tempConfig(`${BASE}\n[claude.deep]\nx = 1\n`);
    expect(await cli(path, "unset", "claude.deep.x")).toEqual({
      code: 0,
      out: "removed claude.deep.x\n",
      err: "",
    });
    expect(read(path)).not.toContain("claude");
    expect((await cli(path, "unset", "unknown_table")).code).toBe(0);
    expect(read(path)).not.toContain("unknown_table");
    expect(await cli(path, "unset", "unknown_table")).toEqual({ code: 1, out: "", err: "" });
  });
  test("unset that would make the config invalid is refused", async () => {
    const path = tempConfig(BASE);
    const before = read(path);
    const result = await cli(path, "unset", "transports.telegram.chat_id");
    expect(result.code).toBe(2);
    expect(result.err).toContain("transports.telegram.chat_id: missing");
    expect(read(path)).toBe(before);
  });
});

describe("config path and flags", () => {
  test("--config-path wins; path is printed", async () => {
    const path = tempConfig(BASE);
    const io = captureIo();
    expect(
      await runConfig(["path", "--config-path", path], { configPath: "/elsewhere.toml", debug: false }, io),
    ).toBe(0);
    expect(io.stdout()).toBe(`${path}\n`);
  });
  test("usage errors exit 2", async () => {
    const path = tempConfig(BASE);
    expect((await cli(path, "set", "a")).code).toBe(2);
    expect((await cli(path, "frobnicate")).err).toStartWith("error: unknown config command 'frobnicate'");
  });
});

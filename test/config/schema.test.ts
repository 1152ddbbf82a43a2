import { describe, expect, test } from "bun:test";
import { parse } from "smol-toml";
import { validateConfig } from "../../src/config/load";
import { ConfigSchema } from "../../src/config/schema";

const PATH = "/cfg/takopi.toml";

function raw(text: string) {
  return parse(text, { integersAsBigInt: true });
}

function ok(text: string) {
  return validateConfig(raw(text), PATH).config;
}

function problem(text: string): string {
  try {
    validateConfig(raw(text), PATH);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the config to be refused");
}

const TG = `[transports.telegram]\nbot_token = "123:abc"\nchat_id = 123\n`;

describe("defaults", () => {
  test("a minimal config gets every default", () => {
    const config = ok(TG);
    expect(config.watch_config).toBe(false);
    expect(config.default_engine).toBe("codex");
    expect(config.default_project).toBeUndefined();
    expect(config.transport).toBe("telegram");
    const tg = config.transports.telegram!;
    expect(tg).toMatchObject({
      bot_token: "123:abc",
      chat_id: 123,
      api_root: "https://api.telegram.org",
      allowed_user_ids: [],
      message_overflow: "trim",
      voice_transcription: false,
      voice_max_bytes: 10485760,
      voice_transcription_model: "gpt-4o-mini-transcribe",
      session_mode: "stateless",
      show_resume_line: true,
      forward_coalesce_s: 1,
      media_group_debounce_s: 1,
      topics: { enabled: false, scope: "auto" },
      files: {
        enabled: false,
        auto_put: true,
        auto_put_mode: "upload",
        uploads_dir: "incoming",
        allowed_user_ids: [],
        deny_globs: [".git/**", ".env", ".envrc", "*.pem", ".ssh/**"],
      },
    });
    expect(config.codex.extra_args).toEqual(["-c", "notify=[]"]);
    expect(config.claude.allowed_tools).toEqual(["Bash", "Read", "Edit", "Write"]);
    expect(config.claude.dangerously_skip_permissions).toBe(false);
    expect(config.pi.extra_args).toEqual([]);
    expect(config.plugins.enabled).toEqual([]);
    expect(config.projects).toEqual({});
  });

  test("transports is required, telegram inside it is not", () => {
    expect(problem("")).toBe(`Invalid config in ${PATH}: transports: missing; expected a table`);
    expect(ok("[transports]\n").transports.telegram).toBeUndefined();
  });
});

describe("integers", () => {
  test("numeric strings are coerced for chat ids", () => {
    expect(ok(TG.replace("chat_id = 123", 'chat_id = " -100123 "')).transports.telegram!.chat_id).toBe(
      -100123,
    );
  });
  test.each([
    ["1.5", "got 1.5 (a float)"],
    ["1.0", "got 1.0 (a float)"],
    ["true", "got true (a boolean)"],
    ['"abc"', 'got "abc"'],
  ])("chat_id = %s is refused", (value, got) => {
    expect(problem(TG.replace("chat_id = 123", `chat_id = ${value}`))).toBe(
      `Invalid config in ${PATH}: transports.telegram.chat_id: expected an integer (or a numeric string), ${got}`,
    );
  });
  test("voice_max_bytes is a strict integer", () => {
    expect(problem(`${TG}voice_max_bytes = "10"`)).toContain(
      'transports.telegram.voice_max_bytes: expected an integer, got "10"',
    );
  });
  test("a missing required key says so", () => {
    expect(problem('[transports.telegram]\nbot_token = "x"')).toBe(
      `Invalid config in ${PATH}: transports.telegram.chat_id: missing; expected an integer (or a numeric string)`,
    );
  });
});

describe("strings, enums, floats, booleans", () => {
  test("strings are trimmed and must not be blank where required", () => {
    const config = ok(`transport = " telegram "\n${TG}`);
    expect(config.transport).toBe("telegram");
    expect(problem(`default_engine = "  "\n${TG}`)).toContain("default_engine: expected a non-empty string");
  });
  test("enums", () => {
    expect(ok(`${TG}message_overflow = " split "`).transports.telegram!.message_overflow).toBe("split");
    expect(problem(`${TG}session_mode = "group"`)).toContain(
      'transports.telegram.session_mode: expected one of "stateless", "chat", got "group"',
    );
  });
  test("floats accept integers and refuse negatives", () => {
    expect(ok(`${TG}forward_coalesce_s = 2`).transports.telegram!.forward_coalesce_s).toBe(2);
    expect(problem(`${TG}forward_coalesce_s = -0.5`)).toContain("forward_coalesce_s: expected a number ≥ 0");
  });
  test("booleans accept the usual words, case-insensitively", () => {
    expect(ok(`watch_config = "False"\n${TG}`).watch_config).toBe(false);
    expect(ok(`watch_config = "yes"\n${TG}`).watch_config).toBe(true);
    expect(problem(`watch_config = "maybe"\n${TG}`)).toContain(
      'watch_config: expected true or false, got "maybe"',
    );
  });
  test("claude's dangerous flags accept only real booleans", () => {
    expect(problem(`${TG}[claude]\ndangerously_skip_permissions = "yes"`)).toContain(
      "claude.dangerously_skip_permissions: expected true or false",
    );
  });
});

describe("tables", () => {
  test("unknown keys in strict tables are refused, each with its own path", () => {
    const message = problem(`${TG}bot_tokn = "x"\n[transports.telegram.files]\nenabld = true`);
    expect(message).toContain("transports.telegram.bot_tokn: unknown key");
    expect(message).toContain("transports.telegram.files.enabld: unknown key");
    expect(message.split("\n")).toHaveLength(3);
  });
  test("unknown keys in project tables are refused", () => {
    expect(problem(`${TG}[projects.a]\npath = "/x"\nbranch = "y"`)).toContain(
      "projects.a.branch: unknown key",
    );
  });
  test("unknown top-level tables and engine keys are kept", () => {
    const config = ok(`${TG}[someplugin]\nx = 1\n[codex]\nmodel = "o3"`);
    expect(config.someplugin).toEqual({ x: 1n });
    expect(config.codex.model).toBe("o3");
  });
  test("other transports and plugin tables must be tables", () => {
    expect(
      problem(`${TG.replace("[transports.telegram]", "[transports]\nslack = 1\n[transports.telegram]")}`),
    ).toContain("transports.slack: expected a table, got 1");
    expect(problem(`${TG}[plugins]\nfoo = "x"`)).toContain('plugins.foo: expected a table, got "x"');
    expect(ok(`${TG}[plugins]\nenabled = ["a"]\n[plugins.foo]\nk = "v"`).plugins.foo).toEqual({ k: "v" });
  });
  test("plugins.enabled refuses blank names", () => {
    expect(problem(`${TG}[plugins]\nenabled = ["a", " "]`)).toContain(
      "plugins.enabled: expected a list of non-empty strings, item 1",
    );
  });
});

describe("telegram specifics", () => {
  test("api_root must be http(s); a trailing slash is dropped", () => {
    expect(ok(`${TG}api_root = "http://127.0.0.1:8081/"`).transports.telegram!.api_root).toBe(
      "http://127.0.0.1:8081",
    );
    expect(problem(`${TG}api_root = "ftp://x"`)).toContain(
      "transports.telegram.api_root: expected an http(s) URL",
    );
    expect(problem(`${TG}api_root = "not a url"`)).toContain("api_root: expected an http(s) URL");
  });
  test("uploads_dir must be relative", () => {
    expect(problem(`${TG}[transports.telegram.files]\nuploads_dir = "/abs"`)).toContain(
      'transports.telegram.files.uploads_dir: must be a relative path, got "/abs"',
    );
    expect(problem(`${TG}[transports.telegram.files]\nuploads_dir = "~/x"`)).toContain(
      "must be a relative path",
    );
  });
  test("allowed_user_ids are integers", () => {
    expect(ok(`${TG}allowed_user_ids = [1, "2"]`).transports.telegram!.allowed_user_ids).toEqual([1, 2]);
    expect(problem(`${TG}allowed_user_ids = [1, 2.5]`)).toContain(
      "transports.telegram.allowed_user_ids: expected a list of integers, item 1 is 2.5 (a float)",
    );
  });
});

describe("projects", () => {
  test("aliases must not be engine ids or reserved commands", () => {
    expect(problem(`${TG}[projects.Codex]\npath = "/x"`)).toContain(
      "projects.Codex: alias 'Codex' is an engine id",
    );
    expect(problem(`${TG}[projects.cancel]\npath = "/x"`)).toContain(
      "projects.cancel: alias 'cancel' is a reserved chat command",
    );
  });
  test("aliases differing only in case clash", () => {
    expect(problem(`${TG}[projects.App]\npath = "/a"\n[projects.app]\npath = "/b"`)).toContain(
      "projects.app: duplicate project alias: 'App' and 'app' differ only in case",
    );
  });
  test("project chat ids must be unique and differ from the main chat", () => {
    expect(problem(`${TG}[projects.a]\npath = "/a"\nchat_id = 123`)).toContain(
      "projects.a.chat_id: must not equal transports.telegram.chat_id",
    );
    expect(
      problem(`${TG}[projects.a]\npath = "/a"\nchat_id = 5\n[projects.b]\npath = "/b"\nchat_id = "5"`),
    ).toContain("projects.b.chat_id: chat 5 is already bound to project 'a'");
  });
  test("default_project matches an alias case-insensitively", () => {
    expect(ok(`default_project = "APP"\n${TG}[projects.app]\npath = "/a"`).default_project).toBe("APP");
    expect(problem(`default_project = "web"\n${TG}[projects.app]\npath = "/a"`)).toContain(
      "default_project: 'web' matches no project alias (known aliases: app)",
    );
  });
  test("a project needs a path; worktrees_dir defaults", () => {
    expect(ok(`${TG}[projects.a]\npath = "~/a"`).projects.a).toEqual({
      path: "~/a",
      worktrees_dir: ".worktrees",
    });
    expect(problem(`${TG}[projects.a]\nchat_id = 5`)).toContain(
      "projects.a.path: missing; expected a non-empty string",
    );
  });
});

describe("engines", () => {
  test.each([
    "--json",
    "--skip-git-repo-check",
    "--output-schema=x.json",
    "--output-last-message",
    "--color=never",
    "-o",
  ])("codex.extra_args refuses %s", (flag) => {
    expect(problem(`${TG}[codex]\nextra_args = ["-c", "x=1", "${flag}"]`)).toContain(
      `codex.extra_args: exec-only flag '${flag}' is managed by takopi`,
    );
  });
  test("extra_args must be a list of strings", () => {
    expect(problem(`${TG}[codex]\nextra_args = "-c x"`)).toContain(
      'codex.extra_args: expected a list of strings, got "-c x"',
    );
    expect(problem(`${TG}[pi]\nextra_args = [1]`)).toContain(
      "pi.extra_args: expected a list of strings, item 0 is 1",
    );
  });
  test("command and model keys", () => {
    const config = ok(
      `${TG}[claude]\ncommand = "~/bin/claude"\nmodel = "opus"\nallowed_tools = []\n[opencode]\nmodel = "a/b"\n[pi]\nprovider = "x"`,
    );
    expect(config.claude).toMatchObject({ command: "~/bin/claude", model: "opus", allowed_tools: [] });
    expect(config.opencode.model).toBe("a/b");
    expect(config.pi.provider).toBe("x");
    expect(problem(`${TG}[opencode]\nmodel = 1`)).toContain(
      "opencode.model: expected a non-empty string, got 1",
    );
  });
});

test("legacy top-level bot_token/chat_id are refused with a hint", () => {
  expect(problem(`bot_token = "x"\n${TG}`)).toContain(
    "bot_token: move bot_token/chat_id under [transports.telegram]",
  );
});

test("the schema parses smol-toml's null-prototype tables", () => {
  expect(ConfigSchema.safeParse(raw(TG)).success).toBe(true);
});

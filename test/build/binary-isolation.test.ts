// decisions.md item 5: the compiled binary runs inside users' repositories and must not pick up
// their `.env` or `bunfig.toml`. Each case has a control run through plain `bun`, which does read
// both files, so the test fails if the files stop being observable.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { compileBinary } from "../../scripts/build";

const MAIN = resolve(import.meta.dir, "..", "..", "src", "main.ts");

let root: string;
let binary: string;
let repo: string;
let home: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "takopi-isolation-"));
  binary = join(root, "takopi");
  await compileBinary({ outfile: binary });
  // A user's repository with a .env and a bunfig.toml of its own.
  repo = join(root, "repo");
  home = join(root, "home");
  mkdirSync(repo);
  mkdirSync(home);
  writeFileSync(
    join(repo, ".env"),
    `TAKOPI_CONFIG=${join(repo, "from-dotenv.toml")}\nTAKOPI_LOG_LEVEL=debug\n`,
  );
  writeFileSync(join(repo, "bunfig.toml"), `preload = ["./preload.ts"]\n`);
  writeFileSync(
    join(repo, "preload.ts"),
    `require("node:fs").writeFileSync(${JSON.stringify(join(repo, "preloaded"))}, "yes");\nconsole.error("PRELOADED");\n`,
  );
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(argv: string[], extraEnv: Record<string, string> = {}) {
  rmSync(join(repo, "preloaded"), { force: true });
  const env: Record<string, string> = { HOME: home, PATH: process.env.PATH ?? "/usr/bin:/bin", ...extraEnv };
  const proc = Bun.spawn(argv, { cwd: repo, env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { stdout, stderr, code, preloaded: existsSync(join(repo, "preloaded")) };
}

describe("compiled binary in a directory with .env and bunfig.toml", () => {
  test("control: plain bun reads both files there", async () => {
    const result = await run([process.execPath, MAIN, "config", "path"]);
    expect(result.preloaded).toBe(true);
    expect(result.stderr).toContain("PRELOADED");
    expect(result.stdout.trim()).toBe(join(repo, "from-dotenv.toml"));
  });

  test("--version: no preload runs", async () => {
    const result = await run([binary, "--version"]);
    expect(result).toEqual({ stdout: `${pkg.version}\n`, stderr: "", code: 0, preloaded: false });
  });

  test("config path: .env does not set TAKOPI_CONFIG, bunfig.toml is not read", async () => {
    const result = await run([binary, "config", "path"]);
    expect(result.preloaded).toBe(false);
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("~/.takopi/takopi.toml");
    expect(result.code).toBe(0);
  });

  test("control: the real environment still reaches the binary", async () => {
    const result = await run([binary, "config", "path"], { TAKOPI_CONFIG: join(root, "real.toml") });
    expect(result.stdout.trim()).toBe(join(root, "real.toml"));
    expect(result.preloaded).toBe(false);
  });
});

// Runs install.sh (with /bin/sh) against a local release server on 127.0.0.1 serving
// a freshly compiled host binary and its SHA256SUMS.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { artifactName, compileBinary, type ReleaseTarget, writeChecksums } from "../../scripts/build";

const INSTALL_SH = resolve(import.meta.dir, "..", "..", "install.sh");
const HOST: ReleaseTarget = {
  os: process.platform === "darwin" ? "darwin" : "linux",
  arch: process.arch === "arm64" ? "arm64" : "x64",
};
const ASSET = artifactName(HOST);
const SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin";

let root: string;
let dist: string;
let server: ReturnType<typeof Bun.serve>;
const requests: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "takopi-install-"));
  dist = join(root, "dist");
  mkdirSync(dist);
  await compileBinary({ outfile: join(dist, ASSET) });
  await writeChecksums(dist, [ASSET]);
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const path = new URL(req.url).pathname;
      requests.push(path);
      const [, channel, name] = path.split("/");
      if (!name || name.includes("..")) return new Response("not found", { status: 404 });
      if (channel === "bad" && name === "SHA256SUMS") {
        // Right file name, wrong digest: what a tampered or truncated download looks like.
        return new Response(`${"0".repeat(64)}  ${ASSET}\n`);
      }
      if (channel !== "good" && channel !== "bad") return new Response("not found", { status: 404 });
      const file = join(dist, name);
      return existsSync(file) ? new Response(Bun.file(file)) : new Response("not found", { status: 404 });
    },
  });
}, 120_000);

afterAll(() => {
  server?.stop(true);
  rmSync(root, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  installDir: string;
}

let runs = 0;
async function install(channel: string, env: Record<string, string> = {}): Promise<Run> {
  const home = join(root, `home-${++runs}`);
  mkdirSync(home, { recursive: true });
  const installDir = join(home, "bin");
  const proc = Bun.spawn(["/bin/sh", INSTALL_SH], {
    cwd: home,
    env: {
      HOME: home,
      PATH: SYSTEM_PATH,
      SHELL: "/bin/bash",
      TAKOPI_INSTALL_BASE_URL: `http://127.0.0.1:${server.port}/${channel}`,
      TAKOPI_INSTALL_DIR: installDir,
      ...env,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, stdout, stderr, installDir };
}

async function runVersion(binary: string): Promise<string> {
  const proc = Bun.spawn([binary, "--version"], { stdout: "pipe" });
  const out = await new Response(proc.stdout).text();
  expect(await proc.exited).toBe(0);
  return out.trim();
}

function installedFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe("install.sh", () => {
  test("downloads, verifies and installs; the binary runs; PATH advice is given", async () => {
    const run = await install("good");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const binary = join(run.installDir, "takopi");
    expect(await runVersion(binary)).toBe(pkg.version);
    expect(installedFiles(run.installDir)).toEqual(["takopi"]);
    expect(run.stdout).toContain(`installed takopi ${pkg.version} to ${binary}`);
    expect(run.stdout).toContain(`${run.installDir} is not on your PATH`);
    expect(run.stdout).toContain(
      `echo 'export PATH="${run.installDir}:$PATH"' >> ${join(root, `home-${runs}`)}/.bashrc`,
    );
    expect(requests).toContain(`/good/${ASSET}`);
    expect(requests).toContain("/good/SHA256SUMS");
  }, 60_000);

  test("no PATH advice when the directory is already on PATH", async () => {
    const home = join(root, `home-${runs + 1}`);
    const run = await install("good", { PATH: `${join(home, "bin")}:${SYSTEM_PATH}` });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("not on your PATH");
    expect(await runVersion(join(run.installDir, "takopi"))).toBe(pkg.version);
  }, 60_000);

  // curl is the default; wget is the fallback on machines without it.
  test.skipIf(!Bun.which("wget"))(
    "wget works as the downloader",
    async () => {
      const run = await install("good", { TAKOPI_INSTALL_DOWNLOADER: "wget" });
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(await runVersion(join(run.installDir, "takopi"))).toBe(pkg.version);
    },
    60_000,
  );

  test("a checksum mismatch installs nothing", async () => {
    const run = await install("bad");
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`checksum mismatch for ${ASSET} (expected ${"0".repeat(64)}, got `);
    expect(run.stderr).toContain("nothing was installed");
    expect(installedFiles(run.installDir)).toEqual([]);
  }, 60_000);

  test("an existing install is left alone when the new download is bad", async () => {
    const home = join(root, `home-${runs + 1}`);
    mkdirSync(join(home, "bin"), { recursive: true });
    writeFileSync(join(home, "bin", "takopi"), "old");
    const run = await install("bad");
    expect(run.code).not.toBe(0);
    expect(installedFiles(run.installDir)).toEqual(["takopi"]);
    expect(await Bun.file(join(run.installDir, "takopi")).text()).toBe("old");
  }, 60_000);

  test.each([
    ["FreeBSD", { TAKOPI_INSTALL_OS: "FreeBSD" }, "unsupported operating system: FreeBSD"],
    [
      "Windows (Git Bash)",
      { TAKOPI_INSTALL_OS: "MINGW64_NT-10.0" },
      "unsupported operating system: MINGW64_NT-10.0. On Windows download",
    ],
    ["i686", { TAKOPI_INSTALL_ARCH: "i686" }, "unsupported CPU architecture: i686"],
  ])("unsupported platform (%s) is refused before any download", async (_name, env, message) => {
    const before = requests.length;
    const run = await install("good", env);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`takopi install: error: ${message}`);
    expect(requests.length).toBe(before);
    expect(installedFiles(run.installDir)).toEqual([]);
  });

  test("a platform with no published binary fails clearly", async () => {
    const other = HOST.os === "linux" ? "Darwin" : "Linux";
    const run = await install("good", { TAKOPI_INSTALL_OS: other });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(
      `download failed: http://127.0.0.1:${server.port}/good/takopi-${other.toLowerCase()}-`,
    );
    expect(installedFiles(run.installDir)).toEqual([]);
  });
});

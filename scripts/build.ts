// Builds the single-file takopi binary.
//   bun scripts/build.ts --single        dist/takopi for this machine (CI, `bun run build`)
//   bun scripts/build.ts                 every release target → dist/takopi-<os>-<arch>[.exe],
//                                        dist/SHA256SUMS and the Homebrew formula dist/takopi.rb
//   bun scripts/build.ts --outdir DIR    write somewhere else
// The compiled binary must not read `.env` or `bunfig.toml` from the directory it runs in:
// takopi runs inside users' repositories (decisions.md item 5).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import pkg from "../package.json" with { type: "json" };
import { homebrewFormula, parseChecksums } from "./homebrew-formula";

const ROOT = resolve(import.meta.dir, "..");
const ENTRY = join(ROOT, "src", "main.ts");

export interface ReleaseTarget {
  readonly os: "linux" | "darwin" | "windows";
  readonly arch: "x64" | "arm64";
  /** A failed build of an optional target is reported and skipped. */
  readonly optional?: boolean;
}

export const RELEASE_TARGETS: readonly ReleaseTarget[] = [
  { os: "linux", arch: "x64" },
  { os: "linux", arch: "arm64" },
  { os: "darwin", arch: "x64" },
  { os: "darwin", arch: "arm64" },
  { os: "windows", arch: "x64", optional: true },
];

/** `takopi-linux-x64`, `takopi-windows-x64.exe`: the names install.sh and the Homebrew formula use. */
export function artifactName(target: ReleaseTarget): string {
  return `takopi-${target.os}-${target.arch}${target.os === "windows" ? ".exe" : ""}`;
}

export interface CompileOptions {
  readonly outfile: string;
  /** Omitted: this machine (no runtime download). */
  readonly target?: ReleaseTarget;
  readonly version?: string;
}

/** One `bun build --compile` with the release flags; throws with Bun's messages on failure. */
export async function compileBinary(options: CompileOptions): Promise<void> {
  const target = options.target ? (`bun-${options.target.os}-${options.target.arch}` as const) : undefined;
  const result = await Bun.build({
    entrypoints: [ENTRY],
    compile: {
      ...(target ? { target } : {}),
      outfile: options.outfile,
      autoloadDotenv: false,
      autoloadBunfig: false,
    },
    minify: true,
    bytecode: true,
    format: "esm",
    // The CLI and bridge become a chunk that `--version` never loads (~10 ms of startup).
    splitting: true,
    define: { TAKOPI_VERSION: JSON.stringify(options.version ?? pkg.version) },
    throw: false,
  });
  if (!result.success) {
    const messages = result.logs.map((log) => String(log.message ?? log)).join("\n");
    throw new Error(`compile ${target ?? "host"} failed:\n${messages}`);
  }
}

/** sha256 of a file, streamed (binaries are ~100 MB). */
export async function sha256File(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  for await (const chunk of Bun.file(path).stream()) hasher.update(chunk);
  return hasher.digest("hex");
}

/** `sha256sum` format: `<hex>  <name>` per line, so `sha256sum -c SHA256SUMS` works. */
export async function writeChecksums(dir: string, files: readonly string[]): Promise<string> {
  const lines: string[] = [];
  for (const file of files) lines.push(`${await sha256File(join(dir, file))}  ${basename(file)}`);
  const path = join(dir, "SHA256SUMS");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

async function buildSingle(outdir: string): Promise<void> {
  const outfile = join(outdir, "takopi");
  const started = performance.now();
  await compileBinary({ outfile });
  console.log(`built ${outfile} (${pkg.version}) in ${Math.round(performance.now() - started)} ms`);
}

async function buildRelease(outdir: string): Promise<number> {
  const built: string[] = [];
  const failed: string[] = [];
  for (const target of RELEASE_TARGETS) {
    const name = artifactName(target);
    const started = performance.now();
    try {
      await compileBinary({ outfile: join(outdir, name), target });
      built.push(name);
      console.log(`built ${name} in ${Math.round(performance.now() - started)} ms`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!target.optional) {
        console.error(`error: ${message}`);
        failed.push(name);
      } else {
        console.error(`warning: skipping ${name}: ${message}`);
        rmSync(join(outdir, name), { force: true });
      }
    }
  }
  if (failed.length > 0) {
    console.error(`error: release build failed for ${failed.join(", ")}`);
    return 1;
  }
  const sums = await writeChecksums(outdir, built);
  console.log(`wrote ${sums} (${built.length} binaries, version ${pkg.version})`);
  const formula = join(outdir, "takopi.rb");
  writeFileSync(
    formula,
    homebrewFormula({ version: pkg.version, checksums: parseChecksums(await Bun.file(sums).text()) }),
  );
  console.log(`wrote ${formula}`);
  return 0;
}

function outdirFrom(argv: readonly string[]): string {
  const at = argv.indexOf("--outdir");
  const value = at >= 0 ? argv[at + 1] : undefined;
  return resolve(value ?? join(ROOT, "dist"));
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  const outdir = outdirFrom(argv);
  mkdirSync(outdir, { recursive: true });
  if (argv.includes("--single")) {
    await buildSingle(outdir);
  } else {
    process.exitCode = await buildRelease(outdir);
  }
}

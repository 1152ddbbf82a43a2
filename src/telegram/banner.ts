export interface BannerInfo {
  readonly defaultEngine: string;
  /** Engines that can run (including misconfigured ones, which still run with defaults). */
  readonly available: readonly string[];
  readonly missing: readonly string[];
  readonly misconfigured: readonly string[];
  readonly failed: readonly string[];
  readonly projects: readonly string[];
  readonly sessionMode: string;
  readonly topics: string;
  readonly showResumeLine: boolean;
  readonly cwd: string;
}

/** The startup message (behaviour §3.19), as markdown. */
export function startupBanner(info: BannerInfo): string {
  const notes = [
    info.missing.length ? `not installed: ${info.missing.join(", ")}` : "",
    info.misconfigured.length ? `misconfigured: ${info.misconfigured.join(", ")}` : "",
    info.failed.length ? `failed to load: ${info.failed.join(", ")}` : "",
  ].filter(Boolean);
  const engines = `${info.available.join(", ") || "none"}${notes.length ? ` (${notes.join("; ")})` : ""}`;
  const projects = [...info.projects].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  return [
    "🐙 **takopi is ready**",
    "",
    [
      `default: \`${info.defaultEngine}\``,
      `engines: \`${engines}\``,
      `projects: \`${projects.join(", ") || "none"}\``,
      `mode: \`${info.sessionMode}\``,
      `topics: \`${info.topics}\``,
      `resume lines: \`${info.showResumeLine ? "shown" : "hidden"}\``,
      `working in: \`${info.cwd}\``,
    ].join("  \n"),
  ].join("\n");
}

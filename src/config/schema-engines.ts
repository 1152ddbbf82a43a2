// Engine tables `[codex] [claude] [opencode] [pi]`. Unknown keys are kept and
// ignored (the original read these tables as plain dicts, and old docs showed
// keys such as `[codex] model`), so an existing config keeps loading.
import { z } from "zod";
import { boolean, doc, text, textList } from "./fields";

export const DEFAULT_CODEX_EXTRA_ARGS: readonly string[] = ["-c", "notify=[]"];
export const DEFAULT_CLAUDE_ALLOWED_TOOLS: readonly string[] = ["Bash", "Read", "Edit", "Write"];

// Flags takopi itself passes to `codex exec`; a user copy would break the JSONL stream.
const CODEX_MANAGED_FLAGS = [
  "--skip-git-repo-check",
  "--json",
  "--output-schema",
  "--output-last-message",
  "--color",
];

/** The first codex flag in `args` that takopi manages itself, if any. */
export function findManagedCodexFlag(args: readonly string[]): string | undefined {
  return args.find(
    (arg) => arg === "-o" || CODEX_MANAGED_FLAGS.some((f) => arg === f || arg.startsWith(`${f}=`)),
  );
}

function command(engine: string) {
  return doc(
    text({ nonEmpty: true }).optional(),
    "string",
    `Path or name of the \`${engine}\` executable; \`~/\` is expanded. Default: \`${engine}\` looked up on PATH.`,
    `"${engine}" on PATH`,
  );
}

export const CodexSchema = z.looseObject({
  command: command("codex"),
  extra_args: doc(
    textList()
      .superRefine((args, ctx) => {
        const flag = findManagedCodexFlag(args);
        if (flag)
          ctx.addIssue({
            code: "custom",
            message: `exec-only flag '${flag}' is managed by takopi; remove it`,
          });
      })
      .default([...DEFAULT_CODEX_EXTRA_ARGS]),
    "string[]",
    'Extra arguments for `codex exec` (e.g. `-c model="o3"`). Flags takopi manages (`--json`, `--skip-git-repo-check`, `--output-schema`, `--output-last-message`, `--color`, `-o`) are refused.',
  ),
  profile: doc(
    text({ nonEmpty: true }).optional(),
    "string",
    "Codex profile (`--profile <name>`); also shown as the session title.",
    "none",
  ),
});

export const ClaudeSchema = z.looseObject({
  command: command("claude"),
  model: doc(text({ nonEmpty: true }).optional(), "string", "Model passed as `--model`.", "none"),
  allowed_tools: doc(
    textList().default([...DEFAULT_CLAUDE_ALLOWED_TOOLS]),
    "string[]",
    "Tools allowed without asking (`--allowedTools`); `[]` passes no flag.",
  ),
  dangerously_skip_permissions: doc(
    boolean({ lax: false }).default(false),
    "boolean",
    "Pass `--dangerously-skip-permissions`: claude runs every tool without asking.",
  ),
  use_api_billing: doc(
    boolean({ lax: false }).default(false),
    "boolean",
    "Keep `ANTHROPIC_API_KEY` in claude's environment (API billing); by default it is removed so the subscription is used.",
  ),
});

export const OpencodeSchema = z.looseObject({
  command: command("opencode"),
  model: doc(
    text({ nonEmpty: true }).optional(),
    "string",
    "Model passed as `--model` (e.g. `anthropic/claude-sonnet-4`).",
    "none",
  ),
});

export const PiSchema = z.looseObject({
  command: command("pi"),
  model: doc(text({ nonEmpty: true }).optional(), "string", "Model passed as `--model`.", "none"),
  provider: doc(text({ nonEmpty: true }).optional(), "string", "Provider passed as `--provider`.", "none"),
  extra_args: doc(textList().default([]), "string[]", "Extra arguments for `pi`."),
});

export type CodexConfig = z.infer<typeof CodexSchema>;
export type ClaudeConfig = z.infer<typeof ClaudeSchema>;
export type OpencodeConfig = z.infer<typeof OpencodeSchema>;
export type PiConfig = z.infer<typeof PiSchema>;

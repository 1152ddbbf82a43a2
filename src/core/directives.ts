/**
 * Leading directives of a prompt (behaviour §3.3): on the first non-empty line,
 * tokens like `/claude`, `/myproject` and `@branch` choose the engine, project
 * and branch. Scanning stops at the first other token.
 */
export interface Directives {
  readonly engine?: string;
  readonly project?: string;
  readonly branch?: string;
  /** The prompt with the consumed tokens removed. */
  readonly prompt: string;
}

export class DirectiveError extends Error {
  override name = "DirectiveError";
}

export interface DirectiveVocabulary {
  /** Lowercase engine ids. */
  readonly engines: ReadonlySet<string>;
  /** Lowercase project aliases. */
  readonly projects: ReadonlySet<string>;
  /** This bot's username, lowercase, without `@` (decisions.md 10: `@bot …` is a mention, not a branch). */
  readonly botUsername?: string;
}

function commandName(token: string): string {
  const at = token.indexOf("@");
  return (at >= 0 ? token.slice(1, at) : token.slice(1)).toLowerCase();
}

export function parseDirectives(text: string, vocab: DirectiveVocabulary): Directives {
  const lines = text.split("\n");
  const index = lines.findIndex((line) => line.trim() !== "");
  if (index < 0) return { prompt: text.trim() };
  const tokens = lines[index]!.trim().split(/\s+/);
  let engine: string | undefined;
  let project: string | undefined;
  let branch: string | undefined;
  let consumed = 0;
  for (const token of tokens) {
    if (token.startsWith("/") && token.length > 1) {
      const name = commandName(token);
      if (vocab.engines.has(name)) {
        if (engine !== undefined) throw new DirectiveError("multiple engine directives");
        engine = name;
      } else if (vocab.projects.has(name)) {
        if (project !== undefined) throw new DirectiveError("multiple project directives");
        project = name;
      } else break;
    } else if (token.startsWith("@") && token.length > 1) {
      const name = token.slice(1);
      if (vocab.botUsername && name.toLowerCase() === vocab.botUsername) {
        consumed++; // a mention of this bot: drop it, it is not a branch
        continue;
      }
      if (branch !== undefined) throw new DirectiveError("multiple @branch directives");
      branch = name;
    } else break;
    consumed++;
  }
  if (consumed === 0) return { prompt: text.trim() };
  const rest = tokens.slice(consumed).join(" ");
  if (rest) lines[index] = rest;
  else lines.splice(index, 1);
  return {
    prompt: lines.join("\n").trim(),
    ...(engine !== undefined ? { engine } : {}),
    ...(project !== undefined ? { project } : {}),
    ...(branch !== undefined ? { branch } : {}),
  };
}

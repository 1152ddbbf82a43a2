import { badRequest, type Json } from "./types";

/**
 * Request parameters from a JSON body, a form (urlencoded or multipart) or the query string.
 * Form values arrive as strings, so accessors coerce like the Bot API does.
 */
export class Params {
  constructor(
    readonly raw: Json,
    readonly files: ReadonlyMap<string, File> = new Map(),
  ) {}

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  int(key: string): number | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null || v === "") return undefined;
    const n = typeof v === "number" ? v : typeof v === "string" ? Number(v) : Number.NaN;
    if (!Number.isFinite(n)) throw badRequest(`invalid ${key} specified`);
    return n;
  }

  requireInt(key: string, missing = `${key} is empty`): number {
    const n = this.int(key);
    if (n === undefined) throw badRequest(missing);
    return n;
  }

  str(key: string): string | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    return typeof v === "string" ? v : String(v);
  }

  bool(key: string): boolean {
    const v = this.raw[key];
    return v === true || v === "true" || v === 1 || v === "1";
  }

  /** An object parameter, given as JSON or (in forms) as a JSON string. */
  json(key: string): unknown {
    const v = this.raw[key];
    if (typeof v !== "string") return v ?? undefined;
    try {
      return JSON.parse(v);
    } catch {
      throw badRequest(`can't parse ${key} JSON object`);
    }
  }
}

export async function readParams(req: Request, url: URL): Promise<Params> {
  const raw: Json = Object.fromEntries(url.searchParams);
  const files = new Map<string, File>();
  if (req.method !== "POST") return new Params(raw, files);
  const type = req.headers.get("content-type") ?? "";
  if (type.includes("application/json")) {
    const text = await req.text();
    if (text.trim()) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw badRequest("can't parse JSON request body");
      }
      if (body && typeof body === "object") Object.assign(raw, body);
    }
  } else if (type.includes("multipart/form-data") || type.includes("application/x-www-form-urlencoded")) {
    const form = await req.formData();
    for (const [k, v] of form.entries()) {
      if (typeof v === "string") raw[k] = v;
      else files.set(k, v);
    }
  }
  return new Params(raw, files);
}

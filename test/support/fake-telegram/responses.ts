import { ApiError, type Failure, type Json } from "./types";

export const ok = (result: unknown): Response => Response.json({ ok: true, result });

export function apiError(e: ApiError): Response {
  const body: Json = { ok: false, error_code: e.code, description: e.description };
  if (e.parameters) body.parameters = e.parameters;
  return Response.json(body, { status: e.code });
}

export const CONFLICT =
  "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";

/** A socket closed mid-response: the client sees a network error (ECONNRESET), not an HTTP status. */
export function dropped(): Response {
  return new Response(
    new ReadableStream({
      pull(c) {
        // error() without a reason closes the connection without Bun logging a stack trace.
        c.error();
      },
    }),
  );
}

export function failureResponse(f: Failure): { response: Response; code?: number; description?: string } {
  switch (f.kind) {
    case "rate_limit": {
      const e = new ApiError(429, `Too Many Requests: retry after ${f.retry_after}`, {
        retry_after: f.retry_after,
      });
      return { response: apiError(e), code: 429, description: e.description };
    }
    case "server_error": {
      const status = f.status ?? 500;
      const text =
        status === 502 ? "Bad Gateway" : status === 503 ? "Service Unavailable" : "Internal Server Error";
      if (f.body === "html") {
        const html = `<html><head><title>${status} ${text}</title></head><body><center><h1>${status} ${text}</h1></center></body></html>`;
        return {
          response: new Response(html, { status, headers: { "content-type": "text/html" } }),
          code: status,
          description: text,
        };
      }
      return { response: apiError(new ApiError(status, text)), code: status, description: text };
    }
    case "drop":
      return { response: dropped() };
    case "conflict":
      return { response: apiError(new ApiError(409, CONFLICT)), code: 409, description: CONFLICT };
    case "error":
      return {
        response: apiError(new ApiError(f.code, f.description)),
        code: f.code,
        description: f.description,
      };
  }
}

/**
 * Request-level protections shared by the HTTP server. Pure functions, so they are unit-tested
 * without a server.
 */

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface OriginCheckInput {
  method: string;
  origin: string | null | undefined;
  referer: string | null | undefined;
  host: string | null | undefined;
  appUrl: string;
  /** Token-authenticated API calls carry no cookies, so cross-site forgery does not apply to them. */
  hasBearerToken: boolean;
}

/**
 * Every state-changing request must come from our own pages: its Origin (or, failing that, Referer)
 * must match APP_URL or the Host it was sent to. Requests with neither are refused.
 */
export function isSameOriginRequest(input: OriginCheckInput): boolean {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return true;
  if (input.hasBearerToken) return true;
  const source = input.origin && input.origin !== "null" ? input.origin : input.referer;
  if (!source) return false;
  let sourceUrl: URL;
  try {
    sourceUrl = new URL(source);
  } catch {
    return false;
  }
  const allowed = new Set<string>();
  try {
    allowed.add(new URL(input.appUrl).host);
  } catch {
    // APP_URL is validated at start-up; nothing to add.
  }
  if (input.host) allowed.add(input.host);
  return allowed.has(sourceUrl.host);
}

/** Stored mail bodies shown to staff: inline styles (mail needs them), nothing active, framed only by us. */
const MAIL_PREVIEW_PATH = /^\/admin\/mail\/\d+\/html$/;
const MAIL_PREVIEW_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'self'";

/** Headers on every response. Scripts only from our origin or carrying this request's nonce. */
export function securityHeaders(nonce: string, isHttps: boolean, pathname = "/"): Record<string, string> {
  const preview = MAIL_PREVIEW_PATH.test(pathname);
  const csp = preview
    ? MAIL_PREVIEW_CSP
    : [
        "default-src 'self'",
        `script-src 'self' 'nonce-${nonce}'`,
        "style-src 'self'",
        "img-src 'self' data: https:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join("; ");
  return {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": preview ? "SAMEORIGIN" : "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    ...(isHttps ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

/**
 * A request path or URL as it may be logged: the private calendar feed carries its only credential in the
 * path (calendar apps cannot send headers), so the token is cut out before anything writes it down.
 */
export function redactPathSecrets(pathOrUrl: string): string {
  return pathOrUrl.replace(/\/calendar\/[^/?#]+/, "/calendar/[redacted].ics");
}

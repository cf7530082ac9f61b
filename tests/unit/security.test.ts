import { describe, expect, it } from "vitest";
import { can } from "../../app/features/auth/permissions";
import { safeRedirectPath } from "../../app/features/auth/guards.server";
import { isSameOriginRequest, redactPathSecrets, securityHeaders } from "../../app/features/security/http";
import { parseForm } from "../../app/features/forms/parse";
import { loginSchema, signupSchema } from "../../app/features/auth/auth.schema";

const base = { host: "community.example.com", appUrl: "https://community.example.com", hasBearerToken: false };

describe("same-origin check for mutations", () => {
  it("lets reads through", () => {
    expect(isSameOriginRequest({ ...base, method: "GET", origin: "https://evil.test", referer: null })).toBe(true);
  });
  it("accepts a POST from our own origin, by Origin or by Referer", () => {
    expect(isSameOriginRequest({ ...base, method: "POST", origin: "https://community.example.com", referer: null })).toBe(true);
    expect(isSameOriginRequest({ ...base, method: "POST", origin: null, referer: "https://community.example.com/login" })).toBe(true);
  });
  it("refuses a POST from another site, a look-alike host, or with no origin at all", () => {
    expect(isSameOriginRequest({ ...base, method: "POST", origin: "https://evil.test", referer: null })).toBe(false);
    expect(isSameOriginRequest({ ...base, method: "POST", origin: "https://community.example.com.evil.test", referer: null })).toBe(false);
    expect(isSameOriginRequest({ ...base, method: "DELETE", origin: null, referer: null })).toBe(false);
    expect(isSameOriginRequest({ ...base, method: "POST", origin: "null", referer: null })).toBe(false);
  });
  it("does not apply to token-authenticated API calls, which carry no cookies", () => {
    expect(isSameOriginRequest({ ...base, method: "POST", origin: null, referer: null, hasBearerToken: true })).toBe(true);
  });
});

describe("security headers", () => {
  it("allow only our scripts and forbid framing", () => {
    const headers = securityHeaders("abc", true);
    expect(headers["Content-Security-Policy"]).toContain("script-src 'self' 'nonce-abc'");
    expect(headers["Content-Security-Policy"]).toContain("frame-ancestors 'none'");
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Strict-Transport-Security"]).toBeDefined();
    expect(securityHeaders("abc", false)["Strict-Transport-Security"]).toBeUndefined();
  });
  it("sandbox stored mail previews: inline styles only, no scripts, framed only by our pages", () => {
    const preview = securityHeaders("abc", false, "/admin/mail/12/html")["Content-Security-Policy"];
    expect(preview).toMatch(/^sandbox;/);
    expect(preview).not.toContain("script-src");
    expect(preview).toContain("frame-ancestors 'self'");
    expect(securityHeaders("abc", false, "/admin/mail/12")["Content-Security-Policy"]).toContain("frame-ancestors 'none'");
  });
});

describe("permissions", () => {
  const admin = { id: 1, role: "admin" as const };
  const staff = { id: 2, role: "staff" as const };
  const member = { id: 3, role: "member" as const };
  it("keeps the staff area from members and visitors", () => {
    expect(can(member, "admin.access")).toBe(false);
    expect(can(null, "admin.access")).toBe(false);
    expect(can(staff, "admin.access")).toBe(true);
  });
  it("lets only admins change roles, never their own", () => {
    expect(can(staff, "users.changeRole", member)).toBe(false);
    expect(can(admin, "users.changeRole", member)).toBe(true);
    expect(can(admin, "users.changeRole", admin)).toBe(false);
  });
  it("lets staff suspend members but not other staff or admins", () => {
    expect(can(staff, "users.suspend", member)).toBe(true);
    expect(can(staff, "users.suspend", { id: 9, role: "staff" })).toBe(false);
    expect(can(staff, "users.suspend", admin)).toBe(false);
  });
});

describe("redirects after sign-in", () => {
  it("stays on this site", () => {
    expect(safeRedirectPath("/questions?x=1")).toBe("/questions?x=1");
    expect(safeRedirectPath("//evil.test")).toBe("/");
    expect(safeRedirectPath("/\\evil.test")).toBe("/");
    expect(safeRedirectPath("https://evil.test")).toBe("/");
    expect(safeRedirectPath(undefined)).toBe("/");
  });
});

describe("form parsing", () => {
  function form(entries: Record<string, string>) {
    const data = new FormData();
    for (const [k, v] of Object.entries(entries)) data.set(k, v);
    return data;
  }
  it("returns field errors as catalog keys and keeps what was typed, but never the password", () => {
    const result = parseForm(form({ displayName: "", email: "not-an-email", password: "short" }), signupSchema);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      displayName: ["form.required"],
      email: ["form.email"],
      password: ["auth.passwordTooShort"],
    });
    expect(result.values).toEqual({ displayName: "", email: "not-an-email" });
  });
  it("normalizes the email", () => {
    const result = parseForm(form({ email: "  Ken@Example.COM ", password: "x" }), loginSchema);
    expect(result.ok && result.data.email).toBe("ken@example.com");
  });
});

describe("redactPathSecrets", () => {
  it("cuts the private calendar token out of logged paths and URLs", () => {
    expect(redactPathSecrets("/calendar/abcDEF_123-xyz.ics")).toBe("/calendar/[redacted].ics");
    expect(redactPathSecrets("http://127.0.0.1:3000/calendar/abcDEF_123.ics?x=1")).toBe("http://127.0.0.1:3000/calendar/[redacted].ics?x=1");
    expect(redactPathSecrets("/events.ics")).toBe("/events.ics");
  });
});

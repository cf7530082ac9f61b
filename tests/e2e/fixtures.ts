import { test as base, expect, type Page } from "@playwright/test";
import { DEMO_LOGINS, DEMO_PASSWORD } from "../../db/seed";

type DemoRole = "admin" | "staff" | "moderator" | "member" | "member-ja";

export function demoLogin(role: DemoRole) {
  const login = role === "member-ja" ? DEMO_LOGINS.find((l) => l.locale === "ja") : DEMO_LOGINS.find((l) => l.role === role && l.locale === "en");
  if (!login) throw new Error(`no demo login for ${role}`);
  return { email: login.email, password: DEMO_PASSWORD };
}

/**
 * Session cookies from earlier sign-ins in this worker, per role. The suite signs in as staff far more often
 * than the per-email sign-in limit allows in 15 minutes, so a session is reused while it is still valid
 * (a test that signs out ends it, and the next one signs in through the form again).
 */
const sessionCookies = new Map<DemoRole, Awaited<ReturnType<ReturnType<Page["context"]>["cookies"]>>>();

export async function signInAs(page: Page, role: DemoRole) {
  const saved = sessionCookies.get(role);
  if (saved) {
    await page.context().addCookies(saved);
    await page.goto("/settings/profile");
    if (new URL(page.url()).pathname === "/settings/profile" && (await page.getByTestId("user-menu").isVisible())) return;
    await page.context().clearCookies();
  }
  const { email, password } = demoLogin(role);
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("user-menu")).toBeVisible();
  sessionCookies.set(role, (await page.context().cookies()).filter((c) => c.name === "hearth_session"));
}

/** Pages must not log errors in the browser console (a broken hydration, a CSP violation…). */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("console", (m) => {
        // Expected statuses, and the sandboxed mail preview refusing script (which is its purpose), are not faults.
        if (m.type() === "error" && !/status of (400|403|404|429)|frame is sandboxed and the 'allow-scripts'/.test(m.text())) errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(String(e)));
      await use(errors);
      expect(errors, "browser console errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

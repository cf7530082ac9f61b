import { test as base, expect, type Page } from "@playwright/test";
import { DEMO_LOGINS, DEMO_PASSWORD } from "../../db/seed";

type DemoRole = "admin" | "staff" | "moderator" | "member" | "member-ja";

export function demoLogin(role: DemoRole) {
  const login = role === "member-ja" ? DEMO_LOGINS.find((l) => l.locale === "ja") : DEMO_LOGINS.find((l) => l.role === role && l.locale === "en");
  if (!login) throw new Error(`no demo login for ${role}`);
  return { email: login.email, password: DEMO_PASSWORD };
}

export async function signInAs(page: Page, role: DemoRole) {
  const { email, password } = demoLogin(role);
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("user-menu")).toBeVisible();
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

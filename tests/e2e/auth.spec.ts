import path from "node:path";
import { demoLogin, expect, signInAs, test } from "./fixtures";

test("home page renders the main navigation and is kept as a screenshot", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome to the community");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const label of ["Knowledge base", "Questions", "Webinars", "Events", "Groups"]) {
    await expect(nav.getByRole("link", { name: label })).toBeVisible();
  }
  await expect(page.getByRole("search").first()).toBeVisible();
  await page.screenshot({ path: path.resolve("tests/artifacts/home.png"), fullPage: true });
});

test("a visitor signs up, signs in, switches to Japanese and back, and signs out", async ({ page }) => {
  const email = `e2e-${Date.now()}@example.test`;
  await page.goto("/signup");
  await page.getByLabel("Display name").fill("Playwright Person");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();

  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("user-menu")).toHaveText("Playwright Person");
  await expect(page.getByText("Please confirm your email address")).toBeVisible();

  await page.getByRole("button", { name: "Language: 日本語" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
  await expect(page.getByRole("navigation", { name: "メイン" }).getByRole("link", { name: "ナレッジベース" })).toBeVisible();
  // The choice is remembered on the profile, so it survives a new page load.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("コミュニティへようこそ");

  await page.getByRole("button", { name: "言語: English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(page.getByTestId("user-menu")).toHaveCount(0);
});

test("a wrong password shows a message beside the form and keeps the email", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("olivia.chen@northwind.example");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Email or password is incorrect.");
  await expect(page.getByLabel("Email")).toHaveValue("olivia.chen@northwind.example");
});

test("sign-up errors appear beside their fields", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#displayName-error")).toHaveText("This field is required.");
  await expect(page.locator("#email-error")).toHaveText("Enter a valid email address.");
  await expect(page.locator("#password-error")).toHaveText("Use at least 10 characters.");
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("sign-in and language switching still work", async ({ page }) => {
    await signInAs(page, "member");
    await page.goto("/");
    await expect(page.getByText("Signed in as")).toBeVisible();
    await page.getByRole("button", { name: "Language: 日本語" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "ja");
    await page.getByRole("button", { name: "言語: English" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
  });
});

test("a Japanese member sees the Japanese interface from their profile setting", async ({ page }) => {
  const { email, password } = demoLogin("member-ja");
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("コミュニティへようこそ");
});

test("customers cannot reach the staff area", async ({ page }) => {
  await signInAs(page, "member");
  const response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
});

test("unknown pages answer 404 with a friendly page", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("a cross-site POST is refused before it reaches the app", async ({ request, baseURL }) => {
  const refused = await request.post("/login", {
    form: { email: "olivia.chen@northwind.example", password: "hearth-demo" },
    headers: { Origin: "https://evil.example" },
  });
  expect(refused.status()).toBe(403);
  const noOrigin = await request.post("/logout", { headers: { Origin: "" } });
  expect([403]).toContain(noOrigin.status());
  const ours = await request.post("/login", { form: { email: "x", password: "" }, headers: { Origin: baseURL! } });
  expect(ours.status()).toBe(400);
});

test("responses carry the security headers and a session cookie is HttpOnly and SameSite=Lax", async ({ page }) => {
  const response = await page.goto("/");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  await signInAs(page, "member");
  const cookie = (await page.context().cookies()).find((c) => c.name === "hearth_session");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });
});

test("the skip link moves keyboard users to the content", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
});

test("/healthz reports the database", async ({ request }) => {
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ ok: true, database: "up" });
});

import { expect, signInAs, test } from "./fixtures";

test("a staff user edits a customer account and adds a domain", async ({ page }) => {
  await signInAs(page, "staff");
  await page.getByRole("link", { name: "Staff area" }).click();
  await page.getByRole("navigation", { name: "Staff area sections" }).getByRole("link", { name: "Accounts" }).click();
  await page.getByRole("table").getByRole("link", { name: "Northwind Traders" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Northwind Traders");

  await page.getByLabel("Licensed seats").fill("321");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Account saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Licensed seats")).toHaveValue("321");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Northwind Traders");

  // A bad domain is refused beside the field, and what was typed stays.
  await page.getByLabel("Domain", { exact: true }).fill("not a domain");
  await page.getByRole("button", { name: "Add domain" }).click();
  await expect(page.getByText("Enter a domain such as example.com.")).toBeVisible();
  await expect(page.getByLabel("Domain", { exact: true })).toHaveValue("not a domain");

  const domain = `e2e-${Date.now()}.example`;
  await page.getByLabel("Domain", { exact: true }).fill(domain);
  await page.getByRole("button", { name: "Add domain" }).click();
  await expect(page.getByText("Domain added.")).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: domain })).toBeVisible();
});

test("staff read stored mail, such as the verification link sent at sign-up", async ({ page, browser }) => {
  const email = `mailcheck-${Date.now()}@example.test`;
  const visitor = await browser.newPage();
  await visitor.goto("/signup");
  await visitor.getByLabel("Display name").fill("Mail Check");
  await visitor.getByLabel("Email").fill(email);
  await visitor.getByLabel("Password").fill("a long enough password");
  await visitor.getByRole("button", { name: "Create account" }).click();
  await expect(visitor.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await visitor.close();

  await signInAs(page, "staff");
  // The in-process worker turns the queued job into a stored message within a second or two.
  await expect(async () => {
    await page.goto("/admin/mail");
    await expect(page.getByRole("cell", { name: email })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await page.getByRole("row", { name: new RegExp(email) }).getByRole("link").first().click();
  const body = await page.locator("pre.mail").textContent();
  const link = body!.match(/https?:\/\/\S+\/verify-email\?token=\S+/)?.[0];
  expect(link).toBeTruthy();

  // Following the link confirms the address.
  await page.goto(new URL(link!).pathname + new URL(link!).search);
  await expect(page.getByText("Thanks, your email address is confirmed.")).toBeVisible();
});

test("the admin overview and job queue render for an admin", async ({ page }) => {
  await signInAs(page, "admin");
  await page.goto("/admin");
  await expect(page.getByRole("navigation", { name: "Staff area sections" })).toBeVisible();
  const jobs = await page.goto("/admin/jobs");
  expect(jobs?.status()).toBe(200);
  const malformed = await page.goto("/admin/accounts/not-a-number");
  expect(malformed?.status()).toBe(404);
});

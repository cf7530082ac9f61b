import { expect, signInAs, test } from "./fixtures";

const SSO = "/kb/integrations/set-up-single-sign-on";
const STAFF_ONLY = "/kb/integrations/integration-escalation-playbook";

test("an anonymous reader browses to an article, follows the contents and says it did not help", async ({ page }) => {
  await page.goto("/kb");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Knowledge base");
  await expect(page.getByRole("link", { name: "Integrations" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Escalation playbook for integration incidents" })).toHaveCount(0);
  await page.getByRole("link", { name: "Set up single sign-on (SAML)" }).first().click();
  await expect(page).toHaveURL(SSO);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Set up single sign-on (SAML)");
  const breadcrumbs = page.getByRole("navigation", { name: "Breadcrumbs" });
  await expect(breadcrumbs.getByRole("link")).toHaveText(["Home", "Knowledge base", "Integrations"]);

  const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? "{}") as Record<string, unknown>;
  expect(jsonLd).toMatchObject({ "@type": "Article", headline: "Set up single sign-on (SAML)", inLanguage: "en", publisher: { name: "Hearth" } });
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", /\/kb\/integrations\/set-up-single-sign-on$/);
  await expect(page.locator('link[rel="alternate"][hreflang="ja"]')).toHaveCount(1);

  await page.getByRole("navigation", { name: "On this page" }).getByRole("link", { name: "Before you start" }).click();
  await expect(page).toHaveURL(`${SSO}#before-you-start`);
  await expect(page.locator("#before-you-start")).toBeInViewport();

  await page.getByText("No", { exact: true }).click();
  await page.getByLabel("It is hard to understand").check();
  await page.getByLabel("Anything else? (optional)").fill("Which Okta plan do I need?");
  await page.getByRole("button", { name: "Send feedback" }).click();
  await expect(page.getByText("Thanks for telling us.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Ask the community" })).toHaveAttribute("href", /\/questions\/ask\?articleId=\d+&title=/);
});

test("a staff-only article is not found for a member and readable by staff", async ({ browser }) => {
  const memberPage = await (await browser.newContext()).newPage();
  await signInAs(memberPage, "member");
  const forMember = await memberPage.goto(STAFF_ONLY);
  expect(forMember?.status()).toBe(404);

  const staffPage = await (await browser.newContext()).newPage();
  await signInAs(staffPage, "staff");
  const forStaff = await staffPage.goto(STAFF_ONLY);
  expect(forStaff?.status()).toBe(200);
  await expect(staffPage.getByRole("heading", { level: 1 })).toHaveText("Escalation playbook for integration incidents");
});

test("in Japanese the English article offers its Japanese version", async ({ page }) => {
  await page.goto(SSO);
  await page.getByRole("button", { name: "Language: 日本語" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
  const link = page.getByRole("link", { name: "日本語版もあります" });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("シングルサインオン (SAML) を設定する");
  await expect(page.getByRole("link", { name: "英語版もあります" })).toBeVisible();
});

test("the sitemap and the Atom feed are XML listing public articles only", async ({ page, request }) => {
  for (const path of ["/sitemap.xml", "/kb/feed.xml"]) {
    const response = await request.get(path);
    expect(response.status()).toBe(200);
    const text = await response.text();
    expect(text).toContain("/kb/integrations/set-up-single-sign-on");
    expect(text).not.toContain("integration-escalation-playbook");
    expect(text).not.toContain("download-invoices");
    // Parsed by the browser's XML parser: a malformed document yields a <parsererror>.
    await page.goto("/kb");
    const errors = await page.evaluate(
      ([xml, type]) => new DOMParser().parseFromString(xml!, type as DOMParserSupportedType).getElementsByTagName("parsererror").length,
      [text, "application/xml"],
    );
    expect(errors, `${path} is well-formed`).toBe(0);
  }
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("a signed-in member says an article was not helpful, and the answer is remembered", async ({ page }) => {
    await signInAs(page, "member");
    await page.goto("/kb/billing/plans-and-seats");
    await page.getByText("No", { exact: true }).click();
    await page.getByLabel("It is out of date").check();
    await page.getByRole("button", { name: "Send feedback" }).click();
    await expect(page.getByText("Thanks for telling us.")).toBeVisible();
    await page.goto("/kb/billing/plans-and-seats");
    await expect(page.getByText("Thanks for telling us.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Send feedback" })).toHaveCount(0);
  });
});

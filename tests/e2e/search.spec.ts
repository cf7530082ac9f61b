import type { Page } from "@playwright/test";
import { expect, signInAs, test } from "./fixtures";

// Search on the demo data. The demo is indexed by the in-process indexer right after boot, so the first
// search waits (bounded) until the index has caught up.

const SSO_ARTICLE = "/kb/integrations/set-up-single-sign-on";
const screenshots = process.env.SEARCH_SCREENSHOTS;

async function waitForIndex(page: Page, q: string) {
  await expect
    .poll(
      async () => {
        await page.goto(`/search?q=${encodeURIComponent(q)}`);
        return page.locator(".search-result").count();
      },
      { timeout: 30_000, intervals: [500, 1000, 2000] },
    )
    .toBeGreaterThan(0);
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the header box searches; results are labelled, highlighted, filterable, and open through the click route", async ({ page }) => {
    await waitForIndex(page, "single sign-on");
    await page.goto("/kb");
    await page.getByRole("search").first().getByLabel("Search the community").fill("single sign-on");
    await page.getByRole("search").first().getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/\/search\?q=single\+sign-on$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Results for “single sign-on”");
    await expect(page.getByRole("status").filter({ hasText: /\d+ results?/ })).toBeVisible();

    const results = page.locator(".search-result");
    const article = results.filter({ hasText: "Set up single sign-on (SAML)" }).first();
    await expect(article.locator(".search-type")).toHaveText("Article");
    await expect(article.locator("mark").first()).toBeVisible();
    await expect(results.filter({ hasText: "which SAML attributes are required?" }).locator(".search-type")).toHaveText("Question");
    // The staff-only playbook is not shown to an anonymous reader.
    await expect(page.getByText("Escalation playbook for integration incidents")).toHaveCount(0);

    const filters = page.getByRole("navigation", { name: "Refine results" });
    await filters.getByRole("link", { name: /^Question \(\d+\)$/ }).click();
    await expect(page).toHaveURL(/type=question/);
    await expect(page.locator(".search-result .search-type")).not.toHaveText(["Article"]);
    for (const label of await page.locator(".search-result .search-type").allTextContents()) expect(label).toBe("Question");
    await page.getByRole("link", { name: "Clear filters" }).first().click();

    if (screenshots) await page.screenshot({ path: `${screenshots}/search.png`, fullPage: true });
    await page.locator(".search-result").filter({ hasText: "Set up single sign-on (SAML)" }).first().getByRole("link").click();
    await expect(page).toHaveURL(SSO_ARTICLE);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Set up single sign-on (SAML)");
  });

  test("no results suggest asking the community with the query as the title, and the knowledge base", async ({ page }) => {
    await page.goto("/search?q=flux+capacitor+warranty");
    await expect(page.getByRole("heading", { name: "No results for “flux capacitor warranty”" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Ask the community" })).toHaveAttribute("href", "/questions/ask?title=flux+capacitor+warranty");
    await expect(page.getByRole("link", { name: "Browse the knowledge base" })).toHaveAttribute("href", "/kb");
  });

  test("nonsense parameters fall back instead of failing", async ({ page }) => {
    const response = await page.goto("/search?q=sso&page=abc&type=%3Cscript%3E&tag=");
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Results for “sso”");
    // The click route never redirects anywhere but our own items.
    await page.goto("/search/go?k=https%3A%2F%2Fevil.example%2F&p=1");
    expect(new URL(page.url()).pathname).toBe("/search");
    await page.goto("/search/go?k=article%3A999999&p=1&q=sso&src=instant&n=1");
    expect(page.url()).toMatch(/\/search\?q=sso$/);
  });

  test("the synonym group finds single sign-on for SSO and シングルサインオン", async ({ page }) => {
    await waitForIndex(page, "single sign-on");
    await page.goto("/search?q=sso");
    await expect(page.locator(".search-result").filter({ hasText: "Set up single sign-on (SAML)" })).not.toHaveCount(0);
    await page.goto(`/search?q=${encodeURIComponent("シングルサインオン")}`);
    await expect(page.locator(".search-result").filter({ hasText: "Set up single sign-on (SAML)" })).not.toHaveCount(0);
  });
});

test("as you type, the header box lists results; arrows choose, Enter opens, Escape closes", async ({ page }) => {
  await waitForIndex(page, "webhooks");
  await page.goto("/");
  const box = page.getByRole("combobox", { name: "Search the community" });
  await box.click();
  await box.pressSequentially("webho", { delay: 30 });
  const list = page.getByRole("listbox", { name: "Suggestions" });
  await expect(list).toBeVisible();
  await expect(box).toHaveAttribute("aria-expanded", "true");
  await expect(list.getByRole("option").first()).toContainText(/webhook/i);
  await expect(list.getByRole("option").last()).toHaveText("See all results for “webho”");

  await box.press("Escape");
  await expect(list).toBeHidden();
  await expect(box).toHaveAttribute("aria-expanded", "false");

  await box.press("ArrowDown");
  await expect(list).toBeVisible();
  const first = list.getByRole("option").first();
  await expect(first).toHaveAttribute("aria-selected", "true");
  await expect(box).toHaveAttribute("aria-activedescendant", (await first.getAttribute("id"))!);
  const title = (await first.locator("span").last().textContent())!.trim();
  await box.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
});

test("Enter with nothing chosen goes to the results page", async ({ page }) => {
  await page.goto("/questions");
  const box = page.getByRole("combobox", { name: "Search the community" });
  await box.fill("invoice");
  await box.press("Enter");
  await expect(page).toHaveURL(/\/search\?q=invoice$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Results for “invoice”");
});

test("the ask page shows similar questions and articles while the member types a title", async ({ page }) => {
  await waitForIndex(page, "csv export");
  await signInAs(page, "member");
  await page.goto("/questions/ask");
  await page.getByLabel("Title").pressSequentially("CSV export garbled characters", { delay: 20 });
  const panel = page.getByTestId("similar-questions");
  await expect(panel.getByRole("heading", { name: "Similar questions and articles" })).toBeVisible();
  const link = panel.getByRole("link").filter({ hasText: "CSV export shows garbled Japanese characters in Excel" });
  await expect(link).toHaveAttribute("target", "_blank");
  await expect(link).toHaveAttribute("href", /^\/search\/go\?k=question%3A\d+&p=\d+&src=ask&/);
  const [opened] = await Promise.all([page.context().waitForEvent("page"), link.click()]);
  await opened.waitForLoadState();
  expect(new URL(opened.url()).pathname).toMatch(/^\/questions\/\d+\//);
  await opened.close();
});

test("staff read the analytics by period; members cannot", async ({ browser }) => {
  // A search with no results, so the content-gap list has something in it.
  const anonymous = await (await browser.newContext()).newPage();
  await anonymous.goto("/search?q=quantum+entanglement+billing");

  const member = await (await browser.newContext()).newPage();
  await signInAs(member, "member");
  const refused = await member.goto("/admin/search");
  expect(refused?.status()).toBe(403);

  const page = await (await browser.newContext()).newPage();
  await signInAs(page, "staff");
  await page.goto("/admin");
  await page.getByRole("navigation", { name: "Staff area sections" }).getByRole("link", { name: "Search" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Search analytics");
  await expect(page.getByTestId("list-zero")).toContainText("quantum entanglement billing");
  await page.getByLabel("Period").selectOption("7");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/days=7/);
  await expect(page.getByTestId("stat-searches").locator("dd")).not.toHaveText("0");
  if (screenshots) await page.screenshot({ path: `${screenshots}/admin-search.png`, fullPage: true });
});

test("staff add, edit and delete a synonym group, with field errors", async ({ page }) => {
  await signInAs(page, "staff");
  await page.goto("/admin/search");
  await page.getByRole("navigation", { name: "Search pages" }).getByRole("link", { name: "Synonyms" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Search synonyms");
  await expect(page.getByTestId("synonym-group").first()).toContainText("シングルサインオン");
  const terms = page.getByLabel("Terms");
  await terms.fill("invoice");
  await page.getByRole("button", { name: "Add group" }).click();
  await expect(page.getByText("Enter at least two different terms, separated by commas.")).toBeVisible();
  await page.getByLabel("Terms").fill("Invoice, bill, 請求書");
  await page.getByRole("button", { name: "Add group" }).click();
  await expect(page.getByText("Synonym group added.")).toBeVisible();
  const group = page.getByTestId("synonym-group").filter({ hasText: "請求書" });
  await expect(group).toContainText("invoice");
  await group.getByRole("link", { name: /^Edit the group/ }).click();
  // Until the edit form is there, "Terms" is the add form's field.
  await expect(page).toHaveURL(/[?&]edit=\d+/);
  const editForm = page.getByRole("region", { name: "Edit group" });
  await expect(editForm.getByLabel("Terms")).toHaveValue(/請求書/);
  await editForm.getByLabel("Terms").fill("invoice, bill, receipt");
  await editForm.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Synonym group saved.")).toBeVisible();
  const edited = page.getByTestId("synonym-group").filter({ hasText: "receipt" });
  await expect(edited).toContainText("Priya");
  await edited.getByRole("button", { name: /^Delete the group/ }).click();
  await expect(page.getByText("Synonym group deleted.")).toBeVisible();
  await expect(page.getByTestId("synonym-group").filter({ hasText: "receipt" })).toHaveCount(0);
});

import type { Browser, Page } from "@playwright/test";
import { expect, signInAs, test } from "./fixtures";

/**
 * Staff knowledge-base workflows checked from the reader's side: each test changes something in the staff
 * area and then looks at the public site the way an anonymous visitor would (a separate browser context
 * with no session, so staff privileges cannot make a hidden article look public).
 * Every test makes its own collection and articles, so it does not depend on demo content or on order.
 */

/** A collection of our own, so the test knows the public URL. */
async function createCollection(page: Page, slug: string) {
  await page.goto("/admin/kb/collections");
  await page.getByLabel("URL slug").fill(slug);
  await page.getByLabel("Name (English)").fill(`E2E ${slug}`);
  await page.getByLabel("Name (Japanese)").fill(`E2E ${slug} 日本語`);
  await page.getByRole("button", { name: "Create collection" }).click();
  await expect(page.getByText("Collection created.")).toBeVisible();
}

/** Creates a draft through the editor and returns the editor's URL. */
async function createDraft(page: Page, input: { collection: string; title: string; slug: string; body: string }) {
  await page.goto("/admin/kb/new");
  await page.getByLabel("Title").fill(input.title);
  await page.getByLabel("URL slug").fill(input.slug);
  await page.getByLabel("Collection").selectOption({ label: `E2E ${input.collection}` });
  await page.getByLabel("Body (markdown)").fill(input.body);
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page.getByText("Draft created.")).toBeVisible();
  return page.url().replace(/\?.*$/, "");
}

async function publishFromEditor(page: Page, editorUrl: string) {
  await page.goto(editorUrl);
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByText("Article published.")).toBeVisible();
  await expect(page.getByText("Status: Published")).toBeVisible();
}

/** A page in a fresh context: no cookies, so it sees what the public sees. */
async function anonymousPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

/** `YYYY-MM-DDTHH:MM`, what a datetime-local input takes, `days` from now (far enough that time zones do not matter). */
function daysFromNowForInput(days: number): string {
  const at = new Date(Date.now() + days * 24 * 60 * 60 * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T09:00`;
}

test("moving an article up on the collections screen changes its place on the public collection page", async ({ page, browser }) => {
  const stamp = Date.now();
  const collection = `e2e-order-${stamp}`;
  const titles = [`Alpha ${stamp}`, `Bravo ${stamp}`, `Charlie ${stamp}`];
  await signInAs(page, "staff");
  await createCollection(page, collection);
  for (const [index, title] of titles.entries()) {
    const editorUrl = await createDraft(page, { collection, title, slug: `order-${index}-${stamp}`, body: `Article ${index}.` });
    await publishFromEditor(page, editorUrl);
  }

  const reader = await anonymousPage(browser);
  const publicLinks = reader.locator("ul.kb-list").getByRole("link");
  await reader.goto(`/kb/${collection}`);
  // New articles go to the end of their collection.
  await expect(publicLinks).toHaveText(titles);

  await page.goto("/admin/kb/collections");
  await page.getByRole("link", { name: `E2E ${collection}` }).click();
  await expect(page.getByRole("heading", { name: `Article order in “E2E ${collection}”` })).toBeVisible();
  await page.getByRole("button", { name: `Move “${titles[2]}” up` }).click();
  await expect(page.getByText("Order saved.")).toBeVisible();

  await reader.goto(`/kb/${collection}`);
  await expect(publicLinks).toHaveText([titles[0]!, titles[2]!, titles[1]!]);
  await reader.context().close();
});

test("a draft scheduled for next week is listed as scheduled for staff and is not found by the public yet", async ({ page, browser }) => {
  const stamp = Date.now();
  const collection = `e2e-schedule-${stamp}`;
  const slug = `launch-notes-${stamp}`;
  const title = `Launch notes ${stamp}`;
  await signInAs(page, "staff");
  await createCollection(page, collection);
  await createDraft(page, { collection, title, slug, body: "## What is new\n\nEverything." });

  await page.getByLabel("Publish at").fill(daysFromNowForInput(7));
  await page.getByRole("button", { name: "Schedule", exact: true }).click();
  await expect(page.getByText("Publication scheduled.")).toBeVisible();
  await expect(page.getByText("Status: Scheduled")).toBeVisible();
  await expect(page.getByText(/^Scheduled for /)).toBeVisible();

  await page.goto(`/admin/kb?q=${slug}`);
  const row = page.getByRole("row").filter({ hasText: title });
  await expect(row).toHaveCount(1);
  await expect(row.getByText("Scheduled", { exact: true })).toBeVisible();

  const reader = await anonymousPage(browser);
  const response = await reader.goto(`/kb/${collection}/${slug}`);
  expect(response?.status()).toBe(404);
  await reader.goto(`/kb/${collection}`);
  await expect(reader.getByRole("link", { name: title })).toHaveCount(0);
  await reader.context().close();
});

test("restoring an old revision from the history page puts the old text back on the public article", async ({ page, browser }) => {
  const stamp = Date.now();
  const collection = `e2e-restore-${stamp}`;
  const slug = `invoices-${stamp}`;
  await signInAs(page, "staff");
  await createCollection(page, collection);
  const editorUrl = await createDraft(page, { collection, title: `Invoices ${stamp}`, slug, body: "Invoices are sent by post on the first day of the month." });
  await publishFromEditor(page, editorUrl);

  await page.getByLabel("Body (markdown)").fill("Invoices are emailed to the billing contact.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Draft saved.")).toBeVisible();
  await expect(page.getByText("Revision 2")).toBeVisible();

  const reader = await anonymousPage(browser);
  const publicUrl = `/kb/${collection}/${slug}`;
  await reader.goto(publicUrl);
  await expect(reader.getByText("Invoices are emailed to the billing contact.")).toBeVisible();
  await expect(reader.getByText("sent by post")).toHaveCount(0);

  await page.getByRole("link", { name: "History" }).click();
  await page.getByRole("button", { name: "Restore revision 1 as a new revision" }).click();
  await expect(page.getByText("Revision restored as a new revision.")).toBeVisible();

  await reader.goto(publicUrl);
  await expect(reader.getByText("Invoices are sent by post on the first day of the month.")).toBeVisible();
  await expect(reader.getByText("emailed to the billing contact")).toHaveCount(0);
  await reader.context().close();

  // The restore is a new revision on top; nothing was rewritten.
  await page.goto(editorUrl);
  await expect(page.getByText("Revision 3")).toBeVisible();
});

test("changing a published article's slug answers the old URL with a 301 to the new one, which shows the article", async ({ page, browser }) => {
  const stamp = Date.now();
  const collection = `e2e-slug-${stamp}`;
  const oldSlug = `old-name-${stamp}`;
  const newSlug = `new-name-${stamp}`;
  const title = `Exporting reports ${stamp}`;
  await signInAs(page, "staff");
  await createCollection(page, collection);
  const editorUrl = await createDraft(page, { collection, title, slug: oldSlug, body: "Open **Reports** and choose Export." });
  await publishFromEditor(page, editorUrl);

  await page.getByLabel("URL slug").fill(newSlug);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Draft saved.")).toBeVisible();
  await expect(page.getByLabel("URL slug")).toHaveValue(newSlug);

  const oldUrl = `/kb/${collection}/${oldSlug}`;
  const newUrl = `/kb/${collection}/${newSlug}`;
  const redirect = await page.request.get(oldUrl, { maxRedirects: 0 });
  expect(redirect.status()).toBe(301);
  expect(new URL(redirect.headers()["location"] ?? "", "http://x").pathname).toBe(newUrl);

  const reader = await anonymousPage(browser);
  const response = await reader.goto(oldUrl);
  expect(response?.status()).toBe(200);
  expect(new URL(reader.url()).pathname).toBe(newUrl);
  await expect(reader.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(reader.getByText("choose Export")).toBeVisible();
  await reader.context().close();
});

test("callout titles are written in the article's language", async ({ page }) => {
  // Demo articles are created through the same commands as the editor's, so this is what staff get too.
  await page.goto("/kb/getting-started/welcome-to-hearth-ja");
  await expect(page.locator(".callout-tip .callout-title")).toHaveText("ヒント");
  await page.goto("/kb/getting-started/welcome-to-hearth");
  await expect(page.locator(".callout-tip .callout-title")).toHaveText("Tip");
});

test("the Atom feed names itself in English and Japanese and marks each entry's language", async ({ request }) => {
  const response = await request.get("/kb/feed.xml");
  expect(response.status()).toBe(200);
  const xml = await response.text();
  const feedHead = xml.slice(0, xml.indexOf("<entry"));
  expect(feedHead).toContain("<title>Hearth knowledge base / Hearth ナレッジベース</title>");
  expect(feedHead).toContain("<subtitle>New and updated articles / 新着記事と更新された記事</subtitle>");
  expect(xml).toMatch(/<entry xml:lang="en">/);
  expect(xml).toMatch(/<entry xml:lang="ja">/);
});

import type { Page } from "@playwright/test";
import { expect, signInAs, test } from "./fixtures";

/** A collection with one published article tagged `tags`, made through the staff screens. */
async function publishTaggedArticle(page: Page, input: { collection: string; slug: string; title: string; tags: string }) {
  await page.goto("/admin/kb/collections");
  await page.getByLabel("URL slug").fill(input.collection);
  await page.getByLabel("Name (English)").fill(`E2E ${input.collection}`);
  await page.getByLabel("Name (Japanese)").fill(`E2E ${input.collection} 日本語`);
  await page.getByRole("button", { name: "Create collection" }).click();
  await expect(page.getByText("Collection created.")).toBeVisible();

  await page.goto("/admin/kb/new");
  await page.getByLabel("Title").fill(input.title);
  await page.getByLabel("URL slug").fill(input.slug);
  await page.getByLabel("Collection").selectOption({ label: `E2E ${input.collection}` });
  await page.getByLabel("Tags").fill(input.tags);
  await page.getByLabel("Body (markdown)").fill("## Steps\n\nOpen the settings.\n");
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page.getByText("Draft created.")).toBeVisible();
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByText("Article published.")).toBeVisible();
}

test("staff rename a tag and readers see the new name on the article; a taken name is refused", async ({ page }) => {
  const stamp = Date.now();
  const collection = `e2e-tags-${stamp}`;
  const slug = `tagged-${stamp}`;
  await signInAs(page, "staff");
  await publishTaggedArticle(page, {
    collection,
    slug,
    title: `Tagged article ${stamp}`,
    tags: `sso ${stamp}, saml ${stamp}`,
  });

  await page.goto("/admin/kb");
  await page.getByRole("navigation", { name: "Knowledge base sections" }).getByRole("link", { name: "Tags" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tags" })).toBeVisible();
  await expect(
    page
      .getByRole("row")
      .filter({ hasText: `sso ${stamp}` })
      .getByRole("cell", { name: "1", exact: true })
  ).toBeVisible();

  // Renaming onto another tag's name is refused beside the field, and the merge form offers that tag.
  await page.getByRole("link", { name: `Edit “sso ${stamp}”` }).click();
  await page.getByLabel("Name", { exact: true }).fill(`SAML ${stamp}`);
  await page.getByRole("button", { name: "Rename tag" }).click();
  await expect(page.locator("#name-error")).toHaveText("Another tag already has this name. To combine the two, merge this tag into it below.");
  await expect(page.getByLabel("Merge into", { exact: true })).toHaveValue(/\d+/);
  await expect(page.getByLabel("Merge into", { exact: true }).locator("option:checked")).toHaveText(`saml ${stamp} (1)`);

  await page.getByLabel("Name", { exact: true }).fill(`Single sign-on ${stamp}`);
  await page.getByRole("button", { name: "Rename tag" }).click();
  await expect(page.getByText("Tag renamed.")).toBeVisible();
  await expect(page.getByRole("rowheader", { name: `Single sign-on ${stamp}` })).toBeVisible();

  await page.goto(`/kb/${collection}/${slug}`);
  const tags = page.getByRole("list", { name: "Tags" });
  await expect(tags.getByText(`Single sign-on ${stamp}`)).toBeVisible();
  await expect(tags.getByText(`sso ${stamp}`, { exact: true })).toHaveCount(0);
});

test("staff edit a collection without JavaScript; its new name shows and old article URLs redirect", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const stamp = Date.now();
  const collection = `e2e-edit-${stamp}`;
  const slug = `in-collection-${stamp}`;
  await signInAs(page, "staff");
  await publishTaggedArticle(page, {
    collection,
    slug,
    title: `Collected article ${stamp}`,
    tags: "",
  });

  await page.goto("/admin/kb/collections");
  await page.getByRole("link", { name: `E2E ${collection}`, exact: true }).click();
  await expect(page.getByRole("heading", { name: `Edit “E2E ${collection}”` })).toBeVisible();
  await expect(page.getByLabel("Name (English)")).toHaveValue(`E2E ${collection}`);

  // A bad slug is refused beside the field and keeps what was typed.
  await page.getByLabel("Name (English)").fill(`Renamed ${stamp}`);
  await page.getByLabel("URL slug").fill("Not a slug");
  await page.getByRole("button", { name: "Save collection" }).click();
  await expect(page.locator("#slug-error")).toHaveText("Use lower-case letters, digits and single hyphens, like getting-started.");
  await expect(page.getByLabel("Name (English)")).toHaveValue(`Renamed ${stamp}`);

  const renamed = `${collection}-new`;
  await page.getByLabel("URL slug").fill(renamed);
  await page.getByRole("button", { name: "Save collection" }).click();
  await expect(page.getByText("Collection saved.")).toBeVisible();
  await expect(page.getByRole("rowheader", { name: `Renamed ${stamp}` })).toBeVisible();

  const response = await page.goto(`/kb/${collection}/${slug}`);
  expect(response?.status()).toBe(200);
  expect(new URL(page.url()).pathname).toBe(`/kb/${renamed}/${slug}`);
  await expect(page.getByRole("heading", { level: 1, name: `Collected article ${stamp}` })).toBeVisible();
  await expect(page.getByRole("link", { name: `Renamed ${stamp}` }).first()).toBeVisible();
  await context.close();
});

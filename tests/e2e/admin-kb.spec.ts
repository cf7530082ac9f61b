import type { Page } from "@playwright/test";
import { expect, signInAs, test } from "./fixtures";

// Set ADMIN_KB_SHOTS=<dir> to also save screenshots of the editor (preview, conflict) in English and Japanese.
const shotsDir = process.env.ADMIN_KB_SHOTS;

/** A collection of our own, so the test knows the public URL and does not depend on demo content. */
async function createCollection(page: Page, slug: string) {
  await page.goto("/admin/kb/collections");
  await page.getByLabel("URL slug").fill(slug);
  await page.getByLabel("Name (English)").fill(`E2E ${slug}`);
  await page.getByLabel("Name (Japanese)").fill(`E2E ${slug} 日本語`);
  await page.getByRole("button", { name: "Create collection" }).click();
  await expect(page.getByText("Collection created.")).toBeVisible();
}

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

test("staff write an article in markdown, preview it, save a draft, publish it and read it on the site", async ({ page }) => {
  const stamp = Date.now();
  const collection = `e2e-col-${stamp}`;
  const slug = `e2e-article-${stamp}`;
  const title = `Connecting single sign-on ${stamp}`;
  await signInAs(page, "staff");
  await page.getByRole("link", { name: "Staff area" }).click();
  await page.getByRole("navigation", { name: "Staff area sections" }).getByRole("link", { name: "Knowledge base" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Knowledge base" })).toBeVisible();
  await createCollection(page, collection);

  await page.goto("/admin/kb/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("URL slug").fill(slug);
  await page.getByLabel("Collection").selectOption({ label: `E2E ${collection}` });
  await page.getByLabel("Summary").fill("How to connect your identity provider.");
  await page.getByLabel("Body (markdown)").fill("## Before you start\n\nYou need an **admin** account.\n\n- Open settings\n- Choose SSO\n");
  await page.getByRole("button", { name: "Preview" }).click();
  const preview = page.locator(".kb-preview");
  await expect(preview.getByRole("heading", { level: 2, name: "Before you start" })).toBeVisible();
  // Previewing keeps everything that was typed.
  await expect(page.getByLabel("Title")).toHaveValue(title);
  await expect(page.getByLabel("Body (markdown)")).toHaveValue(/You need an \*\*admin\*\* account/);

  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page.getByText("Draft created.")).toBeVisible();
  await expect(page.getByText("Status: Draft")).toBeVisible();

  await page.getByLabel("Body (markdown)").fill("## Before you start\n\nYou need an **admin** account.\n\n## Steps\n\n1. Open settings\n");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Draft saved.")).toBeVisible();
  await expect(page.getByText("Revision 2")).toBeVisible();

  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByText("Article published.")).toBeVisible();
  await expect(page.getByText("Status: Published")).toBeVisible();

  const response = await page.goto(`/kb/${collection}/${slug}`);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Steps" })).toBeVisible();

  // The staff list shows it as published.
  await page.goto(`/admin/kb?q=${slug}`);
  const row = page.getByRole("row").filter({ hasText: title });
  await expect(row.getByText("Published")).toBeVisible();

  // History: two revisions, a readable diff between them.
  await page.goto(page.url().replace(/\/admin\/kb.*/, "/admin/kb"));
  await row.getByRole("link", { name: title }).click();
  await page.getByRole("link", { name: "History" }).click();
  await expect(page.getByRole("heading", { name: "Changes from revision 1 to revision 2" })).toBeVisible();
  await expect(page.locator(".kb-diff-added").filter({ hasText: "## Steps" })).toBeVisible();
});

test("a save based on an old revision is refused with the diff, keeps the typed text and overwrites nothing", async ({ page, context }) => {
  const stamp = Date.now();
  const collection = `e2e-conflict-${stamp}`;
  await signInAs(page, "staff");
  await createCollection(page, collection);
  const editorUrl = await createDraft(page, { collection, title: `Billing FAQ ${stamp}`, slug: `billing-faq-${stamp}`, body: "# Billing\n\nInvoices are sent monthly.\n" });

  // A second tab of the same editor, opened before the first one saves.
  const other = await context.newPage();
  const otherErrors: string[] = [];
  // The refused save answers 409 Conflict, which the browser logs; anything else is a fault.
  other.on("console", (m) => {
    if (m.type() === "error" && !/status of 409/.test(m.text())) otherErrors.push(m.text());
  });
  other.on("pageerror", (e) => otherErrors.push(String(e)));
  await other.goto(editorUrl);

  await page.goto(editorUrl);
  await page.getByLabel("Body (markdown)").fill("# Billing\n\nInvoices are sent on the first day of each month.\n");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Draft saved.")).toBeVisible();

  const mine = "# Billing\n\nInvoices are sent monthly by email.\n";
  await other.getByLabel("Body (markdown)").fill(mine);
  await other.getByRole("button", { name: "Save draft" }).click();
  await expect(other.getByRole("heading", { name: "Someone else saved this article" })).toBeVisible();
  await expect(other.getByText("Someone else saved this article while you were editing it.")).toBeVisible();
  const theirs = other.getByRole("region", { name: "Their changes (revision 1 → 2)" });
  await expect(theirs.locator(".kb-diff-added")).toContainText("first day of each month");
  await expect(theirs.locator(".kb-diff-added .kb-diff-sign")).toHaveText("+");
  const yours = other.getByRole("region", { name: "Your text compared with the current revision" });
  await expect(yours.locator(".kb-diff-removed")).toContainText("first day of each month");
  await expect(yours.locator(".kb-diff-removed .kb-diff-sign")).toHaveText("−");
  await expect(yours.locator(".kb-diff-added")).toContainText("monthly by email");
  await expect(other.getByLabel("Body (markdown)")).toHaveValue(mine);
  if (shotsDir) await other.screenshot({ path: `${shotsDir}/conflict-en.png`, fullPage: true });

  // The first save is intact.
  await page.reload();
  await expect(page.getByLabel("Body (markdown)")).toHaveValue(/first day of each month/);
  await expect(page.getByText("Revision 2")).toBeVisible();
  expect(otherErrors).toEqual([]);
  await other.close();
});

test("a body over the size limit is refused beside the body field, keeping the text", async ({ page }) => {
  await signInAs(page, "staff");
  await page.goto("/admin/kb/new");
  await page.getByLabel("Title").fill("Too long");
  await page.getByLabel("Body (markdown)").fill("a".repeat(100_001));
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.locator("#bodyMd-error")).toHaveText("The article is longer than 100,000 characters. Split it into several articles.");
  await expect(page.getByLabel("Body (markdown)")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Title")).toHaveValue("Too long");
});

test("preview works without JavaScript and keeps what was typed", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAs(page, "staff");
  await page.goto("/admin/kb/new");
  await page.getByLabel("Title").fill("No script");
  await page.getByLabel("Body (markdown)").fill("## Rendered on the server\n\nHello.");
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.locator(".kb-preview").getByRole("heading", { level: 2, name: "Rendered on the server" })).toBeVisible();
  await expect(page.getByLabel("Title")).toHaveValue("No script");
  await expect(page.getByLabel("Body (markdown)")).toHaveValue("## Rendered on the server\n\nHello.");
  await context.close();
});

test("members cannot open the knowledge-base staff area", async ({ page }) => {
  await signInAs(page, "member");
  const response = await page.goto("/admin/kb");
  expect(response?.status()).toBe(403);
  const editor = await page.goto("/admin/kb/new");
  expect(editor?.status()).toBe(403);
});

test("staff get 404 for a malformed or unknown article id", async ({ page }) => {
  await signInAs(page, "staff");
  expect((await page.goto("/admin/kb/abc"))?.status()).toBe(404);
  expect((await page.goto("/admin/kb/99999999999"))?.status()).toBe(404);
  expect((await page.goto("/admin/kb/2147483000"))?.status()).toBe(404);
});

test("screenshots of the editor with a preview, in English and Japanese", async ({ page, context }) => {
  test.skip(!shotsDir, "set ADMIN_KB_SHOTS to a directory to take screenshots");
  const stamp = Date.now();
  const collection = `e2e-shots-${stamp}`;
  await signInAs(page, "staff");
  await page.setViewportSize({ width: 1280, height: 900 });
  await createCollection(page, collection);
  const body = "## Before you start\n\nYou need an **admin** account.\n\n```sh\nhearth sso enable\n```\n\n| Plan | SSO |\n| --- | --- |\n| Pro | Yes |\n";
  const editorUrl = await createDraft(page, { collection, title: `Connecting SSO ${stamp}`, slug: `sso-${stamp}`, body });
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.locator(".kb-preview h2")).toBeVisible();
  await page.screenshot({ path: `${shotsDir}/editor-en.png`, fullPage: true });

  await page.goto("/settings/profile");
  await page.locator("select[name=locale]").selectOption("ja");
  await page.locator("main form button[type=submit]").first().click();
  await page.goto(editorUrl);
  await page.getByRole("button", { name: "プレビュー" }).click();
  await expect(page.locator(".kb-preview h2")).toBeVisible();
  await page.screenshot({ path: `${shotsDir}/editor-ja.png`, fullPage: true });

  const other = await context.newPage();
  await other.setViewportSize({ width: 1280, height: 900 });
  await other.goto(editorUrl);
  await page.getByLabel("本文(Markdown)").fill(`${body}\n追記しました。\n`);
  await page.getByRole("button", { name: "下書きを保存" }).click();
  await expect(page.getByText("下書きを保存しました。")).toBeVisible();
  await other.getByLabel("本文(Markdown)").fill(body.replace("admin", "owner"));
  await other.getByRole("button", { name: "下書きを保存" }).click();
  await expect(other.getByRole("heading", { name: "他の人がこの記事を保存しました" })).toBeVisible();
  await other.screenshot({ path: `${shotsDir}/conflict-ja.png`, fullPage: true });
  await other.close();

  // The other staff screens render (looked at by hand).
  for (const [name, path] of [
    ["history-ja", `${editorUrl.replace(/^https?:\/\/[^/]+/, "")}/history`],
    ["report-ja", "/admin/kb/report?sort=views90&dir=desc"],
    ["review-ja", "/admin/kb/review"],
    ["collections-ja", `/admin/kb/collections`],
    ["list-ja", "/admin/kb"],
  ] as const) {
    expect((await page.goto(path))?.status()).toBe(200);
    await page.screenshot({ path: `${shotsDir}/${name}.png`, fullPage: true });
  }

  // Back to English for whoever signs in next.
  await page.goto("/settings/profile");
  await page.locator("select[name=locale]").selectOption("en");
  await page.locator("main form button[type=submit]").first().click();
});

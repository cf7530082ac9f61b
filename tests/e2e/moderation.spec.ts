import type { Browser, Page } from "@playwright/test";
import { expect, signInAs, test } from "./fixtures";

// Moderation in the browser: a flag reaches the review queue and a moderator hides the post from there;
// a question that asks for staff shows up in the staff queue with its age. Posts are made through the UI,
// so each test starts from the seeded demo without forum content of its own.

type Role = Parameters<typeof signInAs>[1];

async function signedIn(browser: Browser, role: Role): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, role);
  return page;
}

/** The member (English UI) asks a question; returns its canonical path. */
async function askQuestion(page: Page, title: string): Promise<string> {
  await page.goto("/questions/ask");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Details").fill("Our identity provider rotated its signing certificate and sign-in now fails with an error.");
  await page.getByRole("button", { name: "Post your question" }).click();
  await expect(page).toHaveURL(/\/questions\/\d+\/[a-z0-9-]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  return new URL(page.url()).pathname;
}

test("a moderator upholds a flag on an answer from /review and the member no longer sees the answer", async ({ browser }) => {
  const suffix = Date.now().toString(36);
  const asker = await signedIn(browser, "member");
  const path = await askQuestion(asker, `How do I rotate the SSO certificate ${suffix}?`);

  // Another member answers (Japanese UI: the form is found by its field names, not its words).
  const answerText = `Buy cheap certificates at spam-${suffix}.example`;
  const answerer = await signedIn(browser, "member-ja");
  await answerer.goto(path);
  await answerer.locator('textarea[name="bodyMd"]').fill(answerText);
  await answerer.locator('button[name="intent"][value="answer"]').click();
  await expect(answerer.getByText(answerText)).toBeVisible();

  // The asker flags the answer as spam.
  await asker.goto(path);
  const answer = asker.locator("article").filter({ hasText: answerText });
  await answer.getByText("Flag", { exact: true }).click();
  await answer.getByLabel("Spam").check();
  await answer.getByRole("button", { name: "Send flag" }).click();
  await expect(asker).toHaveURL(/flagged=1/);

  // The moderator sees it in the review queue, grouped with its reason, and upholds it.
  const moderator = await signedIn(browser, "moderator");
  await moderator.goto("/review");
  await expect(moderator.getByRole("heading", { level: 1 })).toHaveText("Review flags");
  const item = moderator.getByTestId(/^flagged-answer-\d+$/).filter({ hasText: answerText });
  await expect(item).toContainText("Spam × 1");
  await item.getByLabel("Reason (kept in the audit log)").fill("Advertising");
  await item.getByRole("button", { name: "Uphold" }).click();
  await expect(moderator.getByText("Flags upheld.")).toBeVisible();
  await expect(moderator.getByTestId(/^flagged-answer-\d+$/).filter({ hasText: answerText })).toHaveCount(0);

  // Readers no longer see the answer.
  await asker.goto(path);
  await expect(asker.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(asker.getByText(answerText)).toHaveCount(0);
});

test("members without the review privilege cannot open the flag queue", async ({ browser }) => {
  const member = await signedIn(browser, "member");
  const response = await member.goto("/review");
  expect(response?.status()).toBe(403);
});

test("a question that asks for staff appears in the staff queue with its age, until staff mark it handled", async ({ browser }) => {
  const suffix = Date.now().toString(36);
  const asker = await signedIn(browser, "member");
  const title = `Invoices show the wrong VAT number ${suffix}`;
  const path = await askQuestion(asker, title);

  const other = await signedIn(browser, "member-ja");
  await other.goto(path);
  const question = other.locator("article").first();
  await question.locator("summary").filter({ hasText: "報告" }).first().click();
  await question.locator('input[name="reason"][value="needs_staff"]').check();
  await question.locator('form:has(input[name="reason"][value="needs_staff"]) button[type="submit"]').click();
  await expect(other).toHaveURL(/flagged=1/);

  const staff = await signedIn(browser, "staff");
  await staff.goto("/admin/forum");
  await expect(staff.getByRole("heading", { level: 1 })).toHaveText("Forum staff queue");
  const row = staff.getByRole("row").filter({ hasText: title });
  await expect(row).toContainText("Needs staff");
  await expect(row).toContainText("0 h");
  await row.getByPlaceholder("What was done").fill("Answered by email");
  await row.getByRole("button", { name: "Mark handled" }).click();
  await expect(staff.getByText("Marked as handled.")).toBeVisible();
  await expect(staff.getByRole("row").filter({ hasText: title })).toHaveCount(0);

  // The audit log has the decision with its reason.
  await staff.goto("/admin/forum/audit?action=staff_handled");
  await expect(staff.getByRole("row").filter({ hasText: "Answered by email" })).toContainText("Staff handled");
});

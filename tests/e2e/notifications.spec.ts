import type { Page } from "@playwright/test";
import { expect, signInAs, test } from "./fixtures";

const TITLE = "Can the weekly usage report include archived projects?";

/** Starts from an empty bell, whatever earlier specs left for this demo member. */
async function clearNotifications(page: Page) {
  await page.goto("/notifications");
  const markAll = page.getByRole("button", { name: "Mark all as read" });
  if (await markAll.isVisible()) await markAll.click();
  await expect(page.getByRole("link", { name: "Notifications", exact: true })).toBeVisible();
}

test("a member follows a question, another answers, and the bell and the notifications page show it (without JavaScript)", async ({ browser }) => {
  // The follower browses without JavaScript: the bell and every form must work as plain HTML.
  const follower = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signInAs(follower, "member");
  await clearNotifications(follower);

  const asker = await (await browser.newContext()).newPage();
  await signInAs(asker, "admin");
  await asker.goto("/questions/ask");
  await asker.getByLabel("Title").fill(TITLE);
  await asker.getByLabel("Details").fill("We archive finished projects but still need their hours in the report.");
  await asker.getByRole("button", { name: "Post your question" }).click();
  await expect(asker).toHaveURL(/\/questions\/\d+\/[a-z0-9-]+$/);
  const questionPath = new URL(asker.url()).pathname;

  await follower.goto(questionPath);
  await follower.getByRole("button", { name: "Follow", exact: true }).click();
  await expect(follower.getByRole("button", { name: "Unfollow", exact: true })).toBeVisible();
  await expect(follower.getByRole("link", { name: "Notifications", exact: true })).toBeVisible();

  const answerer = await (await browser.newContext()).newPage();
  await signInAs(answerer, "moderator");
  await answerer.goto(questionPath);
  await answerer.getByRole("textbox", { name: "Your answer" }).fill("Yes: tick **Include archived** in the report settings.");
  await answerer.getByRole("button", { name: "Post your answer" }).click();
  await expect(answerer).toHaveURL(/#answer-\d+$/);

  // The bell carries the count in its accessible name and shows it.
  await follower.goto("/kb");
  const bell = follower.getByRole("link", { name: "Notifications: 1 unread" });
  await expect(bell).toBeVisible();
  await expect(bell).toHaveText(/1/);
  await bell.click();
  await expect(follower).toHaveURL(/\/notifications$/);
  await expect(follower.getByRole("heading", { level: 1 })).toHaveText("Notifications");
  const item = follower.getByTestId("notification-list").getByRole("link", { name: `Marcus Bell answered “${TITLE}”` });
  await expect(item).toBeVisible();
  await expect(item).toHaveAttribute("href", new RegExp(`^${questionPath}#answer-\\d+$`));

  await follower.getByRole("button", { name: "Mark all as read" }).click();
  await expect(follower.getByText("All notifications are marked as read.")).toBeVisible();
  await expect(follower.getByRole("link", { name: "Notifications", exact: true })).toBeVisible();
  await expect(follower.getByRole("link", { name: /unread/ })).toHaveCount(0);
  // Still listed, now read.
  await expect(item).toBeVisible();
  await expect(follower.getByRole("button", { name: /^Mark as read/ })).toHaveCount(0);

  // The answer link lands on the answer.
  await item.click();
  await expect(follower).toHaveURL(new RegExp(`${questionPath}#answer-\\d+$`));
});

test("a member chooses a weekly digest in the notification settings", async ({ page }) => {
  await signInAs(page, "member");
  await page.goto("/settings/profile");
  await page.getByRole("link", { name: "Notification and email settings" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Notification settings");
  await expect(page.getByLabel("Daily digest")).toBeChecked();
  await page.getByLabel("Weekly digest").check();
  await page.getByRole("button", { name: "Save email setting" }).click();
  await expect(page.getByText("Email setting saved.")).toBeVisible();
  await expect(page.getByLabel("Weekly digest")).toBeChecked();
});

test("a member follows a tag from the filtered question list and finds it in their settings", async ({ page }) => {
  await signInAs(page, "member");
  await page.goto("/questions?tag=api");
  await page.getByRole("button", { name: "Follow tag api" }).click();
  await expect(page.getByRole("button", { name: "Unfollow tag api" })).toBeVisible();
  await page.goto("/settings/notifications");
  await expect(page.getByText("api", { exact: true }).first()).toBeVisible();
  // Leave the demo member as found, for specs that count their notifications.
  await page.goto("/questions?tag=api");
  await page.getByRole("button", { name: "Unfollow tag api" }).click();
  await expect(page.getByRole("button", { name: "Follow tag api" })).toBeVisible();
});

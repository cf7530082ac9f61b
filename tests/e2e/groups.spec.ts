import { expect, signInAs, test } from "./fixtures";

// User groups on the demo: joining an open group, asking to join an approval group, the leader's
// decision on the manage page, and the door check-in at phone width.

function memberCount(text: string | null): number {
  const match = /(\d+)/.exec(text ?? "");
  if (!match) throw new Error(`no member count in ${text}`);
  return Number(match[1]);
}

test("a member joins an open group and is counted", async ({ page }) => {
  await signInAs(page, "member");
  await page.goto("/groups?kind=product");
  await page.getByRole("link", { name: "API Builders" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "API Builders" })).toBeVisible();
  const before = memberCount(await page.locator(".group-join-count").textContent());

  await page.getByRole("button", { name: "Join group" }).click();
  await expect(page.getByText("Welcome! You joined the group.")).toBeVisible();
  await expect(page.getByText("You are a member.")).toBeVisible();
  expect(memberCount(await page.locator(".group-join-count").textContent())).toBe(before + 1);
  await expect(page.getByRole("list", { name: "Members" }).getByRole("link", { name: "Olivia Chen" })).toBeVisible();

  await page.getByRole("button", { name: "Leave group" }).click();
  await expect(page.getByText("You left the group.")).toBeVisible();
  expect(memberCount(await page.locator(".group-join-count").textContent())).toBe(before);
});

test("a request to join an approval group waits until the leader approves it", async ({ page }) => {
  // Haruto (the Japanese demo member) asks to join Olivia's circle.
  await signInAs(page, "member-ja");
  await page.goto("/groups/healthcare-analytics-circle");
  await page.getByRole("button", { name: "参加を申請" }).click();
  await expect(page.getByText("参加申請はリーダーの承認待ちです。")).toBeVisible();

  await page.context().clearCookies();
  await signInAs(page, "member");
  await page.goto("/groups/healthcare-analytics-circle");
  await page.getByRole("link", { name: "Manage this group" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Manage Healthcare Analytics Circle" })).toBeVisible();
  const membersBefore = await page.getByRole("table", { name: "Members" }).getByRole("row").count();
  await page.getByRole("button", { name: "Approve 佐藤 陽翔" }).click();
  await expect(page.getByText("Request approved.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Approve 佐藤 陽翔" })).toHaveCount(0);
  await expect(page.getByRole("table", { name: "Members" }).getByRole("row")).toHaveCount(membersBefore + 1);
  await expect(page.getByRole("table", { name: "Members" }).getByRole("link", { name: "佐藤 陽翔" })).toBeVisible();
});

test("the door check-in works at phone width and moves the count", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await signInAs(page, "staff");
  await page.goto("/events/tokyo-meetup-december/check-in");
  const counts = page.locator(".checkin-counts");
  const read = async () => {
    const match = /(\d+) of (\d+)/.exec((await counts.textContent()) ?? "");
    return { checkedIn: Number(match?.[1]), expected: Number(match?.[2]) };
  };
  const before = await read();
  expect(before.expected).toBeGreaterThan(0);

  // Nothing wider than the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

  const first = page.locator(".checkin-row").filter({ has: page.getByRole("button", { name: /^Check in / }) }).first();
  const name = (await first.locator(".checkin-name").textContent())!;
  const button = first.getByRole("button", { name: `Check in ${name}` });
  const box = await button.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);
  await button.click();
  await expect(page.getByRole("button", { name: `Undo check-in of ${name}` })).toBeVisible();
  await expect(counts).toHaveText(`${before.checkedIn + 1} of ${before.expected} checked in`);

  // Search narrows the list without changing the counts; undo puts it back.
  const main = page.locator("#main");
  await main.getByRole("searchbox").fill(name);
  await main.getByRole("button", { name: "Search" }).click();
  await expect(page.locator(".checkin-row")).toHaveCount(1);
  await page.getByRole("button", { name: `Undo check-in of ${name}` }).click();
  await expect(counts).toHaveText(`${before.checkedIn} of ${before.expected} checked in`);
});

test("members who do not lead the group cannot open its check-in list", async ({ page }) => {
  await signInAs(page, "member");
  const response = await page.goto("/events/tokyo-meetup-december/check-in");
  expect(response?.status()).toBe(403);
});

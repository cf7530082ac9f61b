import { expect, signInAs, test } from "./fixtures";

// The demo seed marks a few members as champions (users.champion_at), Olivia Chen among them.

test("the champions page lists a champion, whose profile shows the mark, reputation and JSON-LD", async ({ page }) => {
  await page.goto("/champions");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Community champions");
  await expect(page.getByRole("heading", { name: "Leaderboard" })).toBeVisible();
  await page.getByRole("link", { name: "90 days" }).click();
  await expect(page).toHaveURL(/\?period=90d$/);
  await expect(page.getByRole("link", { name: "90 days" })).toHaveAttribute("aria-current", "page");

  await page.getByRole("list", { name: "Community champions" }).getByRole("link", { name: "Olivia Chen" }).click();
  await expect(page).toHaveURL(/\/members\/olivia_chen$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Olivia Chen");
  await expect(page.getByTestId("champion-mark")).toHaveText("Champion");
  await expect(page.getByTestId("reputation")).toHaveText(/^\d+$/);
  await expect(page.getByRole("heading", { name: "Reputation history" })).toBeVisible();
  const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? "{}") as Record<string, unknown>;
  expect(jsonLd).toMatchObject({ "@type": "ProfilePage", mainEntity: { "@type": "Person", name: "Olivia Chen", alternateName: "@olivia_chen" } });
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", /\/members\/olivia_chen$/);
});

test("an unknown or malformed handle is not found", async ({ page }) => {
  expect((await page.goto("/members/nobody_by_this_name"))?.status()).toBe(404);
  expect((await page.goto("/members/bad%20handle!"))?.status()).toBe(404);
});

test("staff award a badge by hand and it shows on the member's profile", async ({ page, browser }) => {
  const member = await (await browser.newContext()).newPage();
  await signInAs(member, "member");
  expect((await member.goto("/admin/forum/champions"))?.status()).toBe(403);

  await signInAs(page, "staff");
  await page.goto("/admin/forum/champions");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Champions and badges");
  const award = page.locator("form", { has: page.getByRole("button", { name: "Award badge" }) });
  await award.getByLabel("Member handle").fill("olivia_chen");
  await award.getByLabel("Badge").selectOption({ label: "Community hero" });
  await award.getByRole("button", { name: "Award badge" }).click();
  // No reason: the form comes back with the error and what was typed.
  await expect(award.getByText("This field is required.")).toBeVisible();
  await expect(award.getByLabel("Member handle")).toHaveValue("olivia_chen");
  await award.getByLabel("Reason").fill("Hosted the spring user meetup");
  await award.getByRole("button", { name: "Award badge" }).click();
  await expect(page.getByText("Badge awarded.")).toBeVisible();

  await page.goto("/members/olivia_chen");
  const badges = page.getByRole("region", { name: "Badges" });
  await expect(badges.getByText("Community hero")).toBeVisible();
  await expect(badges.getByText("Reason: Hosted the spring user meetup")).toBeVisible();
});

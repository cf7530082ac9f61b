import { expect, signInAs, test } from "./fixtures";

// The public webinar catalog and event pages on the seeded demo (app/features/events/demo.server.ts).

const DASHBOARDS = "/webinars/getting-started-with-dashboards";
const FULL = "/webinars/advanced-api-automation";

test("a visitor browses webinars, filters by language and reads an event page with its JSON-LD", async ({ page }) => {
  await page.goto("/webinars");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Webinars");
  await expect(page.getByRole("link", { name: "Getting started with dashboards" })).toBeVisible();

  await page.getByLabel("Language", { exact: true }).selectOption("ja");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/language=ja/);
  await expect(page.locator('a[href="/webinars/dashboard-nyumon"]')).toBeVisible();
  await expect(page.getByRole("link", { name: "Getting started with dashboards" })).toHaveCount(0);

  // The tabs keep the filters: the library in Japanese has no SSO session until the filter is cleared.
  await page.getByRole("link", { name: "On-demand library" }).click();
  await expect(page).toHaveURL(/view=library/);
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page.locator('a[href="/webinars/sso-deep-dive"]').first()).toBeVisible();

  await page.goto(DASHBOARDS);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Getting started with dashboards");
  await expect(page.getByText(/Times shown in/).first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in to register" })).toHaveAttribute("href", `/login?redirectTo=${encodeURIComponent(DASHBOARDS)}`);
  await expect(page.getByRole("link", { name: "Add to calendar (.ics)" })).toHaveAttribute("href", `${DASHBOARDS}/calendar.ics`);
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", new RegExp(`${DASHBOARDS}$`));
  const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? "{}") as Record<string, unknown>;
  expect(jsonLd).toMatchObject({
    "@type": "Event",
    name: "Getting started with dashboards",
    eventAttendanceMode: "https://schema.org/OnlineEventAttendanceMode",
    eventStatus: "https://schema.org/EventScheduled",
    location: { "@type": "VirtualLocation" },
    offers: { "@type": "Offer", price: 0, availability: "https://schema.org/InStock" },
  });
  // The join link is for registrants only.
  await expect(page.getByRole("link", { name: "Join the session" })).toHaveCount(0);
  expect(await page.content()).not.toContain("meet.example.com");
});

test("a member registers answering the question, sees the confirmation and cancels", async ({ page }) => {
  await signInAs(page, "member");
  await page.goto(DASHBOARDS);
  const panel = page.locator("#registration");
  await panel.getByLabel(/What is your role\?/).selectOption("Analyst");
  await panel.getByRole("button", { name: "Register" }).click();
  await expect(panel.getByTestId("registration-state")).toHaveText("You're registered.");
  await expect(panel.getByText("We sent you a confirmation email.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Add to calendar (.ics)" })).toBeVisible();

  await page.goto("/events");
  await expect(page.getByRole("complementary").getByRole("link", { name: "Getting started with dashboards" })).toBeVisible();

  await page.goto(DASHBOARDS);
  await panel.getByRole("button", { name: "Cancel my registration" }).click();
  await expect(panel.getByText("Your registration was cancelled.")).toBeVisible();
  await expect(panel.getByRole("button", { name: "Register" })).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a member joins the waitlist of a full webinar and sees their place", async ({ page }) => {
    await signInAs(page, "member");
    await page.goto(FULL);
    await expect(page.getByTestId("event-seats")).toHaveText("Full — join the waitlist");
    const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? "{}") as { offers: { availability: string } };
    expect(jsonLd.offers.availability).toBe("https://schema.org/SoldOut");
    const panel = page.locator("#registration");
    await panel.getByRole("button", { name: "Join the waitlist" }).click();
    await expect(panel.getByTestId("registration-state")).toContainText("You're on the waitlist: number 3.");
    await panel.getByRole("button", { name: "Leave the waitlist" }).click();
    await expect(panel.getByText("Your registration was cancelled.")).toBeVisible();
  });
});

test("/events lists webinars and group events together, with the public calendar feed", async ({ page }) => {
  await page.goto("/events");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Events");
  await expect(page.locator('a[href="/webinars/getting-started-with-dashboards"]')).toBeVisible();
  await expect(page.locator('a[href="/events/tokyo-meetup-december"]')).toBeVisible();
  await expect(page.getByRole("link", { name: "Subscribe to the public calendar (iCal)" })).toHaveAttribute("href", "/events.ics");

  await page.getByLabel("Type", { exact: true }).selectOption("group_event");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.locator('a[href="/events/tokyo-meetup-december"]')).toBeVisible();
  await expect(page.locator('a[href="/webinars/getting-started-with-dashboards"]')).toHaveCount(0);

  await page.locator('a[href="/events/tokyo-meetup-december"]').first().click();
  const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? "{}") as Record<string, unknown>;
  expect(jsonLd).toMatchObject({ "@type": "Event", eventAttendanceMode: "https://schema.org/OfflineEventAttendanceMode", location: { "@type": "Place" } });
  await expect(page.getByRole("link", { name: "Sign in to RSVP" })).toBeVisible();
});

import { expect, signInAs, test } from "./fixtures";

// Staff running webinars (/admin/webinars) on the seeded demo (app/features/events/demo.server.ts).

test("staff create a webinar with a registration question and publish it; it is listed on /webinars", async ({ page }) => {
  await signInAs(page, "staff");
  await page.goto("/admin/webinars");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Webinars and events");
  await page.getByRole("link", { name: "New webinar" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("New webinar");

  const title = `Pivot tables in depth ${Date.now()}`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Summary").fill("Everything about pivot tables.");
  await page.getByLabel("Starts").fill("2031-06-10T10:00");
  await page.getByLabel("Ends").fill("2031-06-10T11:00");
  await page.getByLabel("Time zone").selectOption("Europe/London");
  await page.getByLabel("Seats").fill("50");
  await page.getByLabel("Questions").fill("What is your role? :: Admin | Analyst *");

  // A mistake first: the form comes back with the error and keeps what was typed.
  await page.getByLabel("Join link").fill("javascript:alert(1)");
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText("Enter a full web address starting with https://.")).toBeVisible();
  await expect(page.getByLabel("Title")).toHaveValue(title);
  await page.getByLabel("Join link").fill("https://meet.example.com/pivots");
  await page.getByRole("button", { name: "Publish" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.getByText("Event published.")).toBeVisible();
  await expect(page.getByLabel("Questions")).toHaveValue("What is your role? :: Admin | Analyst *");

  await page.goto("/admin/webinars");
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  await page.goto("/webinars");
  await expect(page.getByRole("link", { name: title })).toBeVisible();
});

test("staff import an attendee report for an ended webinar: preview, commit, attendance shown", async ({ page }) => {
  await signInAs(page, "staff");
  await page.goto("/admin/webinars?tab=past");
  await page.getByRole("link", { name: "Reporting best practices: from raw data to a monthly report" }).click();
  await page.getByRole("link", { name: "Attendance import" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Attendance:");

  const csv = [
    "Attendee Report",
    "Topic,Reporting best practices",
    "",
    "User Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)",
    "Grace Kim,grace.kim@northwind.example,2026-01-10 10:01:00,2026-01-10 10:20:00,19",
    "Grace Kim,GRACE.KIM@northwind.example,2026-01-10 10:25:00,2026-01-10 10:40:00,15",
    "Visitor,visitor@unknown.example,2026-01-10 10:05:00,2026-01-10 10:30:00,25",
    '"=HYPERLINK(""http://x"",""y"")",bad@unknown.example,2026-01-10 10:05:00,2026-01-10 10:30:00,25',
  ].join("\n");
  await page.getByLabel(/Attendee report/).setInputFiles({ name: "zoom-report.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Upload and preview" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Preview: zoom-report.csv");
  const counts = page.locator(".ae-counts");
  await expect(counts.getByText("Matched members")).toBeVisible();
  await expect(counts.locator("div", { hasText: "Matched members" }).locator("dd")).toHaveText("1");
  await expect(counts.locator("div", { hasText: "Unknown emails" }).locator("dd")).toHaveText("1");
  await expect(counts.locator("div", { hasText: "Invalid rows" }).locator("dd")).toHaveText("1");
  const matchedRow = page.getByRole("row", { name: /grace\.kim@northwind\.example/ });
  await expect(matchedRow).toContainText("34");

  await page.getByRole("link", { name: /Invalid/ }).click();
  await expect(page.getByText("possible formula injection")).toBeVisible();

  await page.getByRole("button", { name: "Commit attendance" }).click();
  await expect(page.getByText(/Committed on .*Registrations changed/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Commit attendance" })).toHaveCount(0);

  await page.getByRole("link", { name: "Back to attendance" }).click();
  await page.getByRole("link", { name: "Registrations" }).first().click();
  await page.getByRole("link", { name: /^Attended/ }).click();
  await expect(page.getByRole("row", { name: /Grace Kim/ })).toContainText("34 min");
});

test("members cannot open the staff webinar pages", async ({ page }) => {
  await signInAs(page, "member");
  const response = await page.goto("/admin/webinars");
  expect(response?.status()).toBe(403);
});

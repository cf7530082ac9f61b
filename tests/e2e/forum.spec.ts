import { expect, signInAs, test } from "./fixtures";

const TITLE = "How do I export the audit log as CSV every week?";

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a member asks, another answers, a third comments, and the asker sees both on a QAPage", async ({ browser }) => {
    // The asker.
    const asker = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await signInAs(asker, "member");
    await asker.goto("/questions");
    await expect(asker.getByRole("heading", { level: 1 })).toHaveText("Questions");
    await asker.getByRole("link", { name: "Ask a question" }).first().click();
    await expect(asker).toHaveURL(/\/questions\/ask$/);

    // A refused title keeps what was typed and says why.
    await asker.getByLabel("Title").fill("Too short");
    await asker.getByLabel("Details").fill("We need the **audit log** every Monday.");
    await asker.getByRole("button", { name: "Post your question" }).click();
    await expect(asker.getByText("Write a title of at least 15 characters")).toBeVisible();
    await expect(asker.getByLabel("Details")).toHaveValue("We need the **audit log** every Monday.");

    // The server-rendered preview.
    await asker.getByLabel("Title").fill(TITLE);
    await asker.getByRole("button", { name: "Preview" }).click();
    await expect(asker.getByRole("region", { name: "Preview" }).locator("strong")).toHaveText("audit log");

    await asker.getByRole("button", { name: "Post your question" }).click();
    await expect(asker).toHaveURL(/\/questions\/\d+\/how-do-i-export-the-audit-log-as-csv-every-week$/);
    await expect(asker.getByRole("heading", { level: 1 })).toHaveText(TITLE);
    const questionUrl = asker.url();
    const questionPath = new URL(questionUrl).pathname;

    // The short URL moves to the canonical one.
    const id = /\/questions\/(\d+)\//.exec(questionPath)![1];
    await asker.goto(`/questions/${id}`);
    await expect(asker).toHaveURL(questionUrl);

    // Another member answers (a moderator here: English UI, and answering is open to everyone).
    const answerer = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await signInAs(answerer, "moderator");
    await answerer.goto(questionPath);
    await answerer.getByLabel("Your answer").fill("Use **Settings → Exports** and pick *Weekly*.");
    await answerer.getByRole("button", { name: "Post your answer" }).click();
    await expect(answerer).toHaveURL(/#answer-\d+$/);
    await expect(answerer.getByRole("heading", { name: "Answers (1)" })).toBeVisible();

    // A Japanese member comments on the answer, in the Japanese UI.
    const commenter = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await signInAs(commenter, "member-ja");
    await commenter.goto(questionPath);
    const answerArticle = commenter.locator("article[id^=answer-]");
    await answerArticle.getByText("コメントを追加").click();
    await answerArticle.getByLabel("コメント", { exact: true }).fill("週次の設定はプランによって違いますか？");
    await answerArticle.getByRole("button", { name: "コメントする" }).click();
    await expect(commenter).toHaveURL(/#comment-\d+$/);

    // The asker sees the answer and the comment.
    await asker.goto(questionPath);
    await expect(asker.locator("article[id^=answer-] .post-body strong")).toHaveText("Settings → Exports");
    await expect(asker.getByText("週次の設定はプランによって違いますか？")).toBeVisible();

    const jsonLd = JSON.parse((await asker.locator('script[type="application/ld+json"]').textContent()) ?? "{}") as Record<string, unknown>;
    expect(jsonLd).toMatchObject({
      "@type": "QAPage",
      mainEntity: { "@type": "Question", name: TITLE, answerCount: 1, suggestedAnswer: [{ "@type": "Answer", text: expect.stringContaining("Settings → Exports") }] },
    });
    await expect(asker.locator('link[rel="canonical"]')).toHaveAttribute("href", questionUrl);

    // The list filters: answered, so not unanswered; the asker's own; the sitemap lists it.
    await asker.goto("/questions");
    await asker.getByRole("navigation", { name: "Filter questions" }).getByRole("link", { name: "Unanswered" }).click();
    await expect(asker).toHaveURL(/filter=unanswered/);
    await expect(asker.getByRole("link", { name: TITLE })).toHaveCount(0);
    await asker.getByRole("navigation", { name: "Filter questions" }).getByRole("link", { name: "My questions" }).click();
    await expect(asker.getByRole("link", { name: TITLE })).toBeVisible();
    await asker.getByRole("navigation", { name: "Sort questions" }).getByRole("link", { name: "Recent activity" }).click();
    await expect(asker).toHaveURL(/sort=activity/);
    await expect(asker).toHaveURL(/filter=mine/);
    await expect(asker.getByRole("link", { name: TITLE })).toBeVisible();

    const sitemap = await asker.request.get("/sitemap.xml");
    expect(await sitemap.text()).toContain(questionPath);
  });

  test("the knowledge base's \"Ask the community\" link opens the ask form linked to the article", async ({ page }) => {
    await signInAs(page, "member");
    await page.goto("/kb/integrations/set-up-single-sign-on");
    await page.getByRole("link", { name: "Ask the community" }).click();
    await expect(page).toHaveURL(/\/questions\/ask\?articleId=\d+/);
    await expect(page.getByText("You came from this article:")).toBeVisible();
    await expect(page.getByRole("link", { name: "Set up single sign-on (SAML)" })).toBeVisible();
    await expect(page.getByLabel("Title")).toHaveValue("Set up single sign-on (SAML)");
  });
});

test("with JavaScript, the question page hydrates cleanly and a vote counts once", async ({ page }) => {
  await signInAs(page, "staff");
  await page.goto("/questions");
  await page.getByRole("link", { name: TITLE }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(TITLE);
  const answer = page.locator("article[id^=answer-]").first();
  const score = answer.locator(".vote-score");
  await expect(score).toContainText("0");
  await answer.getByRole("button", { name: "Vote up (useful)" }).click();
  await expect(score).toContainText("1");
  await expect(answer.getByRole("button", { name: "Withdraw your up vote" })).toHaveAttribute("aria-pressed", "true");
  await answer.getByRole("button", { name: "Withdraw your up vote" }).click();
  await expect(score).toContainText("0");
});

test("a malformed question id is a 404, not an error", async ({ page }) => {
  const response = await page.goto("/questions/99999999999/x");
  expect(response?.status()).toBe(404);
});

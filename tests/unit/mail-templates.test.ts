import { describe, expect, it } from "vitest";
import {
  MAIL_LOCALES,
  MAIL_TEMPLATE_NAMES,
  MAIL_TEMPLATE_PARAMS,
  escapeHtml,
  renderMail,
  type MailTemplateMessage,
} from "../../app/features/mail/templates";

const hostile = `<script>alert("x")</script> & 'Bob'`;

function sampleMessages(locale: (typeof MAIL_LOCALES)[number], displayName = "Aiko"): MailTemplateMessage[] {
  return [
    { template: "verify_email", locale, params: { displayName, url: "https://hearth.test/verify-email?token=a&b=1" } },
    { template: "reset_password", locale, params: { displayName, url: "https://hearth.test/reset-password?token=a&b=1" } },
    {
      template: "account_exists",
      locale,
      params: { displayName, signInUrl: "https://hearth.test/login", resetUrl: "https://hearth.test/forgot-password" },
    },
    { template: "test", locale, params: { displayName } },
    {
      template: "forum_notification",
      locale,
      params: {
        displayName,
        items: [{ type: "answer_posted", actorName: displayName, title: "How do I rotate the SCIM token?", url: "https://hearth.test/questions/1/q#answer-2" }],
        moreCount: 0,
        notificationsUrl: "https://hearth.test/notifications",
        settingsUrl: "https://hearth.test/settings/notifications",
      },
    },
    {
      template: "forum_digest",
      locale,
      params: {
        displayName,
        period: "daily",
        items: [{ type: "mentioned", actorName: displayName, title: "SSO loop", url: "https://hearth.test/questions/3/sso-loop" }],
        moreCount: 2,
        notificationsUrl: "https://hearth.test/notifications",
        settingsUrl: "https://hearth.test/settings/notifications",
      },
    },
  ];
}

describe("mail templates", () => {
  it("exist for every template in every language, with subject, text and html", () => {
    for (const locale of MAIL_LOCALES) {
      const messages = sampleMessages(locale);
      expect(messages.map((m) => m.template).sort()).toEqual([...MAIL_TEMPLATE_NAMES].sort());
      for (const message of messages) {
        const rendered = renderMail(message);
        expect(rendered.subject.length).toBeGreaterThan(0);
        expect(rendered.text).toContain("Aiko");
        expect(rendered.html).toContain(`<html lang="${locale}">`);
        expect(rendered.html).toContain("Aiko");
      }
    }
  });

  it("writes Japanese mail in Japanese and English mail in English", () => {
    const ja = renderMail({ template: "verify_email", locale: "ja", params: { displayName: "山田", url: "https://hearth.test/v" } });
    const en = renderMail({ template: "verify_email", locale: "en", params: { displayName: "Yamada", url: "https://hearth.test/v" } });
    expect(ja.subject).toMatch(/[\u3040-\u30ff\u4e00-\u9faf]/);
    expect(ja.text).toContain("山田 様");
    expect(en.subject).not.toMatch(/[\u3040-\u30ff\u4e00-\u9faf]/);
    expect(en.text).toContain("Hi Yamada,");
  });

  it("escapes every parameter in the HTML part", () => {
    for (const locale of MAIL_LOCALES) {
      for (const message of sampleMessages(locale, hostile)) {
        const { html, text } = renderMail(message);
        expect(html).not.toContain("<script>");
        expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Bob&#39;");
        // The text part is plain text: shown as written, never interpreted.
        expect(text).toContain(hostile);
      }
    }
  });

  it("escapes URLs inside attributes and keeps the link working", () => {
    const { html, text } = renderMail({
      template: "reset_password",
      locale: "en",
      params: { displayName: "A", url: `https://hearth.test/reset?token=a&next="><img src=x>` },
    });
    expect(html).toContain(`href="https://hearth.test/reset?token=a&amp;next=&quot;&gt;&lt;img src=x&gt;"`);
    expect(html).not.toContain("<img");
    expect(text).toContain(`https://hearth.test/reset?token=a&next="><img src=x>`);
  });

  it("never turns a non-http URL into a link, even if validation was skipped", () => {
    const { html } = renderMail({ template: "verify_email", locale: "en", params: { displayName: "A", url: "javascript:alert(1)" } });
    expect(html).not.toContain(`href="javascript:`);
    expect(MAIL_TEMPLATE_PARAMS.verify_email.safeParse({ displayName: "A", url: "javascript:alert(1)" }).success).toBe(false);
    expect(MAIL_TEMPLATE_PARAMS.verify_email.safeParse({ displayName: "A", url: "https://hearth.test/v" }).success).toBe(true);
  });

  it("escapes the five HTML-significant characters", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});

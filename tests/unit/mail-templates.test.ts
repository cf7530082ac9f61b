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

const sampleEvent = {
  kind: "webinar" as const,
  slug: "scim-deep-dive",
  uid: "event-7@hearth.test",
  title: "SCIM deep dive",
  summary: "Provisioning, end to end.",
  url: "https://hearth.test/webinars/scim-deep-dive",
  startsAt: "2026-03-08T15:00:00.000Z",
  endsAt: "2026-03-08T16:00:00.000Z",
  location: "https://hearth.test/webinars/scim-deep-dive",
  status: "CONFIRMED" as const,
  sequence: 1772000000,
  updatedAt: "2026-02-25T06:13:20.000Z",
};

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
    { template: "event_registered", locale, params: { displayName, timeZone: "America/New_York", event: sampleEvent } },
    { template: "event_waitlisted", locale, params: { displayName, timeZone: "America/New_York", event: sampleEvent, position: 3 } },
    { template: "event_promoted", locale, params: { displayName, timeZone: "America/New_York", event: sampleEvent } },
    { template: "event_reminder", locale, params: { displayName, timeZone: "Asia/Tokyo", event: sampleEvent, when: "hour", joinUrl: "https://meet.example/x" } },
    { template: "event_cancelled", locale, params: { displayName, timeZone: "UTC", event: sampleEvent, reason: "Speaker unavailable" } },
    { template: "event_recording", locale, params: { displayName, timeZone: "UTC", event: sampleEvent, recordingUrl: "https://hearth.test/webinars/scim-deep-dive/recording" } },
    { template: "event_survey", locale, params: { displayName, timeZone: "UTC", event: sampleEvent, surveyUrl: "https://hearth.test/webinars/scim-deep-dive#survey" } },
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

  it("shows event times in the recipient's zone, named, and attaches the .ics where it should", () => {
    const registered = renderMail({ template: "event_registered", locale: "en", params: { displayName: "A", timeZone: "America/New_York", event: sampleEvent } });
    // 15:00 UTC on the day New York springs forward is 11:00 EDT.
    expect(registered.text).toContain("Mar 8, 2026, 11:00 AM – 12:00 PM (Eastern Daylight Time)");
    expect(registered.attachments).toHaveLength(1);
    expect(registered.attachments[0]).toMatchObject({ filename: "scim-deep-dive.ics", contentType: "text/calendar; charset=utf-8; method=PUBLISH" });
    expect(registered.attachments[0]!.content).toContain("DTSTART:20260308T150000Z");
    const ja = renderMail({ template: "event_reminder", locale: "ja", params: { displayName: "A", timeZone: "Asia/Tokyo", event: sampleEvent, when: "day", joinUrl: null } });
    expect(ja.text).toContain("日本標準時");
    expect(ja.attachments).toEqual([]);
    const cancelled = renderMail({ template: "event_cancelled", locale: "en", params: { displayName: "A", timeZone: "UTC", event: sampleEvent, reason: "" } });
    expect(cancelled.attachments[0]!.content).toContain("STATUS:CANCELLED");
    expect(renderMail({ template: "test", locale: "en", params: { displayName: "A" } }).attachments).toEqual([]);
  });

  it("escapes the five HTML-significant characters", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});

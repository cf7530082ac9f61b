import { describe, expect, it } from "vitest";
import crypto from "node:crypto";
import { newWebhookSecret, signWebhookBody, verifyWebhookSignature } from "../../app/features/engagement/webhook-signature.server";

describe("webhook signatures", () => {
  const secret = "whsec_test";
  const body = JSON.stringify({ type: "signal.raised", data: { accountId: 7 } });

  it("signs timestamp and body with HMAC-SHA256 as documented", () => {
    const expected = crypto.createHmac("sha256", secret).update(`1700000000.${body}`).digest("hex");
    expect(signWebhookBody(secret, body, 1_700_000_000)).toBe(`t=1700000000,v1=${expected}`);
  });

  it("accepts its own signature and refuses a changed body, another secret, an old delivery or garbage", () => {
    const header = signWebhookBody(secret, body, 1_700_000_000);
    expect(verifyWebhookSignature(secret, header, body, 1_700_000_100)).toBe(true);
    expect(verifyWebhookSignature(secret, header, `${body} `, 1_700_000_100)).toBe(false);
    expect(verifyWebhookSignature("whsec_other", header, body, 1_700_000_100)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, 1_700_000_000 + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, "t=abc,v1=00", body, 1_700_000_000)).toBe(false);
    expect(verifyWebhookSignature(secret, "", body, 1_700_000_000)).toBe(false);
  });

  it("makes a different, prefixed secret every time", () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(a);
  });
});

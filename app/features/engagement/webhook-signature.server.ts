import crypto from "node:crypto";

/**
 * Webhook signatures (for issue 7's deliveries): HMAC-SHA256 over "<unix seconds>.<raw body>" with the
 * endpoint's secret, sent as `Hearth-Signature: t=<unix seconds>,v1=<hex>`. Signing the timestamp with
 * the body lets a receiver refuse replays of an old delivery; comparing in constant time keeps the
 * signature from leaking byte by byte.
 */
export const SIGNATURE_HEADER = "Hearth-Signature";
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signWebhookBody(secret: string, body: string, timestampSeconds: number): string {
  const digest = crypto.createHmac("sha256", secret).update(`${timestampSeconds}.${body}`, "utf8").digest("hex");
  return `t=${timestampSeconds},v1=${digest}`;
}

/** What a receiver does (and what the README documents): parse, check the age, recompute, compare. */
export function verifyWebhookSignature(secret: string, header: string, body: string, nowSeconds: number, toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS): boolean {
  const parts = new Map(
    header.split(",").map((part) => {
      const at = part.indexOf("=");
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const timestamp = Number(parts.get("t"));
  const given = parts.get("v1") ?? "";
  if (!Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/.test(given)) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = signWebhookBody(secret, body, timestamp).split("v1=")[1]!;
  return crypto.timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(given, "hex"));
}

/** A new endpoint secret: 32 random bytes, prefixed so a leaked one is recognisable in logs and scanners. */
export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString("base64url")}`;
}

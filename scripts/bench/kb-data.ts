import { count, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { kbArticles, users } from "../../db/schema";
import { SCALE_ADMIN_EMAIL } from "../../db/scale";
import { createArticle, createCollection, publishArticle } from "../../app/features/kb/articles.server";

/**
 * Knowledge-base articles for bench:kb, written through the real commands so every article has
 * rendered, sanitized HTML, a revision and a ledger entry, as production content would.
 * Bodies are assembled from varied paragraphs, headings, lists, tables and code so pages differ.
 */
const TOPICS = ["single sign-on", "SAML", "webhooks", "billing", "invoices", "API keys", "rate limits", "exports", "user roles", "audit logs", "Salesforce sync", "Slack alerts", "data retention", "custom fields", "dashboards", "reports", "two-factor auth", "SCIM provisioning", "sandbox", "usage limits"];
const VERBS = ["Configure", "Troubleshoot", "Understand", "Set up", "Migrate", "Automate", "Secure", "Monitor", "Export", "Reset"];
const SENTENCES = [
  "Open the admin console and choose the workspace you want to change.",
  "Changes take effect for new sessions; existing sessions keep their settings until they expire.",
  "If the option is greyed out, ask an owner of the workspace to grant you the admin role.",
  "The API answers with HTTP 429 when you exceed the limit; retry after the number of seconds in Retry-After.",
  "Every change is written to the audit log with the person who made it and the time.",
  "You can undo this within 30 days from the trash; after that the data is deleted for good.",
  "Test the connection first in a sandbox so that production data is never affected.",
  "Invoices are issued on the first day of each billing period in the account's currency.",
  "Field mappings are matched by their API names, not by the labels shown on screen.",
  "Notifications are batched every five minutes to avoid flooding your channel.",
];
const LANGS = ["bash", "json", "python", "typescript", "sql", "yaml"];

function pick<T>(list: readonly T[], n: number): T {
  return list[Math.abs(n) % list.length]!;
}

function articleBody(n: number): string {
  const topic = pick(TOPICS, n);
  const parts: string[] = [`${pick(SENTENCES, n)} This guide covers ${topic} step by step.`];
  for (let s = 0; s < 3 + (n % 3); s++) {
    parts.push(`## ${pick(VERBS, n + s)} ${pick(TOPICS, n * 7 + s)}`);
    parts.push([pick(SENTENCES, n + s), pick(SENTENCES, n * 3 + s), pick(SENTENCES, n * 5 + s)].join(" "));
    parts.push(["1. " + pick(SENTENCES, n + 2 * s), "2. " + pick(SENTENCES, n + 2 * s + 1), "3. Save your changes."].join("\n"));
    if ((n + s) % 3 === 0) parts.push("```" + pick(LANGS, n + s) + `\ncurl -H "Authorization: Bearer $TOKEN" https://api.example.com/v1/${topic.replaceAll(" ", "-")}/${n}\n` + "```");
    if ((n + s) % 4 === 0) parts.push(`| Setting | Default |\n| --- | --- |\n| ${topic} | enabled |\n| timeout | ${30 + (n % 60)} s |`);
    if ((n + s) % 5 === 0) parts.push(`> [!NOTE]\n> ${pick(SENTENCES, n + 9 * s)}`);
  }
  return parts.join("\n\n");
}

export async function countKbArticles(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(kbArticles);
  return row?.n ?? 0;
}

export async function generateKbBenchArticles(db: Db, total: number, onProgress: (done: number) => void): Promise<void> {
  const [admin] = await db.select({ id: users.id, role: users.role }).from(users).where(eq(users.email, SCALE_ADMIN_EMAIL));
  if (!admin) throw new Error("run seed:scale first: the scale admin user is missing");
  const collections: number[] = [];
  for (let c = 0; c < 20; c++) {
    const created = await createCollection(db, admin, {
      slug: `bench-${c + 1}`,
      nameEn: `${pick(TOPICS, c)} guides`,
      nameJa: `${pick(TOPICS, c)} ガイド`,
      descriptionEn: "",
      descriptionJa: "",
      position: c,
    });
    if (!created.ok) throw new Error(`collection: ${JSON.stringify(created)}`);
    collections.push(created.collectionId);
  }
  for (let n = 1; n <= total; n++) {
    const created = await createArticle(db, admin, {
      title: `${pick(VERBS, n)} ${pick(TOPICS, n * 13)} (${n})`,
      slug: `article-${n}`,
      collectionId: pick(collections, n),
      locale: n % 10 === 0 ? "ja" : "en",
      // Mostly public, as a real knowledge base is; some for customers and staff only.
      visibility: n % 20 === 0 ? "staff" : n % 7 === 0 ? "customers" : "public",
      summary: pick(SENTENCES, n),
      bodyMd: articleBody(n),
      tags: [pick(TOPICS, n), pick(TOPICS, n + 3)],
      ownerId: null,
      reviewBy: null,
      note: null,
    });
    if (!created.ok) throw new Error(`article ${n}: ${JSON.stringify(created)}`);
    await publishArticle(db, admin, created.articleId);
    if (n % 500 === 0 || n === total) onProgress(n);
  }
}

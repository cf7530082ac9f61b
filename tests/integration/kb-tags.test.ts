import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client";
import { publishArticle, saveArticle, updateCollection } from "../../app/features/kb/articles.server";
import { getArticleBySlug, getArticleForEditing, listCollections, listTags } from "../../app/features/kb/reads.server";
import { deleteTag, mergeTags, renameTag } from "../../app/features/kb/tags.server";
import { createTestDb } from "../support/db";
import { asActor, createKbPeople, makeArticle, makeCollection, uniqueSlug, type KbPeople } from "./kb-fixtures";

let handle: DbHandle;
let people: KbPeople;

beforeAll(async () => {
  handle = await createTestDb();
  people = await createKbPeople(handle.db);
});
afterAll(async () => {
  await handle.close();
});

/** The tag with this name as the staff list shows it (with its article count). */
async function tagNamed(name: string) {
  const tag = (await listTags(handle.db)).find((t) => t.name === name);
  if (!tag) throw new Error(`tag ${name} missing`);
  return tag;
}

/** The tag names a reader sees on the public article page (sorted here, so tests do not depend on collation). */
async function publicTags(collectionSlug: string, slug: string): Promise<string[]> {
  const article = await getArticleBySlug(handle.db, null, collectionSlug, slug);
  if (!article || "redirectTo" in article) throw new Error(`article ${collectionSlug}/${slug} not readable`);
  return article.tags.map((t) => t.name).sort();
}

describe("renaming a tag", () => {
  it("shows the new name on every article with the tag, and the editor keeps the same tag on save", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const prefix = uniqueSlug("t");
    const first = await makeArticle(handle.db, people.staff, collection.id, {
      title: "Rename one",
      tags: [`${prefix} sso`, `${prefix} other`],
    });
    const second = await makeArticle(handle.db, people.staff, collection.id, {
      title: "Rename two",
      tags: [`${prefix} sso`],
    });
    const tag = await tagNamed(`${prefix} sso`);

    const result = await renameTag(handle.db, asActor(people.staff), tag.id, {
      name: `${prefix} Single Sign-On`,
    });
    expect(result).toEqual({
      ok: true,
      changed: true,
      slug: `${prefix}-single-sign-on`,
    });

    expect(await publicTags(collection.slug, first.slug)).toEqual([`${prefix} Single Sign-On`, `${prefix} other`]);
    expect(await publicTags(collection.slug, second.slug)).toEqual([`${prefix} Single Sign-On`]);
    // The editor shows the new name, and saving the article as shown keeps the same tag (no duplicate appears).
    const editing = await getArticleForEditing(handle.db, second.id);
    if (!editing) throw new Error("article missing");
    expect(editing.tags.map((t) => t.name)).toEqual([`${prefix} Single Sign-On`]);
    const saved = await saveArticle(handle.db, asActor(people.staff), second.id, {
      title: editing.title,
      slug: editing.slug,
      collectionId: editing.collectionId,
      locale: editing.locale,
      visibility: editing.visibility,
      summary: "Now with a summary",
      bodyMd: editing.bodyMd,
      tags: editing.tags.map((t) => t.name),
      ownerId: editing.ownerId,
      reviewBy: editing.reviewBy,
      note: null,
      baseRevision: editing.revisionNumber,
    });
    expect(saved).toMatchObject({ ok: true });
    expect((await tagNamed(`${prefix} Single Sign-On`)).id).toBe(tag.id);
    const counts = Object.fromEntries((await listTags(handle.db)).filter((t) => t.name.startsWith(prefix)).map((t) => [t.name, t.articleCount]));
    expect(counts).toEqual({
      [`${prefix} other`]: 1,
      [`${prefix} Single Sign-On`]: 2,
    });
  });

  it("refuses a name another tag already has, with a field error naming that tag, and changes nothing", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const prefix = uniqueSlug("t");
    const article = await makeArticle(handle.db, people.staff, collection.id, {
      tags: [`${prefix} billing`, `${prefix} invoices`],
    });
    const billing = await tagNamed(`${prefix} billing`);
    const invoices = await tagNamed(`${prefix} invoices`);

    // "Invoices" has the slug of the existing "invoices" tag.
    expect(
      await renameTag(handle.db, asActor(people.staff), billing.id, {
        name: `${prefix.toUpperCase()} Invoices`,
      })
    ).toEqual({
      ok: false,
      fieldErrors: { name: ["adminKb.tags.error.nameTaken"] },
      collidingTagId: invoices.id,
    });
    expect(await publicTags(collection.slug, article.slug)).toEqual([`${prefix} billing`, `${prefix} invoices`]);
  });

  it("lets a tag change only the case of its name, and rejects invalid names", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const prefix = uniqueSlug("t");
    const article = await makeArticle(handle.db, people.staff, collection.id, {
      tags: [`${prefix} api`],
    });
    const tag = await tagNamed(`${prefix} api`);
    expect(
      await renameTag(handle.db, asActor(people.staff), tag.id, {
        name: `${prefix} API`,
      })
    ).toMatchObject({ ok: true, changed: true });
    expect(await publicTags(collection.slug, article.slug)).toEqual([`${prefix} API`]);

    expect(await renameTag(handle.db, asActor(people.staff), tag.id, { name: "   " })).toEqual({ ok: false, fieldErrors: { name: ["form.required"] } });
    expect(
      await renameTag(handle.db, asActor(people.staff), tag.id, {
        name: "a, b",
      })
    ).toEqual({
      ok: false,
      fieldErrors: { name: ["adminKb.tags.error.comma"] },
    });
    expect(await renameTag(handle.db, asActor(people.staff), tag.id, { name: "!!!" })).toEqual({ ok: false, fieldErrors: { name: ["kb.form.tagInvalid"] } });
    expect(
      await renameTag(handle.db, asActor(people.staff), 999_999, {
        name: "anything",
      })
    ).toEqual({ ok: false, reason: "not_found" });
  });
});

describe("merging tags", () => {
  it("moves every article to the target once, even articles that already had both, and removes the source", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const prefix = uniqueSlug("t");
    const both = await makeArticle(handle.db, people.staff, collection.id, {
      title: "Has both",
      tags: [`${prefix} sso`, `${prefix} saml`],
    });
    const sourceOnly = await makeArticle(handle.db, people.staff, collection.id, { title: "Has source", tags: [`${prefix} saml`] });
    const targetOnly = await makeArticle(handle.db, people.staff, collection.id, { title: "Has target", tags: [`${prefix} sso`] });
    const untouched = await makeArticle(handle.db, people.staff, collection.id, { title: "Has neither", tags: [`${prefix} webhooks`] });
    const source = await tagNamed(`${prefix} saml`);
    const target = await tagNamed(`${prefix} sso`);

    expect(await mergeTags(handle.db, asActor(people.staff), source.id, target.id)).toEqual({ ok: true, moved: 1 });

    expect(await publicTags(collection.slug, both.slug)).toEqual([`${prefix} sso`]);
    expect(await publicTags(collection.slug, sourceOnly.slug)).toEqual([`${prefix} sso`]);
    expect(await publicTags(collection.slug, targetOnly.slug)).toEqual([`${prefix} sso`]);
    expect(await publicTags(collection.slug, untouched.slug)).toEqual([`${prefix} webhooks`]);
    const mine = (await listTags(handle.db)).filter((t) => t.name.startsWith(prefix));
    expect(mine.map((t) => [t.name, t.articleCount])).toEqual([
      [`${prefix} sso`, 3],
      [`${prefix} webhooks`, 1],
    ]);
  });

  it("refuses merging a tag into itself or into a tag that does not exist", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const prefix = uniqueSlug("t");
    await makeArticle(handle.db, people.staff, collection.id, {
      tags: [`${prefix} one`],
    });
    const tag = await tagNamed(`${prefix} one`);
    expect(await mergeTags(handle.db, asActor(people.staff), tag.id, tag.id)).toEqual({
      ok: false,
      fieldErrors: { targetId: ["adminKb.tags.error.mergeSelf"] },
    });
    expect(await mergeTags(handle.db, asActor(people.staff), tag.id, 999_999)).toEqual({
      ok: false,
      fieldErrors: { targetId: ["adminKb.tags.error.targetMissing"] },
    });
    expect(await mergeTags(handle.db, asActor(people.staff), 999_999, tag.id)).toEqual({ ok: false, reason: "not_found" });
    expect((await tagNamed(`${prefix} one`)).articleCount).toBe(1);
  });
});

describe("deleting a tag", () => {
  it("removes the tag from its articles, which stay published with their other tags", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const prefix = uniqueSlug("t");
    const article = await makeArticle(handle.db, people.staff, collection.id, {
      title: "Keeps living",
      tags: [`${prefix} legacy`, `${prefix} keep`],
    });
    const legacy = await tagNamed(`${prefix} legacy`);

    expect(await deleteTag(handle.db, asActor(people.admin), legacy.id)).toEqual({ ok: true, articleCount: 1 });

    const page = await getArticleBySlug(handle.db, null, collection.slug, article.slug);
    expect(page).toMatchObject({ id: article.id, title: "Keeps living" });
    expect(await publicTags(collection.slug, article.slug)).toEqual([`${prefix} keep`]);
    expect((await listTags(handle.db)).some((t) => t.id === legacy.id)).toBe(false);
    expect(await deleteTag(handle.db, asActor(people.admin), legacy.id)).toEqual({ ok: false, reason: "not_found" });
  });
});

describe("authorization", () => {
  it("refuses members and moderators every tag command and changes nothing", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const prefix = uniqueSlug("t");
    const article = await makeArticle(handle.db, people.staff, collection.id, {
      tags: [`${prefix} a`, `${prefix} b`],
    });
    const a = await tagNamed(`${prefix} a`);
    const b = await tagNamed(`${prefix} b`);
    for (const user of [people.member, people.moderator]) {
      const actor = asActor(user);
      expect(await renameTag(handle.db, actor, a.id, { name: "hijacked" })).toEqual({ ok: false, reason: "forbidden" });
      expect(await mergeTags(handle.db, actor, a.id, b.id)).toEqual({
        ok: false,
        reason: "forbidden",
      });
      expect(await deleteTag(handle.db, actor, a.id)).toEqual({
        ok: false,
        reason: "forbidden",
      });
      expect(
        await updateCollection(handle.db, actor, collection.id, {
          slug: "hijacked",
          nameEn: "x",
          nameJa: "x",
          descriptionEn: "",
          descriptionJa: "",
          position: 0,
        })
      ).toEqual({ ok: false, reason: "forbidden" });
    }
    expect(await publicTags(collection.slug, article.slug)).toEqual([`${prefix} a`, `${prefix} b`]);
    expect((await listCollections(handle.db)).find((c) => c.id === collection.id)?.slug).toBe(collection.slug);
  });
});

describe("editing a collection", () => {
  it("keeps the old URL of every article working with a redirect after the collection's slug changes", async () => {
    const collection = await makeCollection(handle.db, people.staff, {
      nameEn: "Billing",
    });
    const first = await makeArticle(handle.db, people.staff, collection.id, {
      title: "Download invoices",
    });
    const draft = await makeArticle(handle.db, people.staff, collection.id, {
      title: "Change plan",
      publish: false,
    });
    const other = await makeCollection(handle.db, people.staff);
    const elsewhere = await makeArticle(handle.db, people.staff, other.id, {
      title: "Download invoices",
    });
    const renamed = uniqueSlug("billing");

    expect(
      await updateCollection(handle.db, asActor(people.staff), collection.id, {
        slug: renamed,
        nameEn: "Billing and plans",
        nameJa: "請求とプラン",
        descriptionEn: "Invoices, seats and plans.",
        descriptionJa: "請求書・シート・プラン",
        position: 3,
      })
    ).toEqual({ ok: true });

    expect(await getArticleBySlug(handle.db, null, collection.slug, first.slug)).toEqual({ redirectTo: `/kb/${renamed}/${first.slug}` });
    expect(await getArticleBySlug(handle.db, null, renamed, first.slug)).toMatchObject({
      id: first.id,
      collection: {
        slug: renamed,
        nameEn: "Billing and plans",
        nameJa: "請求とプラン",
      },
    });
    // A draft in the collection stays hidden at its old address, and redirects once it is published.
    expect(await getArticleBySlug(handle.db, null, collection.slug, draft.slug)).toBeNull();
    expect(await publishArticle(handle.db, asActor(people.staff), draft.id)).toMatchObject({ ok: true });
    expect(await getArticleBySlug(handle.db, null, collection.slug, draft.slug)).toEqual({ redirectTo: `/kb/${renamed}/${draft.slug}` });
    // Another collection's article with the same slug is untouched.
    expect(await getArticleBySlug(handle.db, null, other.slug, elsewhere.slug)).toMatchObject({ id: elsewhere.id });
    expect((await listCollections(handle.db)).find((c) => c.id === collection.id)).toMatchObject({
      slug: renamed,
      position: 3,
      descriptionJa: "請求書・シート・プラン",
    });
  });

  it("refuses a slug another collection uses, on the slug field", async () => {
    const a = await makeCollection(handle.db, people.staff);
    const b = await makeCollection(handle.db, people.staff);
    expect(
      await updateCollection(handle.db, asActor(people.staff), a.id, {
        slug: b.slug,
        nameEn: "A",
        nameJa: "A",
        descriptionEn: "",
        descriptionJa: "",
        position: 0,
      })
    ).toEqual({
      ok: false,
      fieldErrors: { slug: ["kb.form.collectionSlugTaken"] },
    });
    expect(
      await updateCollection(handle.db, asActor(people.staff), a.id, {
        slug: "Not A Slug",
        nameEn: "A",
        nameJa: "A",
        descriptionEn: "",
        descriptionJa: "",
        position: 0,
      })
    ).toEqual({ ok: false, fieldErrors: { slug: ["kb.form.slugInvalid"] } });
    expect((await listCollections(handle.db)).find((c) => c.id === a.id)?.slug).toBe(a.slug);
  });
});

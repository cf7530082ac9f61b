// The one place kb URLs are spelled out; reads return these paths, pages link to them, the sitemap lists them.
// Slugs match KB_SLUG_PATTERN (lower-case ASCII and hyphens), so they need no escaping.

export function kbCollectionPath(collectionSlug: string): string {
  return `/kb/${collectionSlug}`;
}

export function kbArticlePath(collectionSlug: string, slug: string): string {
  return `/kb/${collectionSlug}/${slug}`;
}

/** A post's body. The HTML was sanitized with the renderer's allow-list when it was saved; never rendered per request. */
export function PostBody({ html, locale }: { html: string; locale?: string }) {
  return <div className="prose post-body" lang={locale} dangerouslySetInnerHTML={{ __html: html }} />;
}

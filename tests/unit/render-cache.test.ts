import { afterEach, describe, expect, it, vi } from "vitest";
import { cachedRender, renderCacheKey, storeRender } from "../../app/render-cache.server";

afterEach(() => {
  vi.useRealTimers();
});

describe("memoized rendering for signed-out pages", () => {
  it("reuses a render only for the same URL and loader data, with the new request's nonce", () => {
    const key = renderCacheKey("http://x.test/kb/a", { article: { title: "A" } });
    expect(renderCacheKey("http://x.test/kb/a", { article: { title: "B" } })).not.toBe(key);
    expect(renderCacheKey("http://x.test/kb/b", { article: { title: "A" } })).not.toBe(key);
    expect(cachedRender(key, "n2")).toBeNull();

    storeRender(key, `<script nonce="first-nonce-123">x</script><link nonce="first-nonce-123">`, "first-nonce-123");
    const reused = cachedRender(key, "second-nonce-456");
    expect(reused).toBe(`<script nonce="second-nonce-456">x</script><link nonce="second-nonce-456">`);
    expect(reused).not.toContain("first-nonce-123");
  });

  it("forgets a render after a minute, and never caches without a nonce", () => {
    vi.useFakeTimers();
    const key = renderCacheKey("http://x.test/old", {});
    storeRender(key, `<p nonce="abc">old</p>`, "abc");
    expect(cachedRender(key, "def")).toContain("old");
    vi.advanceTimersByTime(61_000);
    expect(cachedRender(key, "def")).toBeNull();

    const bare = renderCacheKey("http://x.test/bare", {});
    storeRender(bare, "<p>no nonce</p>", "");
    expect(cachedRender(bare, "x")).toBeNull();
  });
});

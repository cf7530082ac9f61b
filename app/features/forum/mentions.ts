/**
 * `@handle` mentions in forum markdown. Pure, so the notifier and tests share one reading of the rules:
 * handles as users choose them (HANDLE_PATTERN: 3–30 of a–z, 0–9, _; matched case-insensitively),
 * nothing inside code (fenced or indented blocks, inline code spans) because code is full of `@decorators`
 * and `user@host`, not inside e-mail addresses or URLs (a word character, `.`, `/` or another `@` before the `@`),
 * and at most MAX_MENTIONS_PER_POST distinct handles per post so one post cannot page the whole community.
 */

export const MAX_MENTIONS_PER_POST = 10;

const FENCED_BLOCK = /^( {0,3})(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:\n {0,3}\2[`~]*[ \t]*(?=\n|$)|$)/gm;
// An indented code block: lines indented four spaces (or a tab) after a blank line or at the start.
const INDENTED_BLOCK = /(^|\n[ \t]*\n)((?:(?: {4}|\t)[^\n]*(?:\n|$))+)/g;
const CODE_SPAN = /(`+)[\s\S]*?\1/g;
const MENTION = /(^|[^\w@./\\])@([a-z0-9_]{3,30})(?![\w@])/gi;

/** Distinct lower-cased handles mentioned in `markdown`, in order of first mention, capped at MAX_MENTIONS_PER_POST. */
export function extractMentions(markdown: string): string[] {
  const text = markdown
    .replace(/\r\n?/g, "\n")
    .replace(FENCED_BLOCK, "\n")
    .replace(INDENTED_BLOCK, "$1")
    .replace(CODE_SPAN, " ");
  const handles: string[] = [];
  for (const match of text.matchAll(MENTION)) {
    const handle = match[2]!.toLowerCase();
    if (!handles.includes(handle)) handles.push(handle);
    if (handles.length >= MAX_MENTIONS_PER_POST) break;
  }
  return handles;
}

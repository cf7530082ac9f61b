/**
 * A message catalog for one area of the UI: English is the source of truth for the keys and the
 * Japanese catalog must have exactly the same keys (the compiler enforces it).
 * `{name}` placeholders are filled by translate().
 */
export function defineMessages<const En extends Record<string, string>>(en: En, ja: { [K in keyof En]: string }) {
  return { en, ja };
}

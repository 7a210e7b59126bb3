/**
 * A `string.pattern` of the schema as a platform RegExp. protovalidate matches patterns with RE2
 * (`@bufbuild/re2`), about 2 µs a string; a RegExp takes a fraction of that. Only a small
 * subset is translated, one where the two engines provably agree: anchors `^` `$`, literal ASCII
 * letters, digits, `_` and `-`, classes of such characters and ranges (no negation), and the
 * quantifiers `? * + {n} {n,} {n,m}`. Every atom matches one ASCII character, so UTF-8 code points
 * (RE2) and UTF-16 units (RegExp) count alike, and `$` without flags means the end of the text
 * in both. Anything else is not translated, and the caller leaves such a pattern to protovalidate.
 *
 * @module
 */

const LITERAL = "[A-Za-z0-9_-]";
const CLASS_ITEM = "[A-Za-z0-9_](?:-[A-Za-z0-9_])?";
const QUANTIFIER = "(?:[?*+]|\\{\\d{1,3}(?:,\\d{0,3})?\\})";
/** The translated subset: a sequence of anchors and quantified literals or classes. */
const SUBSET = new RegExp(
  `^(?:\\^|\\$|(?:${LITERAL}|\\[(?:${CLASS_ITEM})+\\])${QUANTIFIER}?)*$`,
);
/** RE2's largest repetition count; a larger one does not compile there. */
const MAX_REPEAT = 1000;

/** A RegExp matching exactly the strings RE2 matches with `pattern`, or undefined if unsure. */
export function regExpForRe2Pattern(pattern: string): RegExp | undefined {
  if (!SUBSET.test(pattern)) return undefined;
  for (const [, n] of pattern.matchAll(/(\d+)(?=[,}])/g)) {
    if (Number(n) > MAX_REPEAT) return undefined;
  }
  try {
    return new RegExp(pattern);
  } catch {
    return undefined; // e.g. a reversed range or {3,2}: RE2 refuses these too, let it say so
  }
}

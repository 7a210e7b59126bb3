import { equal, ok } from "node:assert/strict";
import { regExpForRe2Pattern } from "./re2_pattern.ts";

Deno.test("patterns of the translated subset become RegExps with the same anchoring", () => {
  for (const pattern of ["^[0-9a-f]{32}$", "^[0-9a-f]{16}$", "ab-c", "^x[A-Z_]*$", "a{2,}b{1,3}"]) {
    ok(regExpForRe2Pattern(pattern), pattern);
  }
  const hex = regExpForRe2Pattern("^[0-9a-f]{4}$")!;
  equal(hex.test("00af"), true);
  equal(hex.test("00af\n"), false, "RE2's $ is the end of the text, not before a final newline");
  equal(hex.test("00aF"), false);
  equal(hex.test("00a"), false);
});

Deno.test("anything outside the subset is left to protovalidate", () => {
  const outside = [
    "^(a|b)$", // groups and alternation
    "^.{3}$", // "." counts code points in RE2, UTF-16 units in a RegExp
    "^[^a]$", // negated classes match non-ASCII
    "\\d+", // escapes
    "(?i)abc", // flags
    "a{1001}", // beyond RE2's repeat limit
    "a{3,2}", // reversed bounds
    "[z-a]", // reversed range
    "a+?", // lazy quantifier
    "^*", // a quantified anchor
  ];
  for (const pattern of outside) equal(regExpForRe2Pattern(pattern), undefined, pattern);
});

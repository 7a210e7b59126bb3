import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { utmFromUrl } from "./utm.ts";

Deno.test("UTM parameters are read from the page URL", () => {
  const utm = utmFromUrl(
    "https://shop.example.com/p?utm_source=news%20letter&utm_medium=email&utm_campaign=spring&utm_term=shoes&utm_content=a&x=1",
  );
  assertEquals(
    [utm?.source, utm?.medium, utm?.campaign, utm?.term, utm?.content],
    ["news letter", "email", "spring", "shoes", "a"],
  );
});

Deno.test("no UTM parameters, an empty one or no URL give undefined", () => {
  assertEquals(utmFromUrl("https://shop.example.com/p?x=1"), undefined);
  assertEquals(utmFromUrl("https://shop.example.com/p?utm_source="), undefined);
  assertEquals(utmFromUrl("/relative?utm_source=x"), undefined);
  assertEquals(utmFromUrl(""), undefined);
});

Deno.test("property: random values round-trip and stay within 256 characters", () => {
  const alphabet = "abcXYZ019 -_.~&=?#%+/éü日本🙂";
  for (let i = 0; i < 2000; i++) {
    const length = Math.floor(Math.random() * 300);
    const value = Array.from(
      { length },
      () => Array.from(alphabet)[Math.floor(Math.random() * Array.from(alphabet).length)],
    ).join("");
    const url = `https://e.example/?utm_campaign=${encodeURIComponent(value)}`;
    const expected = Array.from(value.trim()).slice(0, 256).join("");
    assertEquals(utmFromUrl(url)?.campaign, expected === "" ? undefined : expected);
  }
});

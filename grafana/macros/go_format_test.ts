import assert from "node:assert/strict";
import { goFloat, rfc3339Nano } from "./go_format.ts";

Deno.test("goFloat prints as Go's %v (fmt.Println(1e6) is 1e+06)", () => {
  const cases: [number, string][] = [
    [300, "300"],
    [604_800, "604800"],
    [1_000_000, "1e+06"],
    [1_036_800, "1.0368e+06"],
    [0.02, "0.02"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1.5, "1.5"],
    [1e21, "1e+21"],
  ];
  for (const [value, text] of cases) assert.equal(goFloat(value), text, String(value));
});

Deno.test("rfc3339Nano drops trailing zeros of the fraction", () => {
  assert.equal(rfc3339Nano(new Date("2018-04-12T18:00:00.000Z")), "2018-04-12T18:00:00Z");
  assert.equal(rfc3339Nano(new Date("2018-04-12T18:00:00.120Z")), "2018-04-12T18:00:00.12Z");
});

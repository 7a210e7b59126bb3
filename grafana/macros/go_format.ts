/**
 * Number and time texts exactly as Go's `fmt` and `time` print them, since Grafana's macros are
 * Go format strings.
 *
 * @module
 */

/**
 * A float64 as Go's `%v` prints it: `%g` with the shortest digits, in exponent form when the
 * decimal exponent is below -4 or at least 6 (so 300 stays `300`, 1036800 is `1.0368e+06`).
 */
export function goFloat(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : value < 0 ? "-Inf" : "NaN";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const [mantissa, exponentText] = value.toExponential().split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? "-" : "+";
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return String(value); // fixed notation for these exponents, same shortest digits
}

/** A time as Go's `time.RFC3339Nano` in UTC: no trailing zeros in the fraction, `Z` zone. */
export function rfc3339Nano(time: Date): string {
  const iso = time.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ (years 0-9999)
  const [seconds, fraction] = iso.slice(0, -1).split(".");
  const trimmed = fraction.replace(/0+$/, "");
  return `${seconds}${trimmed ? `.${trimmed}` : ""}Z`;
}

/** Whole seconds since the epoch, rounded down as Go's `Time.Unix` does. */
export function unixSeconds(time: Date): bigint {
  return BigInt(Math.floor(time.getTime() / 1000));
}

/** Nanoseconds since the epoch (`Time.UnixNano`) of a millisecond-precision time. */
export function unixNanos(time: Date): bigint {
  return BigInt(time.getTime()) * 1_000_000n;
}

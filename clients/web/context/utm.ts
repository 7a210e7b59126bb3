/**
 * Campaign parameters (`utm_source`, `utm_medium`, `utm_campaign`, `utm_term`, `utm_content`)
 * from a page URL, as the web context's `utm` carries them.
 *
 * @module
 */
import type { UtmJson } from "@analytics/schema";

const FIELDS = ["source", "medium", "campaign", "term", "content"] as const;

/** The UTM parameters of `url`, or undefined when it has none. */
export function parseUtm(url: string | URL): UtmJson | undefined {
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    return undefined;
  }
  const utm: UtmJson = {};
  let found = false;
  for (const field of FIELDS) {
    const value = params.get(`utm_${field}`)?.trim().slice(0, 256);
    if (value) {
      utm[field] = value;
      found = true;
    }
  }
  return found ? utm : undefined;
}

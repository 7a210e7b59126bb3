import { create } from "@bufbuild/protobuf";
import { type Utm, UtmSchema } from "@analytics/schema";

/** Longest UTM value the schema allows (Utm fields' max_len). */
const MAX_UTM_LENGTH = 256;

const PARAMS = {
  source: "utm_source",
  medium: "utm_medium",
  campaign: "utm_campaign",
  term: "utm_term",
  content: "utm_content",
} as const;

/**
 * The campaign parameters (`utm_source`, `utm_medium`, `utm_campaign`, `utm_term`,
 * `utm_content`) of a page URL, or undefined when it has none or is not a URL. Values are
 * decoded and cut to the schema's 256 characters.
 */
export function utmFromUrl(url: string): Utm | undefined {
  if (!url.includes("utm_")) return undefined;
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    return undefined;
  }
  const utm = create(UtmSchema);
  let found = false;
  for (const [field, param] of Object.entries(PARAMS) as [keyof typeof PARAMS, string][]) {
    const value = params.get(param)?.trim();
    if (value) {
      utm[field] = Array.from(value).slice(0, MAX_UTM_LENGTH).join("");
      found = true;
    }
  }
  return found ? utm : undefined;
}

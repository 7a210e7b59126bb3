/**
 * Web sessions: a landing page view (referrer, UTM campaign), then page views, clicks, searches
 * and form submits on a small shop site, all from one browser.
 *
 * @module
 */
import { Channel, type Event } from "@analytics/schema";
import { type GeneratorContext, sessionEvent, startSession } from "./session.ts";

const SITE = "https://shop.example.com";

const PAGES = [
  { path: "/", title: "Home" },
  { path: "/pricing", title: "Pricing" },
  { path: "/products", title: "All products" },
  { path: "/products/trail-runner-3", title: "Trail Runner 3" },
  { path: "/products/city-jacket", title: "City Jacket" },
  { path: "/products/merino-socks", title: "Merino Socks" },
  { path: "/blog/choosing-running-shoes", title: "Choosing running shoes" },
  { path: "/cart", title: "Your cart" },
  { path: "/checkout", title: "Checkout" },
  { path: "/contact", title: "Contact us" },
] as const;

const BUTTONS = ["add_to_cart", "buy_now", "newsletter_signup", "open_menu", "size_guide", "share"];
const FORMS = ["newsletter", "contact", "checkout", "login"];
const QUERIES = ["running shoes", "rain jacket", "socks wool", "gift card", "returns policy"];

const REFERRERS: readonly (readonly [string, number])[] = [
  ["", 4],
  ["https://www.google.com/", 5],
  ["https://duckduckgo.com/", 1],
  ["https://news.ycombinator.com/", 1],
  ["https://www.facebook.com/", 1],
  ["https://t.co/", 1],
];

const CAMPAIGNS = [
  { source: "google", medium: "cpc", campaign: "spring_sale", term: "trail shoes" },
  { source: "newsletter", medium: "email", campaign: "weekly_42", term: "" },
  { source: "facebook", medium: "social", campaign: "brand_awareness", term: "" },
];

/** Browser user agents with how often each is seen; one in fifty visits is a crawler. */
export const USER_AGENTS: readonly (readonly [string, number])[] = [
  [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    40,
  ],
  [
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    20,
  ],
  [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    20,
  ],
  ["Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0", 8],
  [
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
    10,
  ],
  ["Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 2],
];

const LOCALES = [
  ["en-US", "America/New_York"],
  ["en-GB", "Europe/London"],
  [
    "de-DE",
    "Europe/Berlin",
  ],
  ["fr-FR", "Europe/Paris"],
  ["ja-JP", "Asia/Tokyo"],
] as const;

const VIEWPORTS = [[1920, 1080, 1920, 1080], [1440, 789, 1440, 900], [390, 664, 390, 844], [
  412,
  780,
  412,
  915,
]] as const;

/** Yields the events of one web session (3 to 25 events). */
export function* webSession(ctx: GeneratorContext): Generator<Event> {
  const { random } = ctx;
  const session = startSession(ctx, Channel.WEB, "web", 0.3);
  const userAgent = random.weighted(USER_AGENTS);
  const [locale, timezone] = random.pick(LOCALES);
  const [vw, vh, sw, sh] = random.pick(VIEWPORTS);
  const client = {
    userAgent,
    libraryName: "@analytics/web",
    libraryVersion: "0.1.0",
    clientVersion: "2024.06.1",
    locale,
    timezone,
    doNotTrack: random.chance(0.05),
  };
  const campaign = random.chance(0.3) ? random.pick(CAMPAIGNS) : undefined;
  let referrer = random.weighted(REFERRERS);
  let page: (typeof PAGES)[number] = random.pick(PAGES.slice(0, 7));
  const landingQuery = campaign
    ? `?utm_source=${campaign.source}&utm_medium=${campaign.medium}&utm_campaign=${campaign.campaign}` +
      (campaign.term ? `&utm_term=${encodeURIComponent(campaign.term)}` : "")
    : "";
  let url = `${SITE}${page.path}${landingQuery}`;
  const sendsUtm = random.chance(0.5);
  const web = () => ({
    url,
    path: page.path,
    pageTitle: page.title,
    referrer,
    // Half the clients send the campaign themselves; for the others the ingest reads the URL.
    utm: campaign && sendsUtm && url.includes("utm_source=")
      ? {
        source: campaign.source,
        medium: campaign.medium,
        campaign: campaign.campaign,
        term: campaign.term,
      }
      : undefined,
    viewportWidth: vw,
    viewportHeight: vh,
    screenWidth: sw,
    screenHeight: sh,
  });
  const envelope = () => ({
    resourceId: url,
    resourceTitle: page.title,
    client,
    context: { case: "web" as const, value: web() },
  });

  yield sessionEvent(ctx, session, {
    ...envelope(),
    eventType: "page_view",
    eventCategory: "navigation",
  });
  const steps = random.int(2, 24);
  for (let i = 0; i < steps; i++) {
    const kind = random.weighted(
      [
        ["page_view", 4],
        ["button_click", 3],
        ["link_click", 2],
        [
          "search",
          1,
        ],
        ["form_submit", 1],
        ["scroll_depth", 1],
      ] as const,
    );
    if (kind === "page_view" || kind === "link_click") {
      const next = random.pick(PAGES);
      if (kind === "link_click") {
        yield sessionEvent(ctx, session, {
          ...envelope(),
          eventType: "link_click",
          eventCategory: "interaction",
          interactionTarget: `a[href="${next.path}"]`,
          interactionText: next.title,
        });
      }
      referrer = url;
      page = next;
      url = `${SITE}${page.path}`;
      yield sessionEvent(ctx, session, {
        ...envelope(),
        eventType: "page_view",
        eventCategory: "navigation",
      });
    } else if (kind === "button_click") {
      yield sessionEvent(ctx, session, {
        ...envelope(),
        eventType: "button_click",
        eventCategory: "interaction",
        interactionTarget: random.pick(BUTTONS),
      });
    } else if (kind === "search") {
      const query = random.pick(QUERIES);
      yield sessionEvent(ctx, session, {
        ...envelope(),
        eventType: "search",
        eventCategory: "interaction",
        interactionTarget: "site_search",
        interactionText: query,
        interactionValue: random.int(0, 40),
        properties: { results: random.int(0, 40) },
      });
    } else if (kind === "form_submit") {
      const form = random.pick(FORMS);
      yield sessionEvent(ctx, session, {
        ...envelope(),
        eventType: "form_submit",
        eventCategory: "conversion",
        interactionTarget: `form#${form}`,
        properties: { form, fields: random.int(1, 8), valid: random.chance(0.9) },
      });
    } else {
      yield sessionEvent(ctx, session, {
        ...envelope(),
        eventType: "scroll_depth",
        eventCategory: "engagement",
        interactionValue: random.pick([25, 50, 75, 100]),
      });
    }
  }
}

/**
 * Headless Chromium for the browser tests: Debian's `chromium` (installed by
 * `deploy/chromium/start.sh`, called from `deploy/up.sh`) driven by playwright-core, with the
 * flags of the design notes (§8), a fresh profile in a temporary folder per launch, and
 * screenshots saved as test artifacts under `.data/artifacts/` (git-ignored; see docs/ci.md).
 *
 * @example
 * ```ts
 * await using chromium = await launchChromium();
 * const page = await chromium.newPage();
 * await page.goto("http://127.0.0.1:8080/");
 * await saveScreenshot(page, "demo_site_home");
 * ```
 *
 * @module
 */
import { type BrowserContext, chromium, type Page } from "playwright-core";

/** Where Debian installs chromium; `CHROMIUM_PATH` overrides it. */
export const DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium";

/** Flags every launch passes: headless, no sandbox (CI runs as root), nothing talking home. */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

/** The repository's `.data/artifacts/` folder, where tests leave screenshots for people. */
export const ARTIFACTS_DIR = new URL("../../.data/artifacts/", import.meta.url).pathname;

/** Options of {@linkcode launchChromium}. */
export interface LaunchChromiumOptions {
  /** The browser binary; default `CHROMIUM_PATH` from the environment, else /usr/bin/chromium. */
  executablePath?: string;
  /** Extra command-line flags, after {@linkcode CHROMIUM_FLAGS}. */
  args?: string[];
  /** Viewport of every page; default 1280×800. */
  viewport?: { width: number; height: number };
}

/** A running headless Chromium with its own throw-away profile. */
export interface LaunchedChromium extends AsyncDisposable {
  /** The browser's single context (persistent, on the temporary profile). */
  readonly context: BrowserContext;
  /** The temporary `--user-data-dir`, removed by {@linkcode LaunchedChromium.close}. */
  readonly userDataDir: string;
  /** Messages of `console.error` calls and uncaught page errors, from every page, in order. */
  readonly pageErrors: string[];
  /** Opens a new tab. */
  newPage(): Promise<Page>;
  /** Closes the browser and removes its profile folder; safe to call twice. */
  close(): Promise<void>;
}

/** Path of the chromium binary the tests use: `CHROMIUM_PATH`, else /usr/bin/chromium. */
export function chromiumPath(): string {
  return Deno.env.get("CHROMIUM_PATH") || DEFAULT_CHROMIUM_PATH;
}

/** True when the chromium binary exists (tests outside CI may skip without it). */
export function chromiumAvailable(executablePath = chromiumPath()): boolean {
  try {
    return Deno.statSync(executablePath).isFile;
  } catch {
    return false;
  }
}

/**
 * Launches headless Chromium on a fresh temporary profile. Fails with a message naming the
 * binary and `deploy/up.sh chromium` when it is missing.
 */
export async function launchChromium(
  options: LaunchChromiumOptions = {},
): Promise<LaunchedChromium> {
  const executablePath = options.executablePath ?? chromiumPath();
  if (!chromiumAvailable(executablePath)) {
    throw new Error(
      `chromium not found at ${executablePath}: run bash deploy/up.sh chromium (or set CHROMIUM_PATH)`,
    );
  }
  const userDataDir = await Deno.makeTempDir({ prefix: "chromium-profile-" });
  let context: BrowserContext;
  try {
    // Playwright refuses --user-data-dir among the args: a persistent context is how it takes one.
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_FLAGS, ...(options.args ?? [])],
      viewport: options.viewport ?? { width: 1280, height: 800 },
      // Debian's wrapper and the browser write noise to stderr; failures surface as exceptions.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (error) {
    await Deno.remove(userDataDir, { recursive: true }).catch(() => {});
    throw new Error(`chromium at ${executablePath} did not start: ${error}`, { cause: error });
  }
  const pageErrors: string[] = [];
  const watch = (page: Page) => {
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(message.text());
    });
    page.on("pageerror", (error) => pageErrors.push(String(error)));
  };
  context.pages().forEach(watch);
  context.on("page", watch);
  let closed: Promise<void> | undefined;
  const close = () =>
    closed ??= (async () => {
      try {
        await context.close();
      } finally {
        await Deno.remove(userDataDir, { recursive: true }).catch(() => {});
      }
    })();
  return {
    context,
    userDataDir,
    pageErrors,
    newPage: () => context.newPage(),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * Saves a full-page PNG of `page` as `.data/artifacts/<name>.png` (the name is made safe for a
 * file name) and returns its path.
 */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, "_");
  await Deno.mkdir(ARTIFACTS_DIR, { recursive: true });
  const path = `${ARTIFACTS_DIR}${safe}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

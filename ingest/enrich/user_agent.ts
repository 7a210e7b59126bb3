import UAParser from "ua-parser-js";
import { create } from "@bufbuild/protobuf";
import { type UserAgent, UserAgentSchema } from "@analytics/schema";

/** What ua-parser-js 1.x (MIT) returns; its bundled typings do not describe the class. */
interface ParsedUserAgent {
  browser: { name?: string; version?: string };
  os: { name?: string; version?: string };
  device: { type?: string; vendor?: string; model?: string };
}

const Parser = UAParser as unknown as new (ua: string) => { getResult(): ParsedUserAgent };

/** Operating systems of desktop computers, for user agents that name no device type. */
const DESKTOP_OS = new Set([
  "Windows",
  "Mac OS",
  "macOS",
  "Linux",
  "Ubuntu",
  "Debian",
  "Fedora",
  "Chromium OS",
  "FreeBSD",
  "OpenBSD",
  "NetBSD",
  "Solaris",
  "Mint",
  "Arch",
  "Gentoo",
  "SUSE",
  "Red Hat",
  "CentOS",
]);

type UserAgentFields = Omit<UserAgent, "$typeName" | "$unknown">;

/**
 * Parses user agent strings, remembering the last `capacity` distinct ones: real traffic repeats
 * a few hundred strings, and parsing one costs tens of microseconds.
 */
export function createUserAgentParser(capacity = 2048): (ua: string) => UserAgent | undefined {
  const cache = new Map<string, UserAgentFields | undefined>();
  return (ua) => {
    if (ua === "") return undefined;
    let fields = cache.get(ua);
    if (fields === undefined && !cache.has(ua)) {
      fields = parse(ua);
      if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
      cache.set(ua, fields);
    }
    return fields === undefined ? undefined : create(UserAgentSchema, fields);
  };
}

function parse(ua: string): UserAgentFields | undefined {
  const { browser, os, device } = new Parser(ua).getResult();
  const fields: UserAgentFields = {
    browserName: browser.name ?? "",
    browserVersion: browser.version ?? "",
    osName: os.name ?? "",
    osVersion: os.version ?? "",
    deviceType: device.type ?? (os.name && DESKTOP_OS.has(os.name) ? "desktop" : ""),
    deviceVendor: device.vendor ?? "",
    deviceModel: device.model ?? "",
  };
  return Object.values(fields).some((v) => v !== "") ? fields : undefined;
}

import type { Event } from "@analytics/schema";

/** What kind of id a suppression entry names. */
export type SuppressedKind = "user" | "anonymous";

/** One id that events must no longer carry, and the deletion that added it. */
export interface SuppressionEntry {
  /** The suppressed id (a user id, or an anonymous id linked to a deleted user). */
  id: string;
  kind: SuppressedKind;
  /** The deletion that added it. */
  deletionId: string;
  /** When it was added, in milliseconds since the epoch. */
  at: number;
}

/** The suppression topic of an event topic: `<topic>.suppressions` (compacted, kept forever). */
export function suppressionTopicOf(topic: string): string {
  return `${topic}.suppressions`;
}

/** Encodes an entry as the JSON kept in the suppression topic or file. */
export function encodeEntry(entry: SuppressionEntry): string {
  return JSON.stringify({
    id: entry.id,
    kind: entry.kind,
    deletion_id: entry.deletionId,
    at: new Date(entry.at).toISOString(),
  });
}

/** Decodes an entry; throws naming the problem when `text` is not one. */
export function decodeEntry(text: string): SuppressionEntry {
  const value = JSON.parse(text);
  if (
    typeof value?.id !== "string" || value.id === "" ||
    (value.kind !== "user" && value.kind !== "anonymous") ||
    typeof value.deletion_id !== "string" || typeof value.at !== "string" ||
    Number.isNaN(Date.parse(value.at))
  ) {
    throw new Error(`not a suppression entry: ${text.slice(0, 200)}`);
  }
  return {
    id: value.id,
    kind: value.kind,
    deletionId: value.deletion_id,
    at: Date.parse(value.at),
  };
}

/**
 * The field of `event` that carries a suppressed id (`user_id` or `anonymous_id`), or undefined
 * when the event belongs to no suppressed id.
 */
export function suppressedField(
  event: Pick<Event, "userId" | "anonymousId">,
  isSuppressed: (id: string) => boolean,
): "user_id" | "anonymous_id" | undefined {
  if (event.userId !== "" && isSuppressed(event.userId)) return "user_id";
  if (event.anonymousId !== "" && isSuppressed(event.anonymousId)) return "anonymous_id";
  return undefined;
}

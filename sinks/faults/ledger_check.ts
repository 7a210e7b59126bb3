/**
 * Compares the ledger (every event id a client heard "accepted") with what a store holds: nothing
 * lost (every ledger id present), nothing doubled (each present once).
 *
 * @module
 */
import assert from "node:assert/strict";

/** The comparison of one store with the ledger. */
export interface LedgerCheck {
  store: string;
  /** Distinct ids in the ledger. */
  expected: number;
  /** Ledger ids found in the store (at least once). */
  present: number;
  /** Ledger ids absent from the store (a few shown in `missingSample`). */
  missing: number;
  /** Ids stored more than once (ledger or not). */
  duplicated: number;
  /** Rows in the store. */
  rows: number;
  /** Ids stored that no client was told were accepted (a call that failed after publishing). */
  unacknowledged: number;
  missingSample: string[];
  duplicatedSample: string[];
}

/** Compares `ledger` with the per-id row counts of a store. */
export function checkAgainstLedger(
  store: string,
  ledger: readonly string[],
  stored: ReadonlyMap<string, number>,
): LedgerCheck {
  const expected = new Set(ledger);
  const missing: string[] = [];
  for (const id of expected) if (!stored.has(id)) missing.push(id);
  const duplicated: string[] = [];
  let rows = 0;
  let unacknowledged = 0;
  for (const [id, count] of stored) {
    rows += count;
    if (count > 1) duplicated.push(id);
    if (!expected.has(id)) unacknowledged++;
  }
  return {
    store,
    expected: expected.size,
    present: expected.size - missing.length,
    missing: missing.length,
    duplicated: duplicated.length,
    rows,
    unacknowledged,
    missingSample: missing.slice(0, 5),
    duplicatedSample: duplicated.slice(0, 5),
  };
}

/** Per-id counts of a list of ids (as read from a store, duplicates included). */
export function countIds(ids: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

/** One line for test output, e.g. `postgres: 12000 expected, 12000 present, lost 0, ...`. */
export function formatCheck(check: LedgerCheck): string {
  return `${check.store}: ${check.expected} acknowledged ids, ${check.present} present, ` +
    `lost ${check.missing}, duplicated ${check.duplicated}, rows ${check.rows}, ` +
    `unacknowledged extras ${check.unacknowledged}`;
}

/**
 * Asserts exactly-once storage: every store holds each of the `accepted` acknowledged ids once,
 * none missing and none doubled (with samples of the ids in the message when not).
 */
export function assertExactlyOnce(checks: LedgerCheck[], accepted: number): void {
  for (const check of checks) {
    assert.equal(check.missing, 0, `${check.store}: lost ${check.missingSample.join(", ")}`);
    assert.equal(check.duplicated, 0, `${check.store}: doubled ${check.duplicatedSample}`);
    assert.equal(check.expected, accepted, `${check.store}: ids checked`);
  }
}

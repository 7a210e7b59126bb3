/**
 * One queue per browser tab. The tabs of a site share its storage, and a queue is persisted as a
 * whole, so one shared queue would be overwritten by whichever tab wrote last, losing the other
 * tabs' unsent events. So each tab keeps its queue under its own key (`analytics_queue:<tab>`),
 * holds a Web Lock named after it for the life of the page, and lists itself in `analytics_tabs`.
 * A page that opens takes over the queues of listed tabs whose lock is free (their pages are
 * gone), holding each one's lock while it does. The tab id is kept in sessionStorage, so a reload
 * keeps its queue; a duplicated tab (which copies sessionStorage) finds the lock held and takes a
 * new id. Without Web Locks every tab uses the shared key, as the core does by default.
 *
 * @module
 */
import type { StorageAdapter } from "@analytics/client-core/json";

/** The queue key every tab shared before tab queues, and where browsers without locks keep it. */
export const SHARED_QUEUE_KEY = "analytics_queue";
const TABS_KEY = "analytics_tabs";
const TAB_ID_KEY = "analytics_tab_id";
const lockName = (tab: string) => `analytics-tab:${tab}`;
const queueKey = (tab: string) => `${SHARED_QUEUE_KEY}:${tab}`;

/** This tab's queue key, and how to take over the queues of tabs that are gone. */
export interface TabQueue {
  key: string;
  /** Calls `adopt(key)` for each queue a closed tab left (and the shared one); returns the sum. */
  adoptOrphans(adopt: (key: string) => Promise<number>): Promise<number>;
}

/** Claims a queue key for this tab (see the module's description). */
export async function claimTabQueue(storage: StorageAdapter): Promise<TabQueue> {
  const locks = globalThis.navigator?.locks;
  let session: Storage | undefined;
  try {
    session = globalThis.sessionStorage;
  } catch {
    // Storage blocked: no tab identity, the shared key.
  }
  if (!locks || !session) return { key: SHARED_QUEUE_KEY, adoptOrphans: () => Promise.resolve(0) };
  let tab = session.getItem(TAB_ID_KEY);
  if (!tab || !await holdForPageLife(locks, lockName(tab))) {
    tab = crypto.randomUUID();
    await holdForPageLife(locks, lockName(tab));
  }
  session.setItem(TAB_ID_KEY, tab);
  const mine = tab;
  return {
    key: queueKey(mine),
    adoptOrphans: (adopt) =>
      locks.request(TABS_KEY, async () => {
        const listed = JSON.parse((await storage.get(TABS_KEY)) ?? "[]") as string[];
        const live = [mine];
        let adopted = await adopt(SHARED_QUEUE_KEY);
        for (const other of listed) {
          if (other === mine) continue;
          const gone = await locks.request(lockName(other), { ifAvailable: true }, async (lock) => {
            if (!lock) return false;
            adopted += await adopt(queueKey(other));
            return true;
          });
          if (!gone) live.push(other);
        }
        await storage.set(TABS_KEY, JSON.stringify(live));
        return adopted;
      }),
  };
}

/** Takes the lock `name` if free and holds it until the page goes; false when it is held. */
function holdForPageLife(locks: LockManager, name: string): Promise<boolean> {
  return new Promise((resolve) => {
    locks.request(name, { ifAvailable: true }, (lock) => {
      resolve(lock !== null);
      return lock === null ? undefined : new Promise<never>(() => {});
    }).catch(() => resolve(false));
  });
}

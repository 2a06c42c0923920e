import type { CashfreeSim } from '../sim/cashfree.js';
import type { VkycState } from '../src/cashfree/schemas.js';
import type { Store } from '../src/store/store.js';

export const SEED_CHANNEL = 'C0BENCH';

/** The first step of every tracked verification, as `/kyc track` leaves it. */
export const RECEIVED: Omit<VkycState, 'verificationId'> = {
  referenceId: undefined,
  userId: undefined,
  status: 'RECEIVED',
  subStatus: 'LINK_GENERATED',
  linkExpiry: undefined,
  meetingSchedule: undefined,
  hasRecording: false,
};

export function benchId(prefix: string, index: number): string {
  return `${prefix}_${String(index).padStart(6, '0')}`;
}

/**
 * Seeds `count` verifications that a channel tracks, as `/kyc track` leaves them
 * (observed RECEIVED/LINK_GENERATED, tracking with a parent message, due now),
 * through the store API, in outer transactions so 100,000 take seconds, not minutes.
 * The parent ts values are made up: the bench only posts in threads it creates itself.
 */
export function seedTracked(store: Store, ids: readonly string[], nowMs: number): void {
  const batch = store.db.transaction((slice: readonly string[]) => {
    for (const verificationId of slice) {
      store.recordObservation({
        state: { ...RECEIVED, verificationId },
        nowMs,
        finalReason: undefined,
      });
      const claim = store.startTracking({ verificationId, teamId: 'T0SIM', channelId: SEED_CHANNEL, trackedBy: 'U0BENCH', nowMs });
      if (claim.created) store.setParent(claim.id, `1600000000.${String(claim.id).padStart(6, '0')}`, undefined);
    }
  });
  for (let start = 0; start < ids.length; start += 10_000) batch(ids.slice(start, start + 10_000));
}

/** The same verifications in the Cashfree simulator, at the same first step (advanced only on demand). */
export function seedSim(cashfree: CashfreeSim, ids: readonly string[]): void {
  for (const verificationId of ids) cashfree.addVerification({ verification_id: verificationId });
}

import { z } from 'zod';
import type { CashfreeClient, NewVkycUser } from '../cashfree/client.js';
import { CashfreeError, type VkycUser } from '../cashfree/schemas.js';

/**
 * POST /user. Cashfree documents no answer for a customer it already knows; if it refuses with 409 and
 * names the existing user in the error detail, that user is reused rather than failing the start.
 */
export async function createOrReuseUser(cashfree: Pick<CashfreeClient, 'createVkycUser'>, user: NewVkycUser): Promise<VkycUser> {
  try {
    return await cashfree.createVkycUser(user);
  } catch (error) {
    const existing = error instanceof CashfreeError && error.status === 409 ? existingUser(error.detail) : undefined;
    if (existing === undefined) throw error;
    return existing;
  }
}

const existingUserSchema = z.object({ user_reference_id: z.coerce.number().int(), user_id: z.string().min(1) });

function existingUser(detail: Record<string, unknown> | undefined): VkycUser | undefined {
  const parsed = existingUserSchema.safeParse(detail);
  return parsed.success ? { userReferenceId: parsed.data.user_reference_id, userId: parsed.data.user_id } : undefined;
}

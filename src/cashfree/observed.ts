import type { CashfreeClient } from './client.js';

export type CashfreeOperation = 'static_link' | 'vkyc_status' | 'create_user' | 'initiate_vkyc';

/** Wraps a client so every call reports its operation and how it ended (`error` undefined on success). */
export function observeCashfree(
  client: CashfreeClient,
  record: (operation: CashfreeOperation, error: unknown) => void,
): CashfreeClient {
  async function observed<T>(operation: CashfreeOperation, call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      record(operation, undefined);
      return result;
    } catch (error) {
      record(operation, error);
      throw error;
    }
  }
  return {
    generateStaticLink: (template) => observed('static_link', () => client.generateStaticLink(template)),
    createVkycUser: (user) => observed('create_user', () => client.createVkycUser(user)),
    initiateVkyc: (request) => observed('initiate_vkyc', () => client.initiateVkyc(request)),
    getVkycStatus: (lookup, options) => observed('vkyc_status', () => client.getVkycStatus(lookup, options)),
    close: () => client.close(),
  };
}

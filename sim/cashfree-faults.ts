import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CashfreeFault } from './cashfree-errors.js';
import { pause, send, sendJson } from './local-server.js';

/** 'vkyc' is GET /vkyc (status); 'user' is POST /user; 'vkyc-create' is POST /vkyc. */
export type CashfreeOp = 'static-link' | 'vkyc' | 'user' | 'vkyc-create';

interface QueuedFault {
  fault: CashfreeFault;
  op: CashfreeOp | undefined;
  remaining: number;
}

const NGINX_BAD_GATEWAY = (status: number): string =>
  `<html>\r\n<head><title>${status} Bad Gateway</title></head>\r\n<body>\r\n<center><h1>${status} Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

/** A queue of faults; each request takes the first fault whose op matches (a fault without op matches any request). */
export function createFaultQueue() {
  const queue: QueuedFault[] = [];
  return {
    add(fault: CashfreeFault, op: CashfreeOp | undefined, times: number): void {
      queue.push({ fault, op, remaining: times });
    },
    take(op: CashfreeOp | 'other'): CashfreeFault | undefined {
      const index = queue.findIndex((queued) => queued.op === undefined || queued.op === op);
      const queued = queue[index];
      if (!queued) return undefined;
      queued.remaining -= 1;
      if (queued.remaining <= 0) queue.splice(index, 1);
      return queued.fault;
    },
  };
}

/**
 * Serves a fault. Returns true when the response is done (or deliberately never will be);
 * false when the request should now be handled normally (a 'delay' fault).
 */
export async function serveFault(
  fault: CashfreeFault,
  req: IncomingMessage,
  res: ServerResponse,
  closing: AbortSignal,
): Promise<boolean> {
  switch (fault.kind) {
    case 'error':
      sendJson(res, fault.status, fault.body, fault.headers);
      return true;
    case 'html': {
      const status = fault.status ?? 502;
      send(res, status, NGINX_BAD_GATEWAY(status), { 'content-type': 'text/html', server: 'nginx' });
      return true;
    }
    case 'truncated':
      send(res, 200, '{"verification_id": "x", "sta', { 'content-type': 'application/json' });
      return true;
    case 'hang':
      return true;
    case 'close':
      req.socket.destroy();
      return true;
    case 'delay':
      await pause(fault.ms, closing);
      return false;
  }
}

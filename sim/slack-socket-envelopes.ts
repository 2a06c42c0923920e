import { asObject, parseObject } from './slack-socket-frames.js';

export type SocketEnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SocketEnvelopeRecord {
  envelopeId: string;
  type: SocketEnvelopeType;
  payload: Record<string, unknown>;
  sentAt: number;
  /** The id of the connection it went to (see SocketConnectionRecord). */
  connection: number;
  ackedAt?: number;
  /** The ack's payload object; {} when the ack carried none. A repeated ack leaves the first in place. */
  ack?: Record<string, unknown>;
}

/** A text frame the client sent: acks, and anything else. */
export interface SocketFrameRecord {
  connection: number;
  at: number;
  text: string;
  /** The frame parsed, when it is a JSON object. */
  json?: Record<string, unknown>;
}

/** Envelopes sent, frames received, and the acks that tie them together by envelope_id. */
export function createEnvelopeLedger() {
  const envelopes: SocketEnvelopeRecord[] = [];
  const received: SocketFrameRecord[] = [];
  // Survives reset(), so an ack that arrives after a reset still settles the send() waiting for it.
  const sentById = new Map<string, SocketEnvelopeRecord>();
  const ackWaiters = new Map<string, (error?: Error) => void>();
  let unknownAckCount = 0;

  function recordAck(envelopeId: string, payload: unknown): void {
    const record = sentById.get(envelopeId);
    if (!record) {
      unknownAckCount += 1;
      return;
    }
    if (record.ackedAt !== undefined) return;
    record.ackedAt = Date.now();
    record.ack = asObject(payload) ?? {};
    ackWaiters.get(envelopeId)?.();
  }

  return {
    envelopes,
    received,
    unknownAcks: () => unknownAckCount,

    /** Records an envelope about to go out; resolves once it is acked, rejects after ackTimeoutMs. */
    track(record: SocketEnvelopeRecord, ackTimeoutMs: number): Promise<SocketEnvelopeRecord> {
      envelopes.push(record);
      sentById.set(record.envelopeId, record);
      return new Promise((resolve, reject) => {
        const finish = (error?: Error) => {
          clearTimeout(timer);
          ackWaiters.delete(record.envelopeId);
          if (error) reject(error);
          else resolve(record);
        };
        const timer = setTimeout(
          () => finish(new Error(`slack sim: ${record.type} envelope ${record.envelopeId} was not acked within ${ackTimeoutMs} ms`)),
          ackTimeoutMs,
        );
        ackWaiters.set(record.envelopeId, finish);
      });
    },

    recordFrame(connection: number, text: string): void {
      const json = parseObject(text);
      received.push({ connection, at: Date.now(), text, json });
      const envelopeId = json?.['envelope_id'];
      if (typeof envelopeId === 'string') recordAck(envelopeId, json?.['payload']);
    },

    reset(): void {
      envelopes.length = 0;
      received.length = 0;
      unknownAckCount = 0;
    },

    /** Rejects every send() still waiting for an ack, so none hangs past close(). */
    abandonWaiting(reason: string): void {
      for (const finish of ackWaiters.values()) finish(new Error(reason));
    },
  };
}

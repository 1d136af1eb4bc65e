import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type Server } from 'node:http';

import { parseJsonOr, readBody } from '../platform/http-body';
import { verifySignatures } from './verify-signatures';

/**
 * A stand-in for tasksource's webhook receiver on 127.0.0.1: records every request exactly as
 * it arrived, checks both signatures against the configured secret, and answers 200 unless told
 * otherwise: queued answers for the next requests (`respond`), or one answer for every request
 * until changed (`answerAlways`, an outage). An answer is a status, a status with `Retry-After`,
 * `timeout` (no answer until the sender gives up) or `reset` (the connection is dropped).
 */

export type ReceiverAnswer = number | { status: number; retryAfter?: number } | 'timeout' | 'reset';

export interface ReceivedDelivery {
  /** The status answered; null when the receiver did not answer (`timeout`, `reset`). */
  readonly status: number | null;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly raw: string;
  readonly body: unknown;
  readonly verified: boolean;
}

export class TasksourceReceiver {
  readonly deliveries: ReceivedDelivery[] = [];
  secret: string | undefined;
  private readonly answers: ReceiverAnswer[] = [];
  private steady: ReceiverAnswer = 200;
  private listeners: ((delivery: ReceivedDelivery) => void)[] = [];
  private server: Server | undefined;
  url = '';

  static async start(): Promise<TasksourceReceiver> {
    const receiver = new TasksourceReceiver();
    await receiver.listen();
    return receiver;
  }

  /** Answers the next requests with these, then the steady answer (200 unless an outage) again. */
  respondWith(...answers: ReceiverAnswer[]): void {
    this.answers.push(...answers);
  }

  /** Answers every request with `answer` until changed; `200` ends an outage. */
  answerAlways(answer: ReceiverAnswer): void {
    this.steady = answer;
  }

  onDelivery(listener: (delivery: ReceivedDelivery) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;

    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async listen(): Promise<void> {
    const server = createServer((request, response) => {
      void readBody(request).then((raw) => {
        const answer = this.answers.shift() ?? this.steady;
        const delivery = this.record(request, raw, answer);
        if (answer === 'reset') return request.socket.destroy();
        if (answer === 'timeout') return;

        const { status, retryAfter } =
          typeof answer === 'number' ? { status: answer, retryAfter: undefined } : answer;
        response.writeHead(status, {
          'content-type': 'application/json',
          ...(retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }),
        });
        response.end(JSON.stringify({ received: status < 300 }));
        return delivery;
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  private record(request: IncomingMessage, raw: string, answer: ReceiverAnswer): ReceivedDelivery {
    const headers = lowercaseHeaders(request);
    const check = verifySignatures(this.secret, raw, headers);
    const delivery: ReceivedDelivery = {
      status:
        typeof answer === 'string' ? null : typeof answer === 'number' ? answer : answer.status,
      method: request.method ?? '',
      path: request.url ?? '',
      headers,
      raw,
      body: parseJsonOr(raw, raw),
      verified: check.hub && check.standard,
    };
    this.deliveries.push(delivery);
    for (const listener of this.listeners) listener(delivery);
    return delivery;
  }
}

function lowercaseHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined)
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

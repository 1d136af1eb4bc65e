import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type Server } from 'node:http';

import { parseJsonOr, readBody } from '../platform/http-body';
import { verifySignatures } from './verify-signatures';

/**
 * A stand-in for tasksource's webhook receiver on 127.0.0.1: records every request exactly as
 * it arrived, checks both signatures against the configured secret, and answers 200 unless a
 * test queued other answers.
 */

export interface ReceivedDelivery {
  readonly status: number;
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
  private readonly answers: number[] = [];
  private listeners: ((delivery: ReceivedDelivery) => void)[] = [];
  private server: Server | undefined;
  url = '';

  static async start(): Promise<TasksourceReceiver> {
    const receiver = new TasksourceReceiver();
    await receiver.listen();
    return receiver;
  }

  /** Answers the next requests with these statuses, then 200 again. */
  respondWith(...statuses: number[]): void {
    this.answers.push(...statuses);
  }

  onDelivery(listener: (delivery: ReceivedDelivery) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async listen(): Promise<void> {
    const server = createServer((request, response) => {
      void readBody(request).then((raw) => {
        const delivery = this.record(request, raw);
        response.writeHead(delivery.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ received: delivery.status < 300 }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  private record(request: IncomingMessage, raw: string): ReceivedDelivery {
    const headers = lowercaseHeaders(request);
    const check = verifySignatures(this.secret, raw, headers);
    const delivery: ReceivedDelivery = {
      status: this.answers.shift() ?? 200,
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

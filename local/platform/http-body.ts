import type { IncomingMessage } from 'node:http';

/** The whole body of a request to one of the local servers, as text. */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** JSON when the text is JSON, else `fallback` (the text itself, or undefined). */
export function parseJsonOr<T>(raw: string, fallback: T): unknown {
  try {
    return raw ? JSON.parse(raw) : fallback;
  } catch {
    return fallback;
  }
}

import { STATUS_CODES } from 'node:http';
import { PROBLEM_CONTENT_TYPE, Problem } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import type { HttpResponse, TemplatedApp } from './uws.js';

/** A Web-standard request handler, as Hono's `app.fetch` is; `env.incoming` is what @hono/node-server passes. */
export type FetchHandler = (request: Request, env: { incoming: { socket: { remoteAddress: string } } }) => Response | Promise<Response>;

// Hop-by-hop or recomputed by uWS when it writes the body.
const SKIPPED_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'set-cookie']);
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * Serve every HTTP request that is not a WebSocket upgrade with a fetch handler, so one uWS
 * listener carries both the API and /ws (the `all` role: one port, one origin). Bodies are read
 * up to the limit; responses are written whole, except event streams, which are streamed with
 * backpressure. An aborted request aborts the handler's signal and writes nothing.
 */
export function serveFetch(app: TemplatedApp, handler: FetchHandler, options: { bodyLimitBytes: number; logger: Logger }): void {
  app.any('/*', (res, req) => {
    const method = req.getMethod().toUpperCase();
    const host = req.getHeader('host');
    const query = req.getQuery();
    const url = `http://${HOST.test(host) ? host : 'localhost'}${req.getUrl()}${query ? `?${query}` : ''}`;
    const headers = new Headers();
    req.forEach((key, value) => {
      headers.append(key, value);
    });
    const remoteAddress = Buffer.from(res.getRemoteAddressAsText()).toString();

    // A body declared over the limit is refused on its header, before any of it is read; the
    // connection is closed after the answer rather than drained of what the client still sends.
    if (Number(req.getHeader('content-length')) > options.bodyLimitBytes) {
      writeTooLarge(res, options.bodyLimitBytes);
      return;
    }

    const controller = new AbortController();
    const { signal } = controller;
    res.onAborted(() => controller.abort());

    const body = method === 'GET' || method === 'HEAD' ? Promise.resolve(undefined) : readBody(res, options.bodyLimitBytes);
    body
      .then(async (bytes) => {
        if (signal.aborted) return;
        if (bytes === null) {
          res.cork(() => writeTooLarge(res, options.bodyLimitBytes));
          return;
        }
        const request = new Request(url, { method, headers, signal, ...(bytes ? { body: bytes } : {}) });
        const response = await handler(request, { incoming: { socket: { remoteAddress } } });
        await writeResponse(res, response, method === 'HEAD', signal);
      })
      .catch((err) => {
        if (signal.aborted) return;
        options.logger.error({ err }, 'bridged request failed');
        res.cork(() => {
          res.writeStatus('500 Internal Server Error').end('', true);
        });
      });
  });
}

function writeTooLarge(res: HttpResponse, limitBytes: number): void {
  const problem = new Problem('payload_too_large', { detail: `The limit is ${limitBytes} bytes.` });
  res.writeStatus('413 Payload Too Large').writeHeader('content-type', PROBLEM_CONTENT_TYPE).end(JSON.stringify(problem.toBody()), true);
}

/** The body, or null once it exceeds the limit (the rest is not kept). */
function readBody(res: HttpResponse, limit: number): Promise<Uint8Array | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    res.onData((chunk, isLast) => {
      if (settled) return;
      size += chunk.byteLength;
      if (size > limit) {
        settled = true;
        resolve(null);
        return;
      }
      // uWS reuses the chunk's memory after this callback: copy it.
      chunks.push(Buffer.from(chunk.slice(0)));
      if (isLast) {
        settled = true;
        resolve(Buffer.concat(chunks));
      }
    });
  });
}

async function writeResponse(res: HttpResponse, response: Response, head: boolean, signal: AbortSignal): Promise<void> {
  const streamed = !head && response.body !== null && (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
  const whole = head || streamed || response.body === null ? undefined : new Uint8Array(await response.arrayBuffer());
  if (signal.aborted) {
    await response.body?.cancel().catch(() => {});
    return;
  }
  res.cork(() => {
    res.writeStatus(`${response.status} ${STATUS_CODES[response.status] ?? ''}`);
    response.headers.forEach((value, key) => {
      if (!SKIPPED_HEADERS.has(key)) res.writeHeader(key, value);
    });
    for (const cookie of response.headers.getSetCookie()) res.writeHeader('set-cookie', cookie);
    if (streamed) return;
    // 204, 304 and answers to HEAD end without a body and without a Content-Length: uWS writes
    // whatever length it is handed (a bogus 2^63 for undefined) and then drops the connection,
    // so the next request of a keep-alive client would fail.
    if (whole && response.status !== 204 && response.status !== 304) res.end(whole);
    else res.endWithoutBody();
  });
  if (!streamed) return;

  const reader = response.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (signal.aborted) return;
      if (done) {
        res.cork(() => res.end());
        return;
      }
      let flushed = true;
      res.cork(() => {
        flushed = res.write(value);
      });
      // Wait for the client to take what is buffered before reading more from the handler.
      if (!flushed) {
        await new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => resolve(), { once: true });
          res.onWritable(() => {
            resolve();
            return true;
          });
        });
      }
    }
  } finally {
    if (signal.aborted) await reader.cancel().catch(() => {});
  }
}

import { randomBytes } from 'node:crypto';
import net from 'node:net';

/**
 * A minimal WebSocket client (RFC 6455) for holding thousands of sockets in one process. The
 * load generator shares a 2-core machine with the server it measures, so receiving must cost
 * as little as it can: frames are parsed in place, text is handed over as bytes (the caller
 * decodes only what it needs), no extensions are negotiated, no per-message events or strings.
 * Pings are answered; client frames (pong, close, the occasional text) are masked as required.
 */
export interface WsHandlers {
  /** A complete text or binary message; `payload` is only valid during the call. */
  onMessage(payload: Buffer): void;
  onClose?(code: number, reason: string): void;
}

export class LeanWebSocket {
  private buffer: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] | undefined;
  private closed = false;
  closeCode: number | undefined;

  private constructor(
    private readonly socket: net.Socket,
    private readonly handlers: WsHandlers,
  ) {}

  /**
   * Open a socket: resolves after the 101 answer, rejects with the status line and body of a
   * refused upgrade (a bad ticket is an HTTP 401 problem, not a WebSocket close).
   */
  static connect(url: string, handlers: WsHandlers, timeoutMs = 30_000): Promise<LeanWebSocket> {
    const target = new URL(url);
    if (target.protocol !== 'ws:') return Promise.reject(new Error(`only ws:// URLs are supported, got ${url}`));
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: target.hostname, port: Number(target.port || 80) });
      socket.setNoDelay(true);
      const key = randomBytes(16).toString('base64');
      let head = Buffer.alloc(0);
      const timer = setTimeout(() => fail(new Error('WebSocket handshake timed out')), timeoutMs);
      const fail = (err: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(err);
      };
      socket.once('error', fail);
      socket.once('connect', () => {
        socket.write(
          `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        );
      });
      const onHandshake = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) {
          if (head.length > 64 * 1024) fail(new Error('WebSocket handshake answer too long'));
          return;
        }
        const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
        if (!/^HTTP\/1\.1 101 /.test(statusLine)) {
          // Wait a moment for the rest of the refusal's body, then report it.
          setTimeout(
            () =>
              fail(
                new Error(
                  `${statusLine}: ${head
                    .subarray(end + 4)
                    .toString('utf8')
                    .slice(0, 300)}`,
                ),
              ),
            20,
          );
          return;
        }
        clearTimeout(timer);
        socket.off('data', onHandshake);
        socket.off('error', fail);
        const ws = new LeanWebSocket(socket, handlers);
        socket.on('data', (data: Buffer) => ws.receive(data));
        socket.on('error', () => ws.finish(1006, 'socket error'));
        socket.on('close', () => ws.finish(1006, 'connection lost'));
        resolve(ws);
        const rest = head.subarray(end + 4);
        if (rest.length > 0) ws.receive(rest);
      };
      socket.on('data', onHandshake);
    });
  }

  get open(): boolean {
    return !this.closed;
  }

  sendText(text: string): void {
    this.sendFrame(0x1, Buffer.from(text, 'utf8'));
  }

  close(code = 1000): void {
    if (this.closed) return;
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code);
    this.sendFrame(0x8, payload);
    this.socket.end();
    this.finish(code, 'closed by client');
  }

  /** Drop the TCP connection without a close handshake. */
  destroy(): void {
    this.socket.destroy();
    this.finish(1006, 'destroyed by client');
  }

  private finish(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.closeCode = code;
    this.handlers.onClose?.(code, reason);
  }

  private receive(data: Buffer): void {
    let buf = this.buffer.length > 0 ? Buffer.concat([this.buffer, data]) : data;
    let offset = 0;
    while (buf.length - offset >= 2) {
      const b0 = buf[offset]!;
      const b1 = buf[offset + 1]!;
      const opcode = b0 & 0x0f;
      const fin = (b0 & 0x80) !== 0;
      let length = b1 & 0x7f;
      let header = 2;
      if (length === 126) {
        if (buf.length - offset < 4) break;
        length = buf.readUInt16BE(offset + 2);
        header = 4;
      } else if (length === 127) {
        if (buf.length - offset < 10) break;
        length = Number(buf.readBigUInt64BE(offset + 2));
        header = 10;
      }
      // Servers never mask; a masked frame would carry a 4-byte key.
      const masked = (b1 & 0x80) !== 0;
      if (masked) header += 4;
      if (buf.length - offset < header + length) break;
      const payload = buf.subarray(offset + header, offset + header + length);
      if (masked) {
        const mask = buf.subarray(offset + header - 4, offset + header);
        for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i & 3]!;
      }
      offset += header + length;
      this.frame(opcode, fin, payload);
      if (this.closed) return;
    }
    // Keep only the unparsed tail; copy it, since `data` may be reused by the caller.
    this.buffer = offset >= buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(offset));
  }

  private frame(opcode: number, fin: boolean, payload: Buffer): void {
    switch (opcode) {
      case 0x0: // continuation
        if (!this.fragments) return;
        this.fragments.push(Buffer.from(payload));
        if (fin) {
          const whole = Buffer.concat(this.fragments);
          this.fragments = undefined;
          this.handlers.onMessage(whole);
        }
        return;
      case 0x1:
      case 0x2:
        if (fin) this.handlers.onMessage(payload);
        else this.fragments = [Buffer.from(payload)];
        return;
      case 0x8: {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        const reason = payload.length > 2 ? payload.subarray(2).toString('utf8') : '';
        if (!this.closed) {
          this.sendFrame(0x8, payload.subarray(0, 2));
          this.socket.end();
        }
        this.finish(code, reason);
        return;
      }
      case 0x9:
        this.sendFrame(0xa, payload);
        return;
      default:
        return; // pong or reserved: nothing to do
    }
  }

  private sendFrame(opcode: number, payload: Buffer): void {
    if (this.closed || this.socket.destroyed) return;
    const length = payload.length;
    const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
    const frame = Buffer.allocUnsafe(header + 4 + length);
    frame[0] = 0x80 | opcode;
    if (header === 2) frame[1] = 0x80 | length;
    else if (header === 4) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(length, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeBigUInt64BE(BigInt(length), 2);
    }
    const mask = randomBytes(4);
    mask.copy(frame, header);
    for (let i = 0; i < length; i++) frame[header + 4 + i] = payload[i]! ^ mask[i & 3]!;
    this.socket.write(frame);
  }
}

/** The integer after `"id":` at the start of a frame (outbox ids are numbers), or -1. */
export function leadingId(payload: Buffer): number {
  // Frames are JSON objects starting {"id":<digits>…: read the digits without decoding the text.
  if (
    payload.length < 7 ||
    payload[0] !== 0x7b ||
    payload[1] !== 0x22 ||
    payload[2] !== 0x69 ||
    payload[3] !== 0x64 ||
    payload[4] !== 0x22 ||
    payload[5] !== 0x3a
  )
    return -1;
  let id = 0;
  let i = 6;
  for (; i < payload.length; i++) {
    const c = payload[i]!;
    if (c < 0x30 || c > 0x39) break;
    id = id * 10 + (c - 0x30);
  }
  return i === 6 ? -1 : id;
}

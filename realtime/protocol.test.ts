import { describe, expect, it } from 'vitest';
import { CLOSE, errorFrame, parseClientFrame, serverFrame } from './protocol.js';

describe('client frames', () => {
  it('accepts ping, resume and chat', () => {
    expect(parseClientFrame('{"type":"ping","ref":"a"}')).toEqual({ ok: true, frame: { type: 'ping', ref: 'a' } });
    expect(parseClientFrame('{"type":"resume","after":41}')).toEqual({ ok: true, frame: { type: 'resume', after: 41 } });
    expect(parseClientFrame('{"type":"resume"}')).toEqual({ ok: true, frame: { type: 'resume' } });
    const to = '7d1c6f4e-1f4a-4a8e-9d51-2b3c4d5e6f70';
    expect(parseClientFrame(JSON.stringify({ type: 'chat', channel: 'direct', to, text: 'hi' }))).toEqual({
      ok: true,
      frame: { type: 'chat', channel: 'direct', to, text: 'hi' },
    });
  });

  it('names what is wrong, echoing the ref when there is one', () => {
    expect(parseClientFrame('{nope')).toMatchObject({ ok: false, code: 'malformed_frame' });
    expect(parseClientFrame('[1,2]')).toMatchObject({ ok: false, code: 'malformed_frame' });
    expect(parseClientFrame('null')).toMatchObject({ ok: false, code: 'malformed_frame' });
    expect(parseClientFrame('{"type":"subscribe","topic":"admin","ref":"x"}')).toEqual({
      ok: false,
      code: 'unknown_type',
      message: 'type must be one of ping, resume, chat',
      ref: 'x',
    });
    expect(parseClientFrame('{"type":"resume","after":-1}')).toMatchObject({ ok: false, code: 'invalid_frame', message: expect.stringContaining('after') });
    expect(parseClientFrame('{"type":"resume","after":1.5}')).toMatchObject({ ok: false, code: 'invalid_frame' });
    expect(parseClientFrame('{"type":"ping","extra":1}')).toMatchObject({ ok: false, code: 'invalid_frame', message: 'unknown field(s): extra' });
    expect(parseClientFrame('{"type":"chat","channel":"shout","text":"x"}')).toMatchObject({
      ok: false,
      code: 'invalid_frame',
      message: expect.stringContaining('channel'),
    });
    expect(parseClientFrame('{"type":"chat","channel":"direct","text":"x","ref":"r"}')).toMatchObject({ ok: false, code: 'invalid_frame', ref: 'r' });
    expect(parseClientFrame('{"type":"chat","channel":"global","to":"7d1c6f4e-1f4a-4a8e-9d51-2b3c4d5e6f70","text":"x"}')).toMatchObject({
      ok: false,
      code: 'invalid_frame',
    });
    expect(parseClientFrame('{"type":"chat","channel":"direct","to":"bob","text":"x"}')).toMatchObject({
      ok: false,
      code: 'invalid_frame',
      message: expect.stringContaining('to'),
    });
  });
});

describe('server frames', () => {
  it('always carry id, type, topic, at and data', () => {
    const frame = JSON.parse(serverFrame('welcome', { a: 1 }));
    expect(Object.keys(frame).sort()).toEqual(['at', 'data', 'id', 'topic', 'type']);
    expect(frame).toMatchObject({ id: null, topic: null, type: 'welcome', data: { a: 1 } });
    expect(JSON.parse(errorFrame('rate_limited', 'slow down', { ref: 'r', retry_after: 3 })).data).toEqual({
      code: 'rate_limited',
      message: 'slow down',
      ref: 'r',
      retry_after: 3,
    });
  });

  it('use one close code per cause', () => {
    const codes = Object.values(CLOSE).map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(Object.values(CLOSE).every((c) => c.code === 1001 || c.code === 1011 || (c.code >= 4000 && c.code < 5000))).toBe(true);
  });
});

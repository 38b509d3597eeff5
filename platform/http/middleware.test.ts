import { describe, expect, it } from 'vitest';
import { proxyMatcher } from './middleware.js';

describe('trusted proxies', () => {
  it('matches exact addresses and IPv4 blocks, nothing else', () => {
    const trusted = proxyMatcher(['127.0.0.1', '172.16.0.0/12', '::1']);
    expect(trusted('127.0.0.1')).toBe(true);
    expect(trusted('::1')).toBe(true);
    expect(trusted('172.18.0.5')).toBe(true);
    expect(trusted('172.32.0.1')).toBe(false);
    expect(trusted('10.0.0.1')).toBe(false);
    expect(trusted('not-an-ip')).toBe(false);
    expect(proxyMatcher([])('127.0.0.1')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { UWS_BUILDS, UwsUnavailableError, loadFirstNativeBuild } from './uws.js';

describe('loading uWebSockets.js', () => {
  it('finds a native build on this machine', () => {
    const { name, uws } = loadFirstNativeBuild(UWS_BUILDS);
    expect(UWS_BUILDS).toContain(name);
    expect(typeof uws.App).toBe('function');
  });

  it('falls through to the next build when one fails to load', () => {
    const native = { App: Math.max };
    const tried: string[] = [];
    const { name, uws } = loadFirstNativeBuild(['first', 'second'], (n) => {
      tried.push(n);
      if (n === 'first') throw new Error('wrong glibc\n\nversion `GLIBC_2.38` not found');
      return native;
    });
    expect(tried).toEqual(['first', 'second']);
    expect(name).toBe('second');
    expect(uws).toBe(native);
  });

  it('fails loudly, naming every build and why, when none is native', () => {
    const load = (n: string) => {
      if (n === 'missing') throw new Error("Cannot find module 'missing'");
      return { App: () => ({}) }; // a JavaScript imitation, as one build falls back to
    };
    expect(() => loadFirstNativeBuild(['missing', 'imitation'], load)).toThrowError(UwsUnavailableError);
    try {
      loadFirstNativeBuild(['missing', 'imitation'], load);
    } catch (err) {
      expect((err as Error).message).toContain("missing: Cannot find module 'missing'");
      expect((err as Error).message).toContain('imitation: loaded a JavaScript fallback, not the native server');
    }
  });
});

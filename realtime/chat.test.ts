import { describe, expect, it } from 'vitest';
import { CHAT, cleanChatText } from './chat.js';

describe('chat text', () => {
  it('strips control and direction-override characters, turns line breaks into spaces, trims', () => {
    expect(cleanChatText('  hi\u0007 there\u0000  ')).toEqual({ text: 'hi there' });
    expect(cleanChatText('one\r\ntwo\tthree\u2028four')).toEqual({ text: 'one two three four' });
    expect(cleanChatText('price \u202Eredaolnwod\u202C ok \u2066x\u2069')).toEqual({ text: 'price redaolnwod ok x' });
    expect(cleanChatText('\u009bC1 control')).toEqual({ text: 'C1 control' });
  });

  it('keeps what people write: accents, emoji with joiners, other scripts', () => {
    for (const text of ['café', 'e\u0301', '👩‍🚀 ready', 'مرحبا', '日本語']) expect(cleanChatText(text)).toEqual({ text: text.normalize('NFC') });
  });

  it('refuses empty lines and lines over the limit, counting characters not UTF-16 units', () => {
    expect(cleanChatText(' \u0001\n\t ')).toEqual({ error: 'empty_message' });
    expect(cleanChatText('x'.repeat(CHAT.maxLength))).toEqual({ text: 'x'.repeat(CHAT.maxLength) });
    expect(cleanChatText('x'.repeat(CHAT.maxLength + 1))).toEqual({ error: 'message_too_long' });
    expect(cleanChatText('🚀'.repeat(CHAT.maxLength))).toEqual({ text: '🚀'.repeat(CHAT.maxLength) });
    expect(cleanChatText(`${'x'.repeat(CHAT.maxLength)}\u0000\u0000`)).toEqual({ text: 'x'.repeat(CHAT.maxLength) });
  });
});

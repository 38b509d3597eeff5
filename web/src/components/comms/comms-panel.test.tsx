import { render, screen } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createComms } from '../../stores/comms.js';
import { CommsPanel } from './CommsPanel.js';

describe('CommsPanel', () => {
  it('says so on the Team tab while the pilot is in no team, and offers no line to type into there', async () => {
    const comms = createComms(() => true);
    const user = userEvent.setup();
    render(() => <CommsPanel comms={comms} live />);
    expect(screen.getByLabelText('Message')).toBeTruthy();
    await user.click(screen.getByRole('tab', { name: 'Team' }));
    expect(screen.getByRole('note').textContent).toMatch(/^You are not in a team/);
    expect(screen.queryByLabelText('Message')).toBeNull();
    comms.setTeam({ name: 'Rebels', tag: 'REB' });
    expect(await screen.findByLabelText('Message')).toBeTruthy();
    await user.click(screen.getByRole('tab', { name: 'Sector' }));
    expect(screen.getByLabelText('Message')).toBeTruthy();
  });

  it("hides a blocked pilot's lines, and offers block and report on others' lines", async () => {
    const comms = createComms(() => true);
    const blocked: string[] = [];
    const reported: Array<[string, string]> = [];
    const user = userEvent.setup();
    comms.handle({
      type: 'welcome',
      id: null,
      topic: null,
      at: '2026-01-01T00:00:00Z',
      data: { user_id: 'me', name: 'me_pilot', chat_max_length: 500 },
    } as never);
    const line = (id: string, from: string, text: string) =>
      comms.handle({
        type: 'chat.message',
        id,
        topic: 'global',
        at: '2026-01-01T00:00:01Z',
        data: { channel: 'sector', from: { id: from, name: from }, text },
      } as never);
    line('c1', 'leia', 'hello there');
    line('c2', 'greedo', 'buy my ore');
    window.prompt = () => 'spam';
    render(() => (
      <CommsPanel
        comms={comms}
        live
        actions={{
          block: async (name) => {
            blocked.push(name);
            comms.setBlocked([...blocked]);
          },
          report: async (id, reason) => void reported.push([id, reason]),
        }}
      />
    ));
    expect(screen.getByText('buy my ore')).toBeTruthy();
    const greedoLine = screen.getByText('buy my ore').closest('li')!;
    await user.click(greedoLine.querySelector('button[title^="Report"]') as HTMLElement);
    expect(reported).toEqual([['c2', 'spam']]);
    await user.click(greedoLine.querySelector('button[title^="Block"]') as HTMLElement);
    expect(blocked).toEqual(['greedo']);
    expect(screen.queryByText('buy my ore')).toBeNull();
    expect(screen.getByText('hello there')).toBeTruthy();
  });
});

import { render, screen } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createComms } from '../../stores/comms.js';
import { CommsPanel } from './CommsPanel.js';

describe('CommsPanel', () => {
  it('says plainly that teams are not open on the Team tab, and offers no line to type into there', async () => {
    const comms = createComms(() => true);
    const user = userEvent.setup();
    render(() => <CommsPanel comms={comms} live />);
    expect(screen.getByLabelText('Message')).toBeTruthy();
    await user.click(screen.getByRole('tab', { name: 'Team' }));
    expect(screen.getByRole('note').textContent).toMatch(/^Teams are not open yet/);
    expect(screen.queryByLabelText('Message')).toBeNull();
    await user.click(screen.getByRole('tab', { name: 'Sector' }));
    expect(screen.getByLabelText('Message')).toBeTruthy();
  });
});

import { createStore } from 'solid-js/store';
import type { ApiClient, GameEvent, Team, TeamInvitation } from '../../../client/index.js';

interface PeopleState {
  /** the pilot's team, when it is in one */
  team: Team | null;
  invitations: TeamInvitation[];
  /** unread messages in the inbox: from every inbox read and every `mail.received` */
  unread: number;
  /** names of the pilots whose mail and chat the pilot does not want */
  blocked: string[];
  /** names seen around: teammates and correspondents, for completing a recipient */
  known: string[];
}

/**
 * Teams and mail as the screens share them: the pilot's team (with its members), its pending
 * invitations, the inbox's unread count for the top bar, and who it blocks. Team and mail events
 * from the realtime link keep them current.
 */
export function createPeople(api: ApiClient) {
  const [state, setState] = createStore<PeopleState>({ team: null, invitations: [], unread: 0, blocked: [], known: [] });

  const remember = (names: string[]) => {
    const merged = new Set([...state.known, ...names]);
    if (merged.size !== state.known.length)
      setState(
        'known',
        [...merged].sort((a, b) => a.localeCompare(b)),
      );
  };

  const loadTeam = async () => {
    const { my_team_id } = await api.teams.find('');
    const team = my_team_id === null ? null : await api.teams.get(my_team_id).catch(() => null);
    setState('team', team);
    if (team) remember(team.members.map((m) => m.pilot));
    setState('invitations', (await api.invitations.list()).invitations);
  };

  return {
    state,
    loadTeam,
    setTeam(team: Team | null) {
      setState('team', team);
      if (team) remember(team.members.map((m) => m.pilot));
    },
    setInvitations(invitations: TeamInvitation[]) {
      setState('invitations', invitations);
    },
    setUnread(unread: number) {
      setState('unread', unread);
    },
    remember,
    async load() {
      await Promise.all([
        loadTeam(),
        api.mail.list({ limit: 20 }).then((page) => {
          setState('unread', page.unread);
          remember(page.messages.map((m) => m.from));
        }),
        api.mail.blocks().then((b) => setState('blocked', b.blocked)),
      ]);
    },
    async block(pilot: string) {
      setState('blocked', (await api.mail.block(pilot)).blocked);
    },
    async unblock(pilot: string) {
      setState('blocked', (await api.mail.unblock(pilot)).blocked);
    },
    isBlocked: (name: string) => state.blocked.some((b) => b.toLowerCase() === name.toLowerCase()),
    /** Team and mail events: keep the team and the unread count current. */
    applyEvent(event: GameEvent) {
      const data = event.data as Record<string, unknown>;
      switch (event.type) {
        case 'mail.received':
          setState('unread', Number(data.unread));
          remember([String(data.from)]);
          return;
        case 'team.joined':
        case 'team.left':
        case 'team.invited':
        case 'team.changed':
          void loadTeam().catch(() => undefined);
          return;
        case 'team.treasury':
          if (state.team && state.team.id === Number(data.team_id)) setState('team', 'treasury', Number(data.treasury));
          return;
        default:
          return;
      }
    },
  };
}

export type People = ReturnType<typeof createPeople>;

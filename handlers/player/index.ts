import { runAction } from '../../platform/actions.js';
import { bundleRouter, type Bundle } from '../../platform/http/context.js';
import { requireUser } from '../../platform/http/require-user.js';
import { onlineUserIds } from '../../platform/presence.js';
import { flyHop } from './movement.js';
import { lockPilot, readPilot } from './pilot.js';
import { mapRoute, moveRoute, stateRoute } from './routes.js';
import { playerView, shipView } from './views.js';

export const playerBundle: Bundle = {
  name: 'player',
  basePath: '/api/v1/player',
  create(deps) {
    const { db, config } = deps;
    const timeScale = config.gameTimeScale;
    const app = bundleRouter();
    app.use('*', requireUser(deps));

    return app
      .openapi(stateRoute, async (c) => {
        const { player, ship } = await readPilot(db, c.get('user').id);
        return c.json({ player: playerView(player, Date.now(), timeScale), ship: shipView(ship) }, 200);
      })
      .openapi(moveRoute, async (c) => {
        const { to } = c.req.valid('json');
        const userId = c.get('user').id;
        // Asked before the transaction (no bus round trip while rows are locked); during a bus
        // outage the snapshot lists everyone whose pilot is there.
        const online = await onlineUserIds(deps.bus, to).catch(() => undefined);
        return runAction(c, deps, async (trx) => {
          const now = Date.now();
          const pilot = await lockPilot(trx, userId);
          const events: Parameters<typeof flyHop>[5] = [];
          const { hop, sector } = await flyHop(trx, pilot, to, now, timeScale, events, online);
          return { status: 200 as const, body: { hop, player: playerView(pilot.player, now, timeScale), sector }, events };
        });
      })
      .openapi(mapRoute, async (c) => {
        const userId = c.get('user').id;
        const { player } = await readPilot(db, userId);
        const sectors = await db
          .selectFrom('known_sectors')
          .innerJoin('sectors', 'sectors.id', 'known_sectors.sector_id')
          .leftJoin('ports', 'ports.sector_id', 'sectors.id')
          .select([
            'sectors.id',
            'sectors.x',
            'sectors.y',
            'sectors.region_id',
            'sectors.zone',
            'sectors.fedspace',
            'ports.port_class',
            'known_sectors.last_seen_at',
          ])
          .where('known_sectors.user_id', '=', userId)
          .orderBy('sectors.id')
          .execute();
        const warps = await db
          .selectFrom('warps')
          .innerJoin('known_sectors', 'known_sectors.sector_id', 'warps.from_sector_id')
          .select(['warps.from_sector_id as from', 'warps.to_sector_id as to'])
          .where('known_sectors.user_id', '=', userId)
          .orderBy('warps.from_sector_id')
          .orderBy('warps.to_sector_id')
          .execute();
        return c.json(
          {
            current_sector_id: player.sector_id,
            sectors: sectors.map((s) => ({ ...s, port_class: s.port_class ?? null, last_seen_at: new Date(s.last_seen_at).toISOString() })),
            warps,
          },
          200,
        );
      });
  },
};

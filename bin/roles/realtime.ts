import { exitOnSignals } from '../../platform/runtime.js';
import { openRegionalRuntime } from '../../regions/registry.js';
import { startRealtimeServer } from '../../realtime/server.js';

/** `sectorwars realtime`: WebSocket connections only; scale by running more of them behind nginx. */
export async function run(): Promise<void> {
  const runtime = await openRegionalRuntime('realtime', { verifyOnly: true });
  const { host, port } = runtime.config.realtime;
  const server = await startRealtimeServer(runtime, { host, port });
  runtime.onShutdown(() => server.close());
  exitOnSignals(runtime);
  runtime.logger.info({ port: server.port, host, bus: runtime.bus.kind }, 'realtime listening');
}

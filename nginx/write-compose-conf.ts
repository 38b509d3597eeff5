import { writeFileSync } from 'node:fs';
import { COMPOSE_GATEWAY } from './compose-gateway.js';
import { renderNginxConfig } from './render.js';

// `npm run render:nginx`: refresh nginx/compose.conf (a test fails when it is stale).
writeFileSync(new URL('./compose.conf', import.meta.url), renderNginxConfig(COMPOSE_GATEWAY));

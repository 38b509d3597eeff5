// A receiving thread of the fanout bench's socket fleet: the TypeScript worker through tsx's
// loader (a worker does not inherit it), as bin/sectorwars.js does for the roles.
import { register } from 'tsx/esm/api';

register();
await import('./fleet-worker.ts');

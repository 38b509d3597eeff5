#!/usr/bin/env node
// The `sectorwars <role>` command. TypeScript sources run through tsx's loader, so there is no
// build step between a checkout and a running game.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');

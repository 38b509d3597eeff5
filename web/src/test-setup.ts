import { cleanup } from '@solidjs/testing-library';
import { afterEach } from 'vitest';

// Without vitest globals the testing library cannot register this itself.
afterEach(cleanup);

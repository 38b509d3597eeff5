/** The two-shard fixture lives with the bench, whose `gates` scenario starts the same target. */
export { createShards, type Holdings, holdings, ledgerMismatchesIn, type ShardOptions, type Shards } from '../bench/shards.js';

import type { RegionDb } from './db/database.js';

/**
 * Multi-regional mode as the rest of a process sees it (the registry itself is regions/registry.ts):
 * this process's region, and a way to reach the others' databases and entries.
 */
export interface RegionEntry {
  id: number;
  slug: string;
  name: string;
  databaseUrl: string;
  apiUrls: string[];
  realtimeUrls: string[];
  state: 'active' | 'stopped';
}

export interface ShardAccess {
  entry(regionId: number): Promise<RegionEntry>;
  /** whether the region's sectors are served by another shard than this process's */
  isElsewhere(regionId: number): Promise<boolean>;
  db(regionId: number): Promise<RegionDb>;
  close(): Promise<void>;
}

export interface Regional {
  self: RegionEntry;
  shards: ShardAccess;
}

/** Where a client reaches a region: nginx serves `/r/<slug>/api/…` and `/r/<slug>/ws` from it. */
export interface RegionLink {
  slug: string;
  name: string;
  base_path: string;
}

export function regionLink(entry: Pick<RegionEntry, 'slug' | 'name'>): RegionLink {
  return { slug: entry.slug, name: entry.name, base_path: `/r/${entry.slug}` };
}

import type { Resource } from 'solid-js';

/**
 * A resource's newest value, or undefined while it has none or when its last load failed: Solid
 * throws on reading a failed resource, which would take the view down instead of showing why.
 */
export const loaded = <T>(resource: Resource<T>): T | undefined => (resource.error ? undefined : resource.latest);

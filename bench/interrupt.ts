/**
 * Set by the first Ctrl-C: load loops stop early so the scenario's cleanup (stop the servers,
 * drop the databases) runs instead of being cut off.
 */
export const interrupt = { requested: false };

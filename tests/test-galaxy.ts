/** The galaxy every test app starts with: small enough to write in a blink, big enough to roam. */
export const TEST_GALAXY = { seed: 'sectorwars-tests', terranSectors: 200, nexusSectors: 60 } as const;

/** What ports trade. Colonists are sold only at Earth Station, so they sit outside GOODS. */
export const GOODS = ['ore', 'organics', 'equipment'] as const;
export type Good = (typeof GOODS)[number];

export const ALL_GOODS = [...GOODS, 'colonists'] as const;
export type Commodity = (typeof ALL_GOODS)[number];

/** Base unit price in credits; the price curves in pricing.ts scale from here. */
export const BASE_PRICE: Readonly<Record<Commodity, number>> = {
  ore: 20,
  organics: 30,
  equipment: 50,
  colonists: 60,
};

export const GOOD_NAMES: Readonly<Record<Commodity, string>> = {
  ore: 'Fuel Ore',
  organics: 'Organics',
  equipment: 'Equipment',
  colonists: 'Colonists',
};

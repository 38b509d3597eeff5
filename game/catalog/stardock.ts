/** What the Stardock sells besides hulls, and at what price (GAME.md "Ships"). */
export const EQUIPMENT_ITEMS = ['holds', 'fighters', 'shields', 'mines', 'genesis_torpedoes'] as const;
export type EquipmentItem = (typeof EQUIPMENT_ITEMS)[number];

export const STARDOCK = {
  /** the share of the current hull's list price the Stardock pays when you buy another */
  tradeInRate: 0.5,
  /** an extra hold costs this, plus `holdPriceStep` for every extra hold the ship already has */
  holdBasePrice: 400,
  holdPriceStep: 20,
  /** flat unit prices */
  unitPrice: { fighters: 100, shields: 50, mines: 500, genesis_torpedoes: 25_000 },
} as const satisfies { tradeInRate: number; holdBasePrice: number; holdPriceStep: number; unitPrice: Record<Exclude<EquipmentItem, 'holds'>, number> };

/** Word stock for generated port and planet names. */
export const NAME_ROOTS = [
  'Aldebaran', 'Altair', 'Antares', 'Arcturus', 'Bellatrix', 'Betelgeuse', 'Canopus', 'Capella',
  'Castor', 'Deneb', 'Elnath', 'Fomalhaut', 'Gacrux', 'Hadar', 'Izar', 'Kochab',
  'Lesath', 'Markab', 'Menkar', 'Mimosa', 'Mirach', 'Mizar', 'Naos', 'Nunki',
  'Pollux', 'Procyon', 'Rasalhague', 'Regulus', 'Rigel', 'Sabik', 'Sadr', 'Saiph',
  'Scheat', 'Shaula', 'Sirius', 'Spica', 'Tarazed', 'Thuban', 'Vega', 'Wezen',
  'Zaniah', 'Zosma', 'Kepler', 'Halley', 'Tycho', 'Brahe', 'Hubble', 'Sagan',
] as const;

export const PORT_NAME_SUFFIXES = [
  'Station', 'Depot', 'Exchange', 'Outpost', 'Market', 'Hub', 'Terminal', 'Emporium', 'Trading Post', 'Bazaar',
] as const;

export const PLANET_NAME_SUFFIXES = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'Prime', 'Minor', 'Major'] as const;

export const STARDOCK_NAME = 'Stardock';
export const EARTH_STATION_NAME = 'Earth Station';

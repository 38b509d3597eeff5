import { createComputed, createMemo } from 'solid-js';
import { createStore } from 'solid-js/store';
import type { Sector, Ship } from '../../../client/index.js';

export type GuideStep = 'port' | 'buy' | 'fly' | 'sell';
export const GUIDE_STEPS: GuideStep[] = ['port', 'buy', 'fly', 'sell'];

interface GuideProgress {
  /** the pilot skipped the guide or closed it once it was done */
  dismissed: boolean;
  port: boolean;
  buy: boolean;
  fly: boolean;
  sell: boolean;
}

export interface GuideInputs {
  sector(): Sector | null;
  ship(): Ship | null;
  /** the pilot has sold something this session (the log says so) */
  sold(): boolean;
}

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

const key = (userId: string) => `sectorwars:guide:${userId}`;

/**
 * The first-flight guide: four steps (find a port, buy, fly, sell) that tick themselves off as
 * the pilot plays, remembered per account on this browser. Skippable at any point, and
 * reopened from the help screen.
 */
export function createGuide(userId: string, inputs: GuideInputs, storage: Storage | null = globalThis.localStorage ?? null) {
  const saved = (() => {
    try {
      return JSON.parse(storage?.getItem(key(userId)) ?? 'null') as Partial<GuideProgress> | null;
    } catch {
      return null;
    }
  })();
  const [progress, setProgress] = createStore<GuideProgress>({ dismissed: false, port: false, buy: false, fly: false, sell: false, ...saved });
  const save = () => storage?.setItem(key(userId), JSON.stringify({ ...progress }));
  const mark = (step: GuideStep) => {
    if (progress[step]) return;
    setProgress(step, true);
    save();
  };

  let sectorWhenLoaded: number | null = null;
  // Computed, not an effect: the ticks follow the state in the same update.
  createComputed(() => {
    const sector = inputs.sector();
    const ship = inputs.ship();
    if (!sector || !ship) return;
    // A port that sells something: Earth Station in sector 1 counts.
    if (sector.port?.goods.some((g) => g.port_action === 'sells')) mark('port');
    const carrying = ship.cargo.ore + ship.cargo.organics + ship.cargo.equipment > 0;
    if (carrying) {
      mark('buy');
      if (sectorWhenLoaded !== null && sector.id !== sectorWhenLoaded) mark('fly');
      sectorWhenLoaded ??= sector.id;
    } else sectorWhenLoaded = null;
    if (inputs.sold()) mark('sell');
  });

  const current = createMemo<GuideStep | null>(() => GUIDE_STEPS.find((s) => !progress[s]) ?? null);

  return {
    progress,
    /** the step to do next; null once all four are done */
    current,
    /** showing: not dismissed */
    open: () => !progress.dismissed,
    dismiss() {
      setProgress('dismissed', true);
      save();
    },
    /** Move on without doing the step (the pilot knows it already). */
    skipStep(step: GuideStep) {
      mark(step);
    },
    restart() {
      setProgress({ dismissed: false, port: false, buy: false, fly: false, sell: false });
      sectorWhenLoaded = null;
      save();
    },
  };
}

export type Guide = ReturnType<typeof createGuide>;

import { For, Show } from 'solid-js';
import { useFlight } from '../../flight.js';
import { GUIDE_STEPS, type GuideStep } from '../../stores/guide.js';

const STEPS: Record<GuideStep, { title: string; text: string }> = {
  port: {
    title: 'Find a port',
    text: 'You start docked at Earth Station, which sells every good at its base price. Other ports buy and sell by their class: the map marks each with its class number, and the computer (K) lists every port you have seen.',
  },
  buy: {
    title: 'Buy a load',
    text: 'In the port panel press Buy beside a good the port sells, then Max for a full hold, and confirm. The quote shows the total before you pay.',
  },
  fly: {
    title: 'Fly',
    text: 'Press 1–9 for the numbered warps, or open the map (M), pick a sector and engage the autopilot. Each warp costs turns. Look for a port whose class code has a B for your good: it buys.',
  },
  sell: {
    title: 'Sell at a profit',
    text: 'At a port that buys your good press Sell, Max, confirm. The outcome shows your profit. Then the computer ranks every pair you know by credits per turn.',
  },
};

/** The short first-flight guide over the cockpit: four steps that tick as you play; skippable. */
export function FirstFlightGuide() {
  const { guide } = useFlight();
  return (
    <Show when={guide.open()}>
      <aside class="panel guide" aria-labelledby="guide-title">
        <header class="panel-head">
          <h2 id="guide-title">
            <span class="eyebrow">First flight</span> {guide.current() ? `Step ${GUIDE_STEPS.indexOf(guide.current()!) + 1} of ${GUIDE_STEPS.length}` : 'Done'}
          </h2>
          <button type="button" class="link" onClick={() => guide.dismiss()}>
            {guide.current() ? 'Skip the guide' : 'Close'}
          </button>
        </header>
        <ol class="guide-steps">
          <For each={GUIDE_STEPS}>
            {(step) => (
              <li classList={{ done: guide.progress[step], current: guide.current() === step }} aria-current={guide.current() === step ? 'step' : undefined}>
                <b>
                  {STEPS[step].title}
                  <Show when={guide.progress[step]}>
                    <span class="tick"> ✓ done</span>
                  </Show>
                </b>
                <Show when={guide.current() === step}>
                  <p>{STEPS[step].text}</p>
                  <button type="button" class="link" onClick={() => guide.skipStep(step)}>
                    I know this: next step
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ol>
        <Show when={!guide.current()}>
          <p>You have made your first trade. Help (?) has the keys, turns and port classes whenever you need them.</p>
        </Show>
      </aside>
    </Show>
  );
}

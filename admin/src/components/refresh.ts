import { onCleanup } from 'solid-js';

/**
 * Calls `refresh` every `ms` while the page is visible, and at once when it becomes visible
 * again (a hidden tab asks nothing of the server); stops with the component that called it.
 */
export function refreshWhileVisible(refresh: () => void, ms: number) {
  const visible = () => document.visibilityState === 'visible';
  const timer = setInterval(() => {
    if (visible()) refresh();
  }, ms);
  const onVisibility = () => {
    if (visible()) refresh();
  };
  document.addEventListener('visibilitychange', onVisibility);
  onCleanup(() => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  });
}

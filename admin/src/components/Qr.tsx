import encodeQR from 'qr';
import { For } from 'solid-js';

/** A QR code as SVG squares (no innerHTML): what an authenticator app scans to add the key. */
export function QrCode(props: { text: string; label: string }) {
  const cells = () => encodeQR(props.text, 'raw', { ecc: 'medium', border: 2 });
  const size = () => cells().length;
  return (
    <svg class="qr" viewBox={`0 0 ${size()} ${size()}`} role="img" aria-label={props.label} shape-rendering="crispEdges">
      <rect width={size()} height={size()} fill="#fff" />
      <For each={cells()}>{(row, y) => <For each={row}>{(dark, x) => (dark ? <rect x={x()} y={y()} width="1" height="1" fill="#000" /> : null)}</For>}</For>
    </svg>
  );
}

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `7s`, `1m 01s`, `1h 01m` from seconds: rounded down; negative or NaN counts as 0. */
export function formatElapsed(elapsedS: number): string {
  const total = elapsedS > 0 && Number.isFinite(elapsedS) ? Math.floor(elapsedS) : 0;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor(total / 60) % 60;
  const seconds = total % 60;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad(seconds)}s`;
  return `${seconds}s`;
}

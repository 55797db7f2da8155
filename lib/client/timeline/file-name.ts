/** `health-oauth-console-20260823-140327.har`, in UTC so the name matches the HAR's ISO times. */
export function exportFileName(date: Date, extension: 'har' | 'md' | 'mmd' | 'svg' | 'json'): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp =
    `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}-` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
  return `health-oauth-console-${stamp}.${extension}`;
}

// Order statistics and formatting for the bench's figures.

export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

export const median = (values) => quantile(values, 0.5);

export const ms = (value) => `${value.toFixed(2)} ms`;
export const mbps = (bytesPerSecond) => `${(bytesPerSecond / 1e6).toFixed(0)} MB/s`;
export const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
export const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;

/** A plain-text table: header row, rule, rows; columns padded to their widest cell. */
export function textTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The same rows as a Markdown table. */
export function markdownTable(header, rows) {
  const line = (cells) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

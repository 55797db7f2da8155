import type { FlowDiagram, LaneId } from './model';

const ALIAS: Record<LaneId, string> = { browser: 'B', console: 'C', auth: 'A', api: 'F' };

/**
 * The diagram as Mermaid sequence-diagram text (https://mermaid.js.org/syntax/sequenceDiagram.html): requests as
 * solid arrows, answers dashed, failures with a cross, each arrow prefixed with its step number. Built from the
 * redacted model, so it carries no secret either.
 */
export function toMermaid(diagram: FlowDiagram): string {
  const lines = ['sequenceDiagram', `  %% ${text(diagram.providerName)}: the console's exchanges, secrets redacted`];
  for (const lane of diagram.lanes) {
    const subtitle = lane.subtitle ? `<br/>${text(lane.subtitle)}` : '';
    lines.push(`  participant ${ALIAS[lane.id]} as ${text(lane.title)}${subtitle}`);
  }
  const numbers = new Map(diagram.steps.map((s) => [s.id, s.number]));
  const seen = new Set<string>();
  for (const item of diagram.items) {
    const number = numbers.get(item.stepId);
    const prefix = number !== undefined && !seen.has(item.stepId) ? `${number}. ` : '';
    seen.add(item.stepId);
    if (item.kind === 'note') {
      const over = item.over.map((lane) => ALIAS[lane]).join(',');
      lines.push(`  Note over ${over}: ${prefix}${text(item.text)}`);
      continue;
    }
    const arrow = item.reply ? (item.tone === 'failed' ? '--x' : '-->>') : item.tone === 'failed' ? '-x' : '->>';
    const detail = item.detail ? ` (${text(item.detail)})` : '';
    const retired = item.retired ? ` · ${text(item.retired)} retired` : '';
    lines.push(`  ${ALIAS[item.from]}${arrow}${ALIAS[item.to]}: ${prefix}${text(item.label)}${detail}${retired}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Text that cannot end a Mermaid statement or start a comment: `;` and `#` as Mermaid's entity codes, line breaks
 * and `%%` flattened.
 */
function text(value: string): string {
  return value
    .replace(/[\r\n]+/g, ' ')
    .replace(/%%/g, '% %')
    .replace(/[#;]/g, (c) => (c === '#' ? '#35;' : '#59;'));
}

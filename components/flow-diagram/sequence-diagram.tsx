'use client';

import { OUTCOME_MARK, OUTCOME_WORDS } from '@/lib/client/conformance/report';
import type { CheckOutcome } from '@/lib/contract/conformance';
import { useState } from 'react';
import { cn } from '@/components/ui/cn';
import type { DiagramItem, DiagramMessage, DiagramNote, DiagramTone, FlowDiagram, LaneId } from '@/lib/client/flow-diagram/model';

export interface SequenceDiagramProps {
  diagram: FlowDiagram;
  /** The step whose arrows are emphasised (a clicked arrow, presenter mode). */
  activeStepId?: string | null;
  onSelectStep?: (stepId: string) => void;
  /** `large`: presenter mode's type. */
  size?: 'normal' | 'large';
  svgId?: string;
  className?: string;
}

interface Geometry {
  laneWidth: number;
  margin: number;
  headerHeight: number;
  messageHeight: number;
  noteHeight: number;
  font: number;
  small: number;
}

const GEOMETRY: Record<'normal' | 'large', Geometry> = {
  normal: { laneWidth: 210, margin: 24, headerHeight: 56, messageHeight: 52, noteHeight: 34, font: 12, small: 10.5 },
  large: { laneWidth: 224, margin: 24, headerHeight: 70, messageHeight: 70, noteHeight: 44, font: 16, small: 13 },
};

const LANE_ORDER: LaneId[] = ['browser', 'console', 'auth', 'api'];

/**
 * The flow as an SVG sequence diagram: one lane per party, one arrow per request or answer, notes for what happened
 * without a request. Arrows that arrive while it is on screen are drawn in (CSS, off with reduced motion); a click or
 * Enter on an arrow selects its step. Colours come from the theme's variables, so dark mode follows.
 */
export function SequenceDiagram({ diagram, activeStepId, onSelectStep, size = 'normal', svgId, className }: SequenceDiagramProps) {
  const g = GEOMETRY[size];
  const x = (lane: LaneId) => g.margin + LANE_ORDER.indexOf(lane) * g.laneWidth + g.laneWidth / 2;
  const width = g.margin * 2 + LANE_ORDER.length * g.laneWidth;
  const rows = layout(diagram.items, g);
  const height = g.headerHeight + rows.height + g.margin;
  const numbers = new Map(diagram.steps.map((s) => [s.id, s.number]));
  const stepTitles = new Map(diagram.steps.map((s) => [s.id, s.title]));

  // What was there when the diagram opened is drawn at once; what arrives later is drawn in (once: keys keep it mounted).
  const [initialIds] = useState(() => new Set(diagram.items.map((i) => i.id)));

  const firstOfStep = new Set<string>();
  const seenSteps = new Set<string>();
  for (const item of diagram.items) {
    if (!seenSteps.has(item.stepId)) firstOfStep.add(item.id);
    seenSteps.add(item.stepId);
  }

  const select = (stepId: string) => onSelectStep?.(stepId);

  return (
    <svg
      id={svgId}
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label={`Sequence diagram of ${diagram.providerName}: ${diagram.steps.length} steps, listed in words beside it`}
      data-testid="sequence-diagram"
      className={cn('max-w-none font-sans', className)}
      fontFamily="ui-sans-serif, system-ui, sans-serif"
    >
      <defs>
        {(['ok', 'failed', 'waiting'] as const).map((tone) => (
          <marker key={tone} id={`${svgId ?? 'seq'}-head-${tone}`} viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth={g.font * 0.8} markerHeight={g.font * 0.8} orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className={toneFill(tone)} />
          </marker>
        ))}
      </defs>
      <rect x={0} y={0} width={width} height={height} className="fill-white" />
      {LANE_ORDER.map((laneId) => {
        const lane = diagram.lanes.find((l) => l.id === laneId);
        const cx = x(laneId);
        return (
          <g key={laneId} data-lane={laneId}>
            <line x1={cx} x2={cx} y1={g.headerHeight - 6} y2={height - g.margin / 2} className="stroke-zinc-300" strokeDasharray="4 4" />
            <rect x={cx - g.laneWidth / 2 + 8} y={6} width={g.laneWidth - 16} height={g.headerHeight - 16} rx={8} className="fill-zinc-50 stroke-zinc-300" />
            <text x={cx} y={6 + (g.headerHeight - 16) / 2 - 2} textAnchor="middle" fontSize={g.font} fontWeight={600} className="fill-zinc-900">
              {lane?.title ?? laneId}
            </text>
            <text x={cx} y={6 + (g.headerHeight - 16) / 2 + g.small + 2} textAnchor="middle" fontSize={g.small} className="fill-zinc-600">
              {clip(lane?.subtitle ?? '', Math.floor((g.laneWidth - 24) / (g.small * 0.55)))}
            </text>
          </g>
        );
      })}
      {rows.placed.map(({ item, y }) => {
        const active = activeStepId === item.stepId;
        const animate = !initialIds.has(item.id);
        const number = firstOfStep.has(item.id) ? numbers.get(item.stepId) : undefined;
        // The steps list beside the drawing is the keyboard's and the screen reader's way in; a click here is a shortcut.
        const common = {
          'data-step': item.stepId,
          'data-exchange': item.kind === 'message' ? item.exchangeId : undefined,
          'data-conformance': item.kind === 'message' ? item.conformance : undefined,
          'data-tone': item.tone,
          'data-active': active || undefined,
          className: cn(onSelectStep && 'cursor-pointer', animate && 'seq-arrive'),
          onClick: () => select(item.stepId),
        };
        const label = `Step ${numbers.get(item.stepId) ?? ''}: ${stepTitles.get(item.stepId) ?? ''}`;
        return item.kind === 'message' ? (
          <g key={item.id} data-testid="sequence-arrow" {...common}>
            <title>{describeMessage(item, diagram)}</title>
            <Message item={item} y={y} x={x} g={g} active={active} number={number} markerPrefix={svgId ?? 'seq'} />
          </g>
        ) : (
          <g key={item.id} data-testid="sequence-note" {...common}>
            <title>{`${label}. ${item.text}`}</title>
            <Note item={item} y={y} x={x} g={g} active={active} number={number} />
          </g>
        );
      })}
    </svg>
  );
}

function Message({ item, y, x, g, active, number, markerPrefix }: { item: DiagramMessage; y: number; x: (lane: LaneId) => number; g: Geometry; active: boolean; number: number | undefined; markerPrefix: string }) {
  const x1 = x(item.from);
  const x2 = x(item.to);
  const left = Math.min(x1, x2);
  const right = Math.max(x1, x2);
  const mid = (x1 + x2) / 2;
  const lineY = y + g.messageHeight * 0.55;
  const direction = x2 > x1 ? 1 : -1;
  // Room between the lanes, less the step number's circle at the arrow's start.
  const maxChars = Math.floor((right - left - 2.5 * g.font) / (g.font * 0.6));
  return (
    <>
      {/* The whole row is the target: a 2px line is hard to hit. */}
      <rect className={cn(active ? 'fill-indigo-50 stroke-indigo-300' : 'fill-transparent stroke-transparent')} x={left - 10} y={y + 2} width={right - left + 20} height={g.messageHeight - 4} rx={6} strokeWidth={1.5} />
      <line
        x1={x1 + direction * 3}
        x2={x2 - direction * 3}
        y1={lineY}
        y2={lineY}
        className={cn('seq-line', toneStroke(item.tone))}
        strokeWidth={active ? 2.5 : 1.6}
        strokeDasharray={item.reply ? '6 4' : undefined}
        markerEnd={`url(#${markerPrefix}-head-${item.tone})`}
      />
      {number !== undefined && (
        <g>
          <circle cx={x1 + direction * -1 * 0} cy={lineY} r={g.font * 0.85} className={cn(active ? 'fill-indigo-600' : 'fill-zinc-700')} />
          <text x={x1} y={lineY + g.small * 0.36} textAnchor="middle" fontSize={g.small} fontWeight={700} className="fill-white">
            {number}
          </text>
        </g>
      )}
      <text x={mid} y={lineY - 6} textAnchor="middle" fontSize={g.font} fontWeight={active ? 700 : 500} className={toneText(item.tone)} fontFamily="ui-monospace, SFMono-Regular, Menlo, monospace">
        {clipMiddle(item.label, maxChars - (item.conformance ? 2 : 0))}
        {item.conformance && (
          <tspan className={CONFORMANCE_FILL[item.conformance]} fontWeight={700} data-testid="sequence-conformance">
            {` ${OUTCOME_MARK[item.conformance]}`}
          </tspan>
        )}
      </text>
      {(item.detail || item.retired) && (
        <text x={mid} y={lineY + g.small + 4} textAnchor="middle" fontSize={g.small} className="fill-zinc-600">
          {item.retired && (
            <tspan textDecoration="line-through" className="fill-red-700" data-testid="sequence-retired">
              {item.retired}
            </tspan>
          )}
          {item.retired && item.detail ? ' · ' : ''}
          {item.detail && clip(item.detail, Math.max(12, maxChars - (item.retired?.length ?? 0)))}
        </text>
      )}
    </>
  );
}

function Note({ item, y, x, g, active, number }: { item: DiagramNote; y: number; x: (lane: LaneId) => number; g: Geometry; active: boolean; number: number | undefined }) {
  const [first, last = first] = item.over;
  const left = Math.min(x(first), x(last)) - g.laneWidth * 0.4;
  const right = Math.max(x(first), x(last)) + g.laneWidth * 0.4;
  const height = g.noteHeight - 8;
  const tone = item.tone === 'info' ? 'fill-amber-50 stroke-amber-300' : item.tone === 'failed' ? 'fill-red-50 stroke-red-300' : 'fill-sky-50 stroke-sky-300';
  const maxChars = Math.floor((right - left - 20) / (g.small * 0.56));
  return (
    <>
      <rect className={cn(tone, active && 'stroke-indigo-500')} x={left} y={y + 4} width={right - left} height={height} rx={6} strokeWidth={active ? 2 : 1} strokeDasharray={item.tone === 'waiting' ? '4 3' : undefined} />
      <text x={(left + right) / 2} y={y + 4 + height / 2 + g.small * 0.36} textAnchor="middle" fontSize={g.small} fontWeight={active ? 700 : 500} className={item.tone === 'failed' ? 'fill-red-800' : 'fill-zinc-800'}>
        {number !== undefined ? `${number}. ` : ''}
        {clip(item.text, maxChars)}
      </text>
    </>
  );
}

function layout(items: readonly DiagramItem[], g: Geometry) {
  let y = g.headerHeight;
  const placed = items.map((item) => {
    const at = y;
    y += item.kind === 'message' ? g.messageHeight : g.noteHeight;
    return { item, y: at };
  });
  return { placed, height: y - g.headerHeight };
}

function describeMessage(item: DiagramMessage, diagram: FlowDiagram): string {
  const name = (lane: LaneId) => diagram.lanes.find((l) => l.id === lane)?.title ?? lane;
  const retired = item.retired ? `, ${item.retired} retired` : '';
  const checks = item.conformance ? `; conformance: ${OUTCOME_WORDS[item.conformance]}` : '';
  return `${name(item.from)} to ${name(item.to)}: ${item.label}${item.detail ? ` (${item.detail})` : ''}${retired}${item.tone === 'failed' ? ', failed' : ''}${checks}`;
}

/** The conformance mark's colour (issue #18): the same outcomes as the timeline's badges. */
const CONFORMANCE_FILL: Record<CheckOutcome, string> = { pass: 'fill-emerald-600', warn: 'fill-amber-600', fail: 'fill-red-600', known: 'fill-indigo-600', skip: 'fill-zinc-500' };

function toneStroke(tone: DiagramTone): string {
  return tone === 'failed' ? 'stroke-red-600' : tone === 'waiting' ? 'stroke-sky-600' : 'stroke-zinc-700';
}

function toneFill(tone: DiagramTone): string {
  return tone === 'failed' ? 'fill-red-600' : tone === 'waiting' ? 'fill-sky-600' : 'fill-zinc-700';
}

function toneText(tone: DiagramTone): string {
  return tone === 'failed' ? 'fill-red-700' : 'fill-zinc-900';
}

/** A path keeps its start and its end (`POST /sandbox/…/o/token/`): the end says what was called. */
function clipMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = Math.max(2, max - 1);
  const head = Math.ceil(keep * 0.45);
  return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

import type { CheckOutcome } from '@/lib/contract/conformance';
import type { ExchangeStep } from '@/lib/contract/exchange-steps';
/**
 * The flow as a sequence diagram: lanes, the arrows between them (one request and its answer per recorded exchange,
 * plus the browser's legs of a login) and notes, each belonging to a numbered step explained in plain words. Built
 * in the browser from the session DTO, which the server has already redacted; the live view, presenter mode and the
 * Mermaid export all read this one model.
 */

export type LaneId = 'browser' | 'console' | 'auth' | 'api';

export interface DiagramLane {
  id: LaneId;
  title: string;
  /** The host, where one is known. */
  subtitle: string;
}

/** `ok` 1xx–3xx, `failed` 4xx/5xx, no answer or a refused step, `waiting` no answer yet (the login page). */
export type DiagramTone = 'ok' | 'failed' | 'waiting';

export interface DiagramMessage {
  kind: 'message';
  id: string;
  from: LaneId;
  to: LaneId;
  /** `POST /auth/token`, `200 OK`. */
  label: string;
  /** Timing, client authentication, what changed. */
  detail?: string;
  /** An answer (drawn dashed), not a request. */
  reply: boolean;
  tone: DiagramTone;
  /** A refresh that rotated: the refresh token retired by it, drawn struck out. */
  retired?: string;
  exchangeId?: string;
  /** The worst conformance outcome of the exchange this arrow answers (issue #18), drawn as a mark beside its label. */
  conformance?: CheckOutcome;
  stepId: string;
}

export interface DiagramNote {
  kind: 'note';
  id: string;
  /** One lane, or the span from the first to the second. */
  over: [LaneId] | [LaneId, LaneId];
  text: string;
  tone: DiagramTone | 'info';
  stepId: string;
}

export type DiagramItem = DiagramMessage | DiagramNote;

/** The exchange's protocol step, or the diagram's own: a token request made as a whole (`token`), a reused token. */
export type StepCategory = ExchangeStep | 'token' | 'reuse';

export interface SpecCitation {
  /** `RFC 6749 §4.4`. */
  label: string;
  url: string;
}

export interface DiagramStep {
  id: string;
  /** 1-based, in the order things happened. */
  number: number;
  category: StepCategory;
  /** Plain words: "The console asks for a token with its client credentials". */
  title: string;
  explanation: string;
  citations: SpecCitation[];
  /** The provider's documented deviations that showed here (BCDA's string `expires_in` …). */
  quirks: string[];
  /** Why it failed, in plain words (the exchange's error, the diagnoses, a refusal). */
  problems: string[];
  tone: DiagramTone | 'info';
  /** Epoch ms. */
  at: number;
  exchangeId?: string;
  /** What a presenter reads out: the request line, the auth header as sent (masked), the answer's key fields. */
  keyLines: string[];
}

export interface FlowDiagram {
  providerId: string;
  providerName: string;
  lanes: DiagramLane[];
  items: DiagramItem[];
  steps: DiagramStep[];
}

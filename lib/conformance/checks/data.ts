import 'server-only';
import { requestParams, safeUrl } from '@/lib/contract/exchange-steps';
import { getHeader, isHttpDate } from '@/lib/contract/headers';
import type { ExchangeDto } from '@/lib/contract/schemas';
import { pass, serverCheck, skip, verdictOf, type ConformanceCheck, type ExchangeInContext, type Problem } from '../check';
import { r4Summary, type R4Summary } from '../fhir-validation';
import { capabilityStatementRest, describeValue, isAbsoluteUrl, isString, requestHeader, responseHeader, responseMediaType, responseObject, type JsonObject } from './read';
import { SPECS } from './specs';

/** Token introspection, Bulk Data and the FHIR resources themselves. */

const introspection: ConformanceCheck[] = [
  serverCheck({
    id: 'introspection.response',
    group: 'introspection',
    title: 'Introspection answers active, and the required fields when active',
    spec: SPECS.smartIntrospection,
    steps: ['introspection'],
    evaluate: (x) => {
      if (x.exchange.status !== 200) return verdictOf([{ message: `Introspection answered ${x.exchange.status ?? x.exchange.error ?? 'nothing'}, not 200 (RFC 7662 §2.2 answers 200 even for an inactive token).` }], '');
      const body = responseObject(x.exchange);
      if (!body) return verdictOf([{ message: 'The answer is not a JSON object.' }], '');
      if (typeof body.active !== 'boolean') return verdictOf([{ message: `\`active\` is ${describeValue(body.active)}, not a boolean (RFC 7662 §2.2).` }], '');
      if (!body.active) return pass('active: false.');
      const problems: Problem[] = [];
      // SMART 2.2 §Token Introspection: active, scope, client_id and exp are required for an active token.
      if (typeof body.scope !== 'string') problems.push({ message: `\`scope\` is ${describeValue(body.scope)}; SMART 2.2 requires it for an active token.` });
      if (!isString(body.client_id)) problems.push({ message: `\`client_id\` is ${describeValue(body.client_id)}; SMART 2.2 requires it.` });
      if (typeof body.exp !== 'number') problems.push({ message: `\`exp\` is ${describeValue(body.exp)}; SMART 2.2 requires it as seconds since the epoch.` });
      if (body.patient !== undefined && !isString(body.patient)) problems.push({ message: `\`patient\` is ${describeValue(body.patient)}, not a string.` });
      return verdictOf(problems, 'active: true with scope, client_id and exp.');
    },
  }),
];

const NDJSON_TYPES = new Set(['application/fhir+ndjson', 'application/ndjson', 'ndjson']);

/** The kick-off whose status URL (Content-Location) a status exchange polled. */
function kickoffOf(x: ExchangeInContext): ExchangeDto | undefined {
  return [...x.earlier].reverse().find((e) => e.step === 'bulk-kickoff' && e.exchange.response && getHeader(e.exchange.response.headers, 'content-location') === x.exchange.url)?.exchange;
}

/** The manifest entry (its `type`) of a downloaded file. */
function manifestTypeOf(x: ExchangeInContext): string | undefined {
  for (const e of [...x.earlier].reverse()) {
    if (e.step !== 'bulk-manifest') continue;
    const output = responseObject(e.exchange)?.output;
    if (!Array.isArray(output)) continue;
    const entry = (output as JsonObject[]).find((o) => o.url === x.exchange.url);
    if (entry) return typeof entry.type === 'string' ? entry.type : undefined;
  }
  return undefined;
}

/** The complete NDJSON lines of a recorded download: the last one is left out when the timeline kept only a preview. */
function ndjsonLines(exchange: ExchangeDto): string[] {
  const body = exchange.response?.body ?? '';
  const lines = body.split('\n');
  if (exchange.response?.bodyTruncated || !body.endsWith('\n')) lines.pop();
  return lines.filter((l) => l.trim() !== '');
}

const FHIR_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const bulk: ConformanceCheck[] = [
  serverCheck({
    id: 'bulk.capability-operations',
    group: 'bulk',
    title: 'The CapabilityStatement declares the export operations',
    spec: SPECS.bulkCapability,
    steps: ['discovery', 'api'],
    evaluate: (x) => {
      const rest = capabilityStatementRest(x.exchange);
      if (!rest) return null;
      const operations: JsonObject[] = rest.flatMap((r) => [
        ...((r.operation as JsonObject[] | undefined) ?? []),
        ...((r.resource as JsonObject[] | undefined) ?? []).flatMap((res) => ((res.operation as JsonObject[] | undefined) ?? []).map((o) => ({ ...o, on: res.type }))),
      ]);
      const exports = operations.filter((o) => typeof o.name === 'string' && /export/i.test(o.name));
      if (exports.length > 0) return pass(`Declares ${exports.map((o) => `${o.on ? `${String(o.on)}/` : ''}$${String(o.name).replace(/^\$/, '')}`).join(', ')}.`);
      return x.provider.bulk ? verdictOf([{ message: 'The server runs $export but its CapabilityStatement declares no export operation; Bulk Data 2.0 servers declare the operations they support (Inferno checks it).' }], '') : null;
    },
  }),
  {
    id: 'bulk.kickoff-request',
    group: 'bulk',
    title: "The console's kick-off asks for FHIR JSON, asynchronously",
    subject: 'client',
    activeOnly: false,
    spec: SPECS.bulkKickoff,
    steps: ['bulk-kickoff'],
    evaluate: (x) => {
      const problems: Problem[] = [];
      if (!/application\/fhir\+json/i.test(requestHeader(x.exchange, 'accept') ?? '')) problems.push({ message: 'No `Accept: application/fhir+json` (Bulk Data 2.0 requires it).' });
      if (!/respond-async/i.test(requestHeader(x.exchange, 'prefer') ?? '')) problems.push({ message: 'No `Prefer: respond-async` (Bulk Data 2.0 requires it).' });
      return verdictOf(problems, 'Accept: application/fhir+json and Prefer: respond-async.');
    },
  },
  serverCheck({
    id: 'bulk.kickoff-accepted',
    group: 'bulk',
    title: 'The kick-off answers 202 with Content-Location',
    spec: SPECS.bulkKickoffResponse,
    steps: ['bulk-kickoff'],
    evaluate: (x) => {
      if (x.exchange.status === null) return skip(`No answer: ${x.exchange.error ?? 'not completed'}.`);
      if (x.exchange.status !== 202) return verdictOf([{ message: `The kick-off answered ${x.exchange.status}, not 202 Accepted.` }], '');
      const location = responseHeader(x.exchange, 'content-location');
      return isAbsoluteUrl(location) ? pass(`202, status at ${location}.`) : verdictOf([{ message: `Content-Location is ${describeValue(location)}, not an absolute URL.` }], '');
    },
  }),
  serverCheck({
    id: 'bulk.status-in-progress',
    group: 'bulk',
    title: 'A running job answers 202 with X-Progress or Retry-After',
    spec: SPECS.bulkStatus,
    steps: ['bulk-poll'],
    evaluate: (x) => {
      const status = x.exchange.status;
      if (status === 202) {
        const progress = responseHeader(x.exchange, 'x-progress');
        const retry = responseHeader(x.exchange, 'retry-after');
        if (!progress && !retry) return verdictOf([{ message: '202 with neither X-Progress nor Retry-After: the client cannot tell how long to wait (Bulk Data 2.0 SHOULD send Retry-After).', severity: 'warn', deviation: 'no_retry_after' }], '');
        return pass(`202${progress ? `, X-Progress "${progress}"` : ''}${retry ? `, Retry-After ${retry}` : ''}.`);
      }
      if (status === 429) return pass('429: polled too often, which the spec allows the server to say.');
      if (status === 404 || status === 410) return pass(`${status}: the job is gone (cancelled or expired).`);
      if (status !== null && status >= 400 && status < 600) {
        const body = responseObject(x.exchange);
        return body?.resourceType === 'OperationOutcome' ? pass(`${status} with an OperationOutcome: the job failed and says why.`) : verdictOf([{ message: `${status} without an OperationOutcome (Bulk Data 2.0: an error status carries one).` }], '');
      }
      if (status !== null) return verdictOf([{ message: `The status URL answered ${status}; Bulk Data 2.0 answers 202 while running, 200 when complete, or an error with an OperationOutcome.` }], '');
      return skip(`Answered ${status ?? x.exchange.error ?? 'nothing'}.`);
    },
  }),
  serverCheck({
    id: 'bulk.manifest',
    group: 'bulk',
    title: 'The manifest has the required fields',
    spec: SPECS.bulkManifest,
    steps: ['bulk-manifest'],
    evaluate: (x) => {
      const body = responseObject(x.exchange);
      const mediaType = responseMediaType(x.exchange);
      if (!body) return verdictOf([{ message: 'The complete-status answer is not a JSON object.' }], '');
      const problems: Problem[] = [];
      if (mediaType !== 'application/json') problems.push({ message: `Content-Type is ${mediaType ?? 'missing'}, not application/json.` });
      if (typeof body.transactionTime !== 'string' || !FHIR_INSTANT.test(body.transactionTime)) problems.push({ message: `\`transactionTime\` is ${describeValue(body.transactionTime)}, not a FHIR instant.` });
      if (!isString(body.request)) problems.push({ message: `\`request\` is ${describeValue(body.request)}, not the kick-off URL.` });
      if (typeof body.requiresAccessToken !== 'boolean') problems.push({ message: `\`requiresAccessToken\` is ${describeValue(body.requiresAccessToken)}, not a boolean.` });
      if (!Array.isArray(body.output)) problems.push({ message: `\`output\` is ${describeValue(body.output)}, not an array.` });
      else (body.output as JsonObject[]).forEach((o, i) => {
        if (!isString(o.type) || !isAbsoluteUrl(o.url)) problems.push({ message: `output[${i}] lacks a \`type\` or an absolute \`url\`.` });
      });
      if (!Array.isArray(body.error)) problems.push({ message: `\`error\` is ${describeValue(body.error)}; Bulk Data 2.0 requires an array (empty when none).` });
      const expires = responseHeader(x.exchange, 'expires');
      if (expires && !isHttpDate(expires)) problems.push({ message: `Expires is "${expires}", not an HTTP-date (RFC 9110 §5.6.7).`, deviation: 'expires_header_format' });
      return verdictOf(problems, `transactionTime, request, requiresAccessToken, ${Array.isArray(body.output) ? body.output.length : 0} output file(s) and error.`);
    },
  }),
  serverCheck({
    id: 'bulk.download',
    group: 'bulk',
    title: 'Each file is NDJSON of the type the manifest names',
    spec: SPECS.bulkFile,
    steps: ['bulk-download'],
    evaluate: (x) => {
      if (x.exchange.status !== 200) return verdictOf([{ message: `The file answered ${x.exchange.status ?? x.exchange.error ?? 'nothing'}, not 200.` }], '');
      const problems: Problem[] = [];
      const mediaType = responseMediaType(x.exchange);
      if (!mediaType || !NDJSON_TYPES.has(mediaType)) problems.push({ message: `Content-Type is ${mediaType ?? 'missing'}, not application/fhir+ndjson.` });
      const expected = manifestTypeOf(x);
      const lines = ndjsonLines(x.exchange);
      let wrongType = 0;
      let notJson = 0;
      for (const line of lines) {
        try {
          const resource = JSON.parse(line) as JsonObject;
          if (expected && resource.resourceType !== expected && resource.resourceType !== 'OperationOutcome') wrongType += 1;
        } catch {
          notJson += 1;
        }
      }
      if (notJson > 0) problems.push({ message: `${notJson} of ${lines.length} line(s) are not JSON.` });
      if (wrongType > 0) problems.push({ message: `${wrongType} of ${lines.length} resource(s) are not ${expected} as the manifest says.` });
      return verdictOf(problems, `${lines.length} line(s)${x.exchange.response?.bodyTruncated ? ' kept in the preview' : ''}, each a ${expected ?? 'FHIR'} resource.`);
    },
  }),
  serverCheck({
    id: 'bulk.type-filter',
    group: 'bulk',
    title: 'The manifest holds only the `_type`s asked for',
    spec: SPECS.bulkParameters,
    steps: ['bulk-manifest'],
    evaluate: (x) => {
      const kickoff = kickoffOf(x);
      const typeParam = kickoff ? requestParams(kickoff).get('_type') : undefined;
      if (!kickoff || !typeParam) return null;
      const asked = new Set(typeParam.split(',').map((t) => t.trim()));
      const output = responseObject(x.exchange)?.output;
      if (!Array.isArray(output)) return skip('No output list to compare.');
      const other = [...new Set((output as JsonObject[]).map((o) => String(o.type)).filter((t) => !asked.has(t)))];
      return other.length === 0 ? { ...pass(`Only ${[...asked].join(', ')}.`), exchangeIds: [kickoff.id] } : verdictOf([{ message: `The kick-off asked _type=${typeParam}; the manifest also has ${other.join(', ')}.` }], '');
    },
  }),
  serverCheck({
    id: 'bulk.cancel',
    group: 'bulk',
    title: 'Cancelling a job answers 202',
    spec: SPECS.bulkCancel,
    steps: ['bulk-cancel'],
    evaluate: (x) =>
      x.exchange.status === 202
        ? pass('DELETE answered 202 Accepted.')
        : verdictOf([{ message: `DELETE on the status URL answered ${x.exchange.status ?? x.exchange.error ?? 'nothing'}, not 202.`, deviation: x.exchange.status === 404 || x.exchange.status === 405 ? 'no_bulk_cancel' : undefined }], ''),
  }),
];

const fhir: ConformanceCheck[] = [
  serverCheck({
    id: 'fhir.content-type',
    group: 'fhir',
    title: 'FHIR answers are application/fhir+json',
    spec: SPECS.fhirHttp,
    steps: ['api', 'bulk-kickoff', 'bulk-poll'],
    evaluate: (x) => {
      if (x.provider.apiKind !== 'fhir' || !x.exchange.response?.body) return null;
      const body = responseObject(x.exchange);
      if (typeof body?.resourceType !== 'string') return null;
      const mediaType = responseMediaType(x.exchange);
      if (mediaType === 'application/fhir+json') return pass('application/fhir+json.');
      if (mediaType === 'application/json') return verdictOf([{ message: 'application/json: FHIR R4 §3.1.0.1.10 names application/fhir+json; most clients accept both.', severity: 'warn', deviation: 'fhir_json_media_type' }], '');
      return verdictOf([{ message: `A FHIR resource served as ${mediaType ?? 'no Content-Type'}.` }], '');
    },
  }),
  serverCheck({
    id: 'fhir.resource-valid',
    group: 'fhir',
    title: 'Each resource received is valid FHIR R4',
    spec: SPECS.fhirJson,
    steps: ['api', 'bulk-download', 'bulk-poll', 'discovery'],
    evaluate: (x) => {
      if (x.provider.apiKind !== 'fhir') return null;
      const stu3 = x.provider.stu3PathPrefixes.find((prefix) => safeUrl(x.exchange.url)?.pathname.startsWith(prefix));
      const summary = x.exchange.r4 ?? recordedSummary(x);
      if (!summary) return x.exchange.response?.bodyTruncated && x.step !== 'bulk-download' ? skip('The timeline kept only the start of this body, so it cannot be validated whole.') : null;
      if (stu3) return skip(`${stu3} serves FHIR STU3, not R4: the R4 schema does not apply.`);
      if (summary.problems.length === 0) return pass(`${summary.resources} resource(s) valid against the R4 JSON schema.`);
      const documented = (problem: string) => x.provider.knownDeviations.find((d) => d.r4Problems?.includes(problem))?.code;
      const lines = summary.problems.map(({ problem, count }) => `${problem}${count > 1 ? ` (×${count})` : ''}.`);
      const verdict = verdictOf(summary.problems.map(({ problem }, i) => ({ message: lines[i]!, deviation: documented(problem) })), '');
      return lines.length > 8 ? { ...verdict, message: `${lines.slice(0, 8).join(' ')} … and ${lines.length - 8} more.` } : verdict;
    },
  }),
];

/** The resources of the recorded body, when the server did not validate it on receipt (a bulk file's preview). */
function recordedSummary(x: ExchangeInContext): R4Summary | undefined {
  const resources = x.step === 'bulk-download' ? ndjsonLines(x.exchange).flatMap(parseLine) : [responseObject(x.exchange)].filter((r): r is JsonObject => typeof r?.resourceType === 'string');
  return resources.length > 0 ? r4Summary(resources) : undefined;
}

function parseLine(line: string): JsonObject[] {
  try {
    const value = JSON.parse(line) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? [value as JsonObject] : [];
  } catch {
    return [];
  }
}

export const dataChecks: ConformanceCheck[] = [...introspection, ...bulk, ...fhir];

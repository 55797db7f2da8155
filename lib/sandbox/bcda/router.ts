import 'server-only';
import { decodeSegment } from '../shared/path';
import { createJwks } from '../shared/signing-key';
import { simulatedApiFailure, withTokenSimulation } from '../shared/simulation';
import { authenticateBearer } from './bearer';
import type { BcdaAccount } from './credentials';
import { getBaseUrl, type BcdaContext } from './context';
import { handleDataFile } from './data-files';
import { handleExportKickoff } from './export-kickoff';
import { fhirVersionOf, supportedApiVersions, type ApiVersion } from './export-request';
import { handleJobCancel, handleJobList, handleJobStatus, requireOwnedJob } from './job-handlers';
import { createCapabilityStatement, sandboxVersion } from './metadata';
import { jsonResponse, methodNotAllowed, routeNotFound } from './responses';
import { bcdaApiFailures, bcdaTokenFailures } from './simulation';
import { handleTokenRequest } from './token';

type Authenticated = (account: BcdaAccount) => Response | Promise<Response>;

/** Path segments after the mount point, each percent-decoded, so `%24export` and `$export` match alike. */
export function splitPath(path: string): string[] {
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  return trimmed.split('/').map(decodeSegment);
}

function isApiVersion(value: string | undefined): value is ApiVersion {
  return supportedApiVersions.some((version) => version === value);
}

async function withBearer(context: BcdaContext, request: Request, handler: Authenticated): Promise<Response> {
  const result = await authenticateBearer(context, request);
  if ('response' in result) return result.response;
  return simulatedApiFailure(request, bcdaApiFailures) ?? handler(result.account);
}

// BCDA's API router runs ParseToken on every request, so even open endpoints refuse a bad Authorization header.
async function withOptionalBearer(context: BcdaContext, request: Request, handler: () => Response): Promise<Response> {
  if (!request.headers.has('authorization')) return handler();
  return withBearer(context, request, handler);
}

function only(request: Request, methods: readonly string[], handler: () => Response | Promise<Response>): Response | Promise<Response> {
  return methods.includes(request.method) ? handler() : methodNotAllowed(methods);
}

function routeJobs(context: BcdaContext, request: Request, rest: string[]): Response | Promise<Response> {
  const [jobId] = rest;
  if (jobId === undefined) {
    return only(request, ['GET'], () => withBearer(context, request, (account) => handleJobList(context, request, account)));
  }
  return only(request, ['GET', 'DELETE'], () =>
    withBearer(context, request, async (account) => {
      const owned = await requireOwnedJob(context, jobId, account);
      if ('response' in owned) return owned.response;
      return request.method === 'DELETE' ? handleJobCancel(context, owned.job) : handleJobStatus(context, request, owned.job);
    }),
  );
}

function routeApi(context: BcdaContext, request: Request, version: ApiVersion, rest: string[]): Response | Promise<Response> {
  const path = `/api/${version}/${rest.join('/')}`;
  const [first, second, third, ...extra] = rest;
  if (first === 'metadata' && second === undefined) {
    return only(request, ['GET'], () =>
      withOptionalBearer(context, request, () =>
        jsonResponse(createCapabilityStatement(getBaseUrl(context, request), context.now(), fhirVersionOf(version))),
      ),
    );
  }
  if (first === 'Patient' && second === '$export' && third === undefined) {
    return only(request, ['GET'], () =>
      withBearer(context, request, (account) => handleExportKickoff(context, request, { version, path }, account)),
    );
  }
  if (first === 'Group' && second !== undefined && third === '$export' && extra.length === 0) {
    return only(request, ['GET'], () =>
      withBearer(context, request, (account) => handleExportKickoff(context, request, { version, groupId: second, path }, account)),
    );
  }
  if (first === 'jobs' && rest.length <= 2) return routeJobs(context, request, rest.slice(1));
  if (first === 'attribution_status' && second === undefined) {
    return only(request, ['GET'], () => withBearer(context, request, () => jsonResponse(attributionStatus(context.now()))));
  }
  return routeNotFound();
}

/**
 * `GET /api/{v}/attribution_status`: when the ACO's attribution files were last ingested (../shared/PROVIDERS.md).
 * The sandbox's synthetic attribution is ingested monthly: the default file on the 1st of this month, the runout
 * file on the 1st of this year, at midnight UTC (Go's RFC 3339 form).
 */
export function attributionStatus(nowMs: number): { ingestion_dates: { timestamp: string; type: 'default' | 'runout' }[] } {
  const now = new Date(nowMs);
  const at = (month: number) => new Date(Date.UTC(now.getUTCFullYear(), month, 1)).toISOString().replace('.000Z', 'Z');
  return {
    ingestion_dates: [
      { timestamp: at(now.getUTCMonth()), type: 'default' },
      { timestamp: at(0), type: 'runout' },
    ],
  };
}

const welcome = { success: 'Welcome to the Beneficiary Claims Data API!' };
const health = { database: 'ok', ssas: 'ok', ssas_introspect: 'ok' };

/** Dispatches one request to the emulated BCDA endpoint for `path` (the part after the mount point). */
export async function routeRequest(context: BcdaContext, request: Request, path: string): Promise<Response> {
  const segments = splitPath(path);
  const [first, second, third, ...extra] = segments;
  const key = segments.join('/');
  switch (key) {
    case 'auth/token':
      return withTokenSimulation(request, bcdaTokenFailures, () => handleTokenRequest(context, request));
    case 'auth/welcome':
      return only(request, ['GET'], () => withBearer(context, request, () => jsonResponse(welcome)));
    case '.well-known/jwks.json':
      // Real BCDA publishes no JWKS (it checks tokens by SSAS introspection); this one lets the console verify signatures.
      return only(request, ['GET'], async () => jsonResponse(createJwks(await context.getSigningKey())));
    case '_version':
      return only(request, ['GET'], () => withOptionalBearer(context, request, () => jsonResponse({ version: sandboxVersion })));
    case '_health':
      return only(request, ['GET'], () => withOptionalBearer(context, request, () => jsonResponse(health)));
    case '_auth':
      return only(request, ['GET'], () =>
        withOptionalBearer(context, request, () => jsonResponse({ auth_provider: 'ssas', version: sandboxVersion })),
      );
  }
  if (first === 'api' && isApiVersion(second)) return routeApi(context, request, second, segments.slice(2));
  if (first === 'data' && second !== undefined && third !== undefined && extra.length === 0) {
    return only(request, ['GET'], () => withBearer(context, request, (account) => handleDataFile(context, request, second, third, account)));
  }
  return routeNotFound();
}

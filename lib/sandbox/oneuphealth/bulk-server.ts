import 'server-only';
import { deterministicUuid } from '../shared/hash';
import { simulatedApiFailure } from '../shared/simulation';
import { authenticateKeycloakBearer } from './bearer';
import type { KeycloakClient } from './clients';
import { getBaseUrl, type OneUpContext } from './context';
import { exportMethodForbidden, findOwnedJob, handleExportFile, handleExportKickoff, handleExportStatus } from './export-jobs';
import { handleRead, handleSearch } from './fhir-search';
import { realmPath } from './keycloak-token';
import { createBulkCapabilityStatement } from './metadata';
import { fhirResponse, methodNotAllowed, operationOutcome } from './responses';
import { bulkApiFailures } from './simulation';
import { bisonDataset, createGroupResource, findGroup, getGroupMembers, isOneUpResourceType, type Dataset } from './synthetic-data';

/**
 * The Provider Access / Payer-to-Payer FHIR server of tenant bison at `/v1/bison/bulk-export/bulk-data/r4`:
 * CapabilityStatement, searches and reads over the client's member group, Group, and bulk `$export`.
 */

export const bulkTenant = 'bison';
export const bulkBasePath = `/v1/${bulkTenant}/bulk-export/bulk-data/r4`;

type Authenticated = (client: KeycloakClient) => Response | Promise<Response>;

async function withClient(context: OneUpContext, request: Request, handler: Authenticated): Promise<Response> {
  const result = await authenticateKeycloakBearer(context, request);
  if ('response' in result) return result.response;
  if (result.client.tenant !== bulkTenant) return operationOutcome(403, 'forbidden', `This client is not a client of tenant ${bulkTenant}`);
  const simulated = simulatedApiFailure(request, bulkApiFailures);
  if (simulated) return simulated;
  return handler(result.client);
}

function groupBundle(dataset: Dataset, client: KeycloakClient, fhirBaseUrl: string, nowMs: number): Response {
  const group = findGroup(client.groupId);
  const resources = group ? [createGroupResource(dataset, group)] : [];
  const self = `${fhirBaseUrl}/Group`;
  return fhirResponse({
    resourceType: 'Bundle',
    id: deterministicUuid(`${self}/${client.clientId}`),
    meta: { lastUpdated: new Date(nowMs).toISOString() },
    type: 'searchset',
    total: resources.length,
    link: [{ relation: 'self', url: self }],
    entry: resources.map((resource) => ({ fullUrl: `${fhirBaseUrl}/Group/${resource.id}`, resource, search: { mode: 'match' } })),
  });
}

function routeExport(context: OneUpContext, request: Request, rest: string[], dataset: Dataset, fhirBaseUrl: string): Response | Promise<Response> {
  const [jobId, fileName, ...extra] = rest;
  if (jobId === undefined) {
    if (request.method === 'POST' || request.method === 'DELETE') return exportMethodForbidden(request.method);
    if (request.method !== 'GET') return methodNotAllowed(['GET']);
    return withClient(context, request, (client) => handleExportKickoff(context, request, { dataset, fhirBaseUrl }, client));
  }
  if (extra.length > 0) return operationOutcome(404, 'not-found', 'Unknown export path');
  if (fileName === undefined && request.method === 'DELETE') {
    // 1up: DELETE on the export endpoints is 403, owned job or not; the token is still checked first.
    return withClient(context, request, () => exportMethodForbidden('DELETE'));
  }
  if (request.method !== 'GET') return methodNotAllowed(fileName === undefined ? ['GET', 'DELETE'] : ['GET']);
  return withClient(context, request, async (client) => {
    const job = await findOwnedJob(context, jobId, client);
    if (!job) return operationOutcome(404, 'not-found', `Export job ${jobId} is not known`);
    return fileName === undefined ? handleExportStatus(context, job, dataset, fhirBaseUrl) : handleExportFile(context, job, dataset, fileName);
  });
}

/** Dispatches `rest`, the segments after `/v1/{tenant}/bulk-export/bulk-data/r4`. */
export function routeBulk(context: OneUpContext, request: Request, rest: string[]): Response | Promise<Response> {
  const base = getBaseUrl(context, request);
  const fhirBaseUrl = `${base}${bulkBasePath}`;
  const dataset = bisonDataset(context.bisonMembers);
  const [first, second, third, ...extra] = rest;
  if (first === 'metadata' && second === undefined) {
    if (request.method !== 'GET') return methodNotAllowed(['GET']);
    const tokenUrl = `${base}${realmPath}/protocol/openid-connect/token`;
    return fhirResponse(createBulkCapabilityStatement(fhirBaseUrl, tokenUrl, context.now()));
  }
  if (first === '$export') return routeExport(context, request, rest.slice(1), dataset, fhirBaseUrl);
  if (first === 'Group') {
    if (third === '$export' && second !== undefined && extra.length === 0) {
      if (request.method === 'POST' || request.method === 'DELETE') return exportMethodForbidden(request.method);
      if (request.method !== 'GET') return methodNotAllowed(['GET']);
      return withClient(context, request, (client) => handleExportKickoff(context, request, { dataset, fhirBaseUrl, groupId: second }, client));
    }
    if (third !== undefined) return operationOutcome(404, 'not-found', 'Unknown Group path');
    if (request.method !== 'GET') return methodNotAllowed(['GET']);
    return withClient(context, request, (client) => {
      if (second === undefined) return groupBundle(dataset, client, fhirBaseUrl, context.now());
      const group = second === client.groupId ? findGroup(second) : undefined;
      return group ? fhirResponse(createGroupResource(dataset, group)) : operationOutcome(404, 'not-found', `Resource Group/${second} is not known`);
    });
  }
  if (first !== undefined && isOneUpResourceType(first) && third === undefined) {
    if (request.method !== 'GET') return methodNotAllowed(['GET']);
    return withClient(context, request, (client) => {
      const group = findGroup(client.groupId);
      const scope = { dataset, members: group ? getGroupMembers(dataset, group) : [] };
      if (second === undefined) return handleSearch(scope, first, new URL(request.url), fhirBaseUrl, context.now());
      return handleRead(scope, first, second);
    });
  }
  return operationOutcome(404, 'not-supported', `Unknown resource type or operation: ${rest.join('/')}`);
}

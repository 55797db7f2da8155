import 'server-only';
import { createJwks } from '../shared/signing-key';
import { decodeSegment } from '../shared/path';
import { withTokenSimulation } from '../shared/simulation';
import { handleAuthorize } from './authorize';
import { serverUrls, type SmartContext } from './context';
import { handleFhirData } from './fhir';
import { handleIntrospect } from './introspect';
import { createCapabilityStatement } from './metadata';
import { handlePushedAuthorization } from './par';
import { handleRegister } from './register';
import { fhirJson, json, methodNotAllowed, notFound } from './responses';
import { smartTokenFailures } from './simulation';
import { handleToken } from './token';
import { createOpenIdConfiguration, createSmartConfiguration } from './well-known';

function onlyGet(request: Request, handler: () => Response | Promise<Response>): Response | Promise<Response> {
  return request.method === 'GET' || request.method === 'HEAD' ? handler() : methodNotAllowed(['GET']);
}

/** Dispatches one request to the endpoint for `path` (the part after the mount point). */
export async function routeRequest(context: SmartContext, request: Request, path: string): Promise<Response> {
  const segments = path.split('/').filter(Boolean).map(decodeSegment);
  const urls = serverUrls(context, request);
  switch (segments.join('/')) {
    case '.well-known/smart-configuration':
    case 'fhir/.well-known/smart-configuration':
      return onlyGet(request, () => json(createSmartConfiguration(urls)));
    case '.well-known/openid-configuration':
      return onlyGet(request, () => json(createOpenIdConfiguration(urls)));
    case 'fhir/.well-known/openid-configuration':
      // OpenID Connect Discovery §4: the document lives under the issuer, which is not the FHIR base.
      return notFound(`The OpenID configuration is at the issuer: ${urls.issuer}/.well-known/openid-configuration.`);
    case '.well-known/jwks.json':
      return onlyGet(request, async () => json(createJwks(await context.getSigningKey())));
    case 'auth/authorize':
      return handleAuthorize(context, request);
    case 'auth/token':
      return withTokenSimulation(request, smartTokenFailures, () => handleToken(context, request));
    case 'auth/par':
      return handlePushedAuthorization(context, request);
    case 'auth/register':
      return handleRegister(context, request);
    case 'auth/introspect':
      return handleIntrospect(context, request);
    case 'fhir/metadata':
      return onlyGet(request, () => fhirJson(createCapabilityStatement(urls)));
  }
  if (segments[0] === 'fhir') return handleFhirData(context, request, urls, segments.slice(1));
  return notFound();
}

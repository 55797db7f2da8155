import 'server-only';
import type { ResolvedFlow } from '@/lib/oauth/flow';

/**
 * The inputs Inferno's own suites take for the server the console checked (issue #18 §3), so the formal run starts
 * from what the console proved. Two shapes (inferno-core 1.0): the bare inputs array that the inputs dialog's JSON tab
 * uploads (`[{ name, type, value }]`, an auth_info value an object), and a preset file (`{ title, id, test_suite_id,
 * inputs }`) for `inferno execute --preset-file`. Input names follow smart-app-launch-test-kit 1.x (suite
 * `smart_stu2_2`, `*_smart_auth_info` of type `auth_info`) and bulk-data-test-kit (suite `bulk_data_v200`).
 *
 * No secret goes in: a client secret is left for the user to type into Inferno, and Inferno signs Backend Services
 * assertions with its own key (register Inferno's JWKS at the server), never the console's.
 */

export const INFERNO_SUITES = ['smart_stu2_2', 'bulk_data_v200'] as const;
export type InfernoSuite = (typeof INFERNO_SUITES)[number];

interface InfernoInput {
  name: string;
  type: 'text' | 'auth_info';
  title?: string;
  description?: string;
  optional?: boolean;
  value: string | number | null | Record<string, string>;
}

export interface InfernoPreset {
  title: string;
  id: null;
  test_suite_id: InfernoSuite;
  inputs: InfernoInput[];
}

/** The auth_info `auth_type` Inferno uses for the flow's client authentication. */
function authType(flow: ResolvedFlow): string {
  if (flow.grant.grantType === 'client_credentials') return 'backend_services';
  if (flow.grant.clientAuth === 'private_key_jwt') return 'asymmetric';
  return flow.grant.clientAuth === 'none' ? 'public' : 'symmetric';
}

function authInfo(flow: ResolvedFlow, type: string): Record<string, string> {
  const info: Record<string, string> = {
    auth_type: type,
    use_discovery: 'true',
    client_id: flow.credential.clientId,
    requested_scopes: flow.grant.scopes.join(' '),
  };
  if (type !== 'backend_services') Object.assign(info, { pkce_support: 'enabled', pkce_code_challenge_method: 'S256', auth_request_method: 'GET' });
  if (type === 'backend_services' || type === 'asymmetric') info.encryption_algorithm = flow.credential.clientKey?.alg ?? 'ES384';
  return info;
}

/**
 * @param fhirBaseUrl the FHIR base as Inferno must reach it (for a built-in sandbox, the console's public address,
 *   not the loopback address the console itself uses).
 */
export function infernoPreset(flow: ResolvedFlow, suite: InfernoSuite, fhirBaseUrl: string): InfernoPreset {
  const { provider, env, credential } = flow;
  const type = authType(flow);
  const title = `${provider.name} · ${env.environment.label} · ${credential.label} (from the Health OAuth Console)`;
  const secretNote = type === 'symmetric' ? ' Type the client secret into Inferno: the console does not export it.' : '';
  const keyNote =
    type === 'backend_services' && flow.grant.clientAuth !== 'private_key_jwt'
      ? ` This client authenticates with a client secret (${flow.grant.clientAuth}), not the signed assertion Inferno’s Backend Services flow sends: Inferno needs a client registered for private_key_jwt with Inferno’s JWKS.`
      : type === 'backend_services' || type === 'asymmetric'
        ? ' Inferno signs with its own key: register Inferno’s JWKS for this client at the server.'
        : '';
  if (suite === 'smart_stu2_2') {
    const slot = type === 'backend_services' ? 'backend_services_smart_auth_info' : 'standalone_smart_auth_info';
    return {
      title,
      id: null,
      test_suite_id: suite,
      inputs: [
        { name: 'url', type: 'text', title: 'FHIR Endpoint', value: fhirBaseUrl },
        { name: slot, type: 'auth_info', description: `From the console’s ${credential.label}.${secretNote}${keyNote}`, value: authInfo(flow, type) },
      ],
    };
  }
  const base = provider.bulkExport?.bases.find((b) => !b.environments || b.environments.includes(env.environment.id));
  return {
    title,
    id: null,
    test_suite_id: suite,
    inputs: [
      { name: 'bulk_server_url', type: 'text', title: 'Bulk Data FHIR URL', value: base ? `${apiBaseOf(fhirBaseUrl, flow)}${base.path}` : fhirBaseUrl },
      { name: 'smart_auth_info', type: 'auth_info', title: 'Backend Services Credentials', description: `From the console’s ${credential.label}.${keyNote}`, value: authInfo(flow, 'backend_services') },
      { name: 'group_id', type: 'text', title: 'Group ID', value: base?.groups[0]?.id ?? null, optional: base?.groups[0] === undefined },
      { name: 'bulk_timeout', type: 'text', title: 'Export Times Out after (1-600)', value: 180 },
      { name: 'lines_to_validate', type: 'text', optional: true, value: null },
      { name: 'since_timestamp', type: 'text', title: '_since for the since tests', value: '2020-01-01T00:00:00Z' },
    ],
  };
}

/** The API base (origin and mount) under which the bulk base paths hang, moved like the FHIR base was. */
function apiBaseOf(fhirBaseUrl: string, flow: ResolvedFlow): string {
  const moved = new URL(fhirBaseUrl);
  const api = new URL(flow.env.apiBaseUrl);
  return `${moved.origin}${api.pathname.replace(/\/$/, '')}`;
}

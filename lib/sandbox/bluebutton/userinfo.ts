import 'server-only';
import { canReadProfile } from './scopes';
import { between } from '../shared/hash';
import { createRandom } from './deterministic';
import { drfJson, permissionDenied } from './responses';
import type { AccessTokenRecord } from './store';
import type { SyntheticUser } from './users';

/**
 * `GET /v2/connect/userinfo`: `{sub, name, given_name, family_name, email, iat, patient}` where `sub` and
 * `patient` are the FHIR patient id (../shared/fixtures/bluebutton/userinfo_v2.json). Needs the `profile` scope;
 * without it the docs' answer is 403 "You do not have permission."
 */
export function handleUserInfo(token: AccessTokenRecord, user: SyntheticUser): Response {
  if (!canReadProfile(token.scopes)) return permissionDenied('You do not have permission.');
  // The Django user is created the first time the beneficiary logs in: a fixed moment per user.
  const random = createRandom(`bluebutton-joined-${user.patientId}`);
  const joined = Date.UTC(2021, 0, 1) + between(random, 0, 364 * 86_400) * 1000 + between(random, 0, 999);
  return drfJson({
    sub: user.patientId,
    name: `${user.givenName} ${user.familyName}`,
    given_name: user.givenName,
    family_name: user.familyName,
    email: user.email,
    iat: new Date(joined).toISOString(),
    patient: user.patientId,
  });
}

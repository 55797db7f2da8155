import { describe, expect, it } from 'vitest';
import { bcda } from '@/lib/providers/bcda';
import { toProviderDto } from '@/lib/providers/dto';
import { oneuphealth } from '@/lib/providers/oneuphealth';
import type { TokenDto } from '@/lib/contract/schemas';
import { planTokenRenewal } from './token-renewal';

const bcdaDto = toProviderDto(bcda, true, 'http://127.0.0.1:3000');
const oneUpDto = toProviderDto(oneuphealth, true, 'http://127.0.0.1:3000');

function token(patch: Partial<TokenDto>): TokenDto {
  return {
    providerId: 'bcda',
    environmentId: 'builtin',
    presetId: 'extra-small',
    grantType: 'client_credentials',
    responseFacts: {},
    credentialLabel: 'x',
    clientId: 'c',
    tokenType: 'bearer',
    maskedToken: 'eyJ…',
    fingerprint: { hmacPrefix: 'ab', length: 10 },
    format: 'jwt',
    verification: { status: 'verified', reason: '' },
    expiresInRaw: '1200',
    issuedAt: 0,
    expiresAt: 1,
    deviations: [],
    reused: false,
    reuses: [],
    ...patch,
  };
}

describe('planTokenRenewal', () => {
  it('mints a new client-credentials token for a preset (BCDA: the job belongs to the ACO)', () => {
    expect(planTokenRenewal(bcdaDto, { environmentId: 'builtin', presetId: 'extra-small' }, token({}))).toEqual({
      kind: 'mint',
      environmentId: 'builtin',
      presetId: 'extra-small',
    });
  });

  it('asks the user for their own credentials, which are not kept', () => {
    expect(planTokenRenewal(bcdaDto, { environmentId: 'builtin' }, token({ presetId: undefined })).kind).toBe('manual');
  });

  it('refreshes when the selection’s token has a refresh token', () => {
    const refreshable = token({
      providerId: '1uphealth',
      presetId: 'patient-access',
      grantType: 'authorization_code',
      refresh: { fingerprint: { hmacPrefix: 'cd', length: 32 }, rotates: false, history: [] },
    });
    expect(planTokenRenewal(oneUpDto, { environmentId: 'builtin', presetId: 'patient-access' }, refreshable)).toEqual({ kind: 'refresh' });
    // Not when the token belongs to another credential set.
    expect(planTokenRenewal(oneUpDto, { environmentId: 'builtin', presetId: 'provider-access' }, refreshable).kind).toBe('mint');
  });

  it('asks to authorize again for an authorization-code flow without a refresh token', () => {
    const plan = planTokenRenewal(oneUpDto, { environmentId: 'builtin', presetId: 'patient-access' }, undefined);
    expect(plan).toMatchObject({ kind: 'manual', reason: expect.stringMatching(/authorize again/i) as unknown });
  });
});

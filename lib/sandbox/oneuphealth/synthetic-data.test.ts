import { describe, expect, it } from 'vitest';
import { createNdjsonStream } from '../bcda/ndjson-stream';
import {
  bisonDataset,
  bisonGroups,
  countResources,
  createLineSource,
  demoPlanDataset,
  findMemberIndex,
  getGroupMembers,
  getMember,
  getMemberId,
  getMemberResources,
  oneUpResourceTypes,
} from './synthetic-data';

const bison = bisonDataset(200);

describe('synthetic members', () => {
  it('makes member 0 of every tenant 1up’s demo member Jason Argonaut', () => {
    for (const dataset of [bison, demoPlanDataset(50)]) {
      expect(getMember(dataset, 0)).toMatchObject({ memberId: '08-testmemid', given: 'Jason', family: 'Argonaut', birthDate: '1986-01-01', postalCode: '02114' });
    }
    expect(getMember(bison, 0).id).not.toBe(getMember(demoPlanDataset(50), 0).id);
  });

  it('maps member ids to indices and back', () => {
    expect(findMemberIndex(bison, '08-testmemid')).toBe(0);
    expect(findMemberIndex(bison, '08-TESTMEMID')).toBe(0);
    expect(getMemberId(bison, 42)).toBe('08-BSN000042');
    expect(findMemberIndex(bison, '08-BSN000042')).toBe(42);
    expect(findMemberIndex(bison, '08-BSN000200')).toBeUndefined();
    expect(findMemberIndex(bison, '08-DMO000001')).toBeUndefined();
  });

  it('is deterministic and references line up within a member', () => {
    const a = JSON.stringify(oneUpResourceTypes.map((type) => getMemberResources(bison, 17, type)));
    expect(JSON.stringify(oneUpResourceTypes.map((type) => getMemberResources(bisonDataset(200), 17, type)))).toBe(a);
    const coverageIds = new Set(getMemberResources(bison, 17, 'Coverage').map((entry) => `Coverage/${entry.resource.id}`));
    const encounterIds = new Set(getMemberResources(bison, 17, 'Encounter').map((entry) => `Encounter/${entry.resource.id}`));
    for (const { resource } of getMemberResources(bison, 17, 'ExplanationOfBenefit')) {
      const eob = resource as unknown as { insurance: Array<{ coverage: { reference: string } }>; item: Array<{ encounter?: Array<{ reference: string }> }> };
      expect(coverageIds.has(eob.insurance[0]?.coverage.reference ?? '')).toBe(true);
      for (const ref of eob.item[0]?.encounter ?? []) expect(encounterIds.has(ref.reference)).toBe(true);
    }
  });

  it('dates every resource before the data anchor and filters by _since', () => {
    let total = 0;
    let recent = 0;
    for (let index = 0; index < 50; index++) {
      for (const type of oneUpResourceTypes) {
        const all = getMemberResources(bison, index, type);
        total += all.length;
        recent += getMemberResources(bison, index, type, Date.UTC(2026, 0, 1)).length;
        for (const entry of all) {
          expect(entry.lastUpdatedMs).toBeLessThan(Date.UTC(2026, 6, 1));
          expect(entry.resource.meta.lastUpdated).toBe(new Date(entry.lastUpdatedMs).toISOString());
        }
      }
    }
    expect(recent).toBeGreaterThan(0);
    expect(recent).toBeLessThan(total);
  });

  it('sizes the bison groups at 150 and 40 of 200, both with Jason', () => {
    expect(bisonGroups.map((group) => [group.id, getGroupMembers(bison, group).length, group.includes(0)])).toEqual([
      ['bison-provider-attributed', 150, true],
      ['bison-payer-to-payer-opt-in', 40, true],
    ]);
  });

  it('streams exactly the counted lines, each valid JSON', async () => {
    const [group] = bisonGroups;
    if (!group) throw new Error('no group');
    const members = getGroupMembers(bison, group);
    const text = await new Response(createNdjsonStream(createLineSource(bison, members, 'ExplanationOfBenefit'), 4096)).text();
    const lines = text.split('\n').slice(0, -1);
    expect(lines.length).toBe(countResources(bison, members, 'ExplanationOfBenefit'));
    for (const line of lines) expect((JSON.parse(line) as { resourceType: string }).resourceType).toBe('ExplanationOfBenefit');
  });
});

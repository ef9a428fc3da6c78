import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  primaryEmailOf,
  startClerkEmulator,
  type ClerkOrganizationJson,
  type ClerkOrganizationMembershipJson,
  type ClerkUserJson,
  type RunningClerkEmulator,
} from '@expectations/clerk-emulator';
import {
  compareMembershipMirror,
  compareOrganizationMirror,
  compareUserMirror,
  type MembershipMirrorRow,
  type MembershipTruth,
  type OrganizationMirrorRow,
  type UserMirrorRow,
} from '../src/mirror-comparison';
import type { MembershipPair } from '../src/team-change-stream';

// The checker the chaos scenario relies on must itself catch every kind of divergence.
let dataDir: string;
let emulator: RunningClerkEmulator;
let ada: ClerkUserJson;
let goneId: string;
/** Created by Ada; Grace a member; Bob added and removed; Gone a member until deleted. */
let team: ClerkOrganizationJson;
/** Created by Grace, then deleted. */
let goneTeamId: string;
let teamMemberships: ClerkOrganizationMembershipJson[];
let goneTeamMemberships: ClerkOrganizationMembershipJson[];
let pairs: MembershipPair[];

async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mirror-comparison-'));
  emulator = await startClerkEmulator({ dataDir });
  ada = await admin<ClerkUserJson>('POST', '/admin/users', { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.org', username: 'ada' });
  const grace = await admin<ClerkUserJson>('POST', '/admin/users', { first_name: 'Grace', last_name: 'Hopper', email_address: 'grace@example.org' });
  const bob = await admin<ClerkUserJson>('POST', '/admin/users', { first_name: 'Bob', last_name: null, email_address: 'bob@example.org' });
  const gone = await admin<ClerkUserJson>('POST', '/admin/users', { first_name: 'Gone', last_name: null, email_address: 'gone@example.org' });
  goneId = gone.id;

  const created = await admin<ClerkOrganizationJson>('POST', '/admin/organizations', { name: 'Analytical Engines', created_by: ada.id });
  const membersPath = `/admin/organizations/${created.id}/memberships`;
  await admin('POST', membersPath, { user_id: grace.id, role: 'org:member' });
  const bobs = await admin<ClerkOrganizationMembershipJson>('POST', membersPath, { user_id: bob.id, role: 'org:member' });
  await admin('DELETE', `${membersPath}/${bob.id}`);
  const gones = await admin<ClerkOrganizationMembershipJson>('POST', membersPath, { user_id: goneId, role: 'org:admin' });
  await admin('DELETE', `/admin/users/${goneId}`);
  await admin('PATCH', `/admin/organizations/${created.id}`, { name: 'Analytical Engines Ltd' });
  team = await admin<ClerkOrganizationJson>('GET', `/admin/organizations/${created.id}`);
  teamMemberships = (await admin<{ data: ClerkOrganizationMembershipJson[] }>('GET', membersPath)).data;

  const goneTeam = await admin<ClerkOrganizationJson>('POST', '/admin/organizations', { name: 'Gone team', created_by: grace.id });
  goneTeamId = goneTeam.id;
  goneTeamMemberships = (await admin<{ data: ClerkOrganizationMembershipJson[] }>('GET', `/admin/organizations/${goneTeamId}/memberships`)).data;
  await admin('DELETE', `/admin/organizations/${goneTeamId}`);

  const pairOf = (membership: ClerkOrganizationMembershipJson): MembershipPair => ({
    organizationId: membership.organization.id,
    userId: membership.public_user_data.user_id,
    membershipId: membership.id,
  });
  pairs = [...teamMemberships, bobs, gones, ...goneTeamMemberships].map(pairOf);
});

afterAll(async () => {
  await emulator.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const mirrorOf = (user: ClerkUserJson): UserMirrorRow => ({
  clerk_id: user.id,
  email: primaryEmailOf(user),
  first_name: user.first_name,
  last_name: user.last_name,
  username: user.username,
  image_url: user.image_url,
  clerk_updated_at: user.updated_at,
  deleted_at: null,
});
const tombstone = (clerkId: string): UserMirrorRow => ({
  clerk_id: clerkId,
  email: null,
  first_name: null,
  last_name: null,
  username: null,
  image_url: null,
  clerk_updated_at: 1,
  deleted_at: 2,
});

describe('compareUserMirror', () => {
  it('finds nothing when the mirror equals Clerk', () => {
    const result = compareUserMirror([mirrorOf(ada), tombstone(goneId)], [ada], [goneId]);
    expect(result).toEqual({ rowsCompared: 2, live: 1, deleted: 1, divergences: [] });
  });

  it('names every field that differs, a missing row, a live tombstone and an extra row', () => {
    const stale = { ...mirrorOf(ada), first_name: 'Augusta', email: 'old@example.org', clerk_updated_at: ada.updated_at - 1 };
    expect(compareUserMirror([stale, tombstone(goneId)], [ada], [goneId]).divergences).toEqual([
      `${ada.id}: email is "old@example.org" in the mirror, "ada@example.org" in Clerk`,
      `${ada.id}: first_name is "Augusta" in the mirror, "Ada" in Clerk`,
      `${ada.id}: clerk_updated_at is ${ada.updated_at - 1} in the mirror, ${ada.updated_at} in Clerk`,
    ]);
    expect(compareUserMirror([tombstone(goneId)], [ada], [goneId]).divergences).toEqual([`${ada.id}: live in Clerk but has no mirror row`]);
    expect(compareUserMirror([{ ...mirrorOf(ada), deleted_at: 5 }, tombstone(goneId)], [ada], [goneId]).divergences).toEqual([
      `${ada.id}: deleted_at is 5 in the mirror, null in Clerk`,
    ]);
    expect(compareUserMirror([mirrorOf(ada), tombstone(goneId), tombstone('user_stray')], [ada], [goneId]).divergences).toEqual([
      'user_stray: in the mirror but unknown to Clerk',
    ]);
  });

  it('requires deleted users to be tombstoned with every personal field erased', () => {
    expect(compareUserMirror([mirrorOf(ada)], [ada], [goneId]).divergences).toEqual([`${goneId}: deleted in Clerk but has no tombstone in the mirror`]);
    const notErased = { ...tombstone(goneId), first_name: 'Gone', deleted_at: null };
    expect(compareUserMirror([mirrorOf(ada), notErased], [ada], [goneId]).divergences).toEqual([
      `${goneId}: deleted in Clerk but deleted_at is null in the mirror`,
      `${goneId}: deleted in Clerk but first_name is still "Gone" in the mirror`,
    ]);
  });
});

const organizationRowOf = (organization: ClerkOrganizationJson): OrganizationMirrorRow => ({
  clerk_id: organization.id,
  name: organization.name,
  slug: organization.slug,
  image_url: organization.image_url,
  clerk_updated_at: organization.updated_at,
  deleted_at: null,
});
const organizationTombstone = (clerkId: string): OrganizationMirrorRow => ({
  clerk_id: clerkId,
  name: null,
  slug: null,
  image_url: null,
  clerk_updated_at: 1,
  deleted_at: 2,
});

describe('compareOrganizationMirror', () => {
  it('finds nothing when the mirror equals Clerk', () => {
    const result = compareOrganizationMirror([organizationRowOf(team), organizationTombstone(goneTeamId)], [team], [goneTeamId]);
    expect(result).toEqual({ rowsCompared: 2, live: 1, deleted: 1, divergences: [] });
  });

  it('names every field that differs, a missing row, a live tombstone and an extra row', () => {
    const stale = { ...organizationRowOf(team), name: 'Analytical Engines', slug: 'old-slug', clerk_updated_at: team.updated_at - 1 };
    expect(compareOrganizationMirror([stale, organizationTombstone(goneTeamId)], [team], [goneTeamId]).divergences).toEqual([
      `${team.id}: name is "Analytical Engines" in the mirror, "Analytical Engines Ltd" in Clerk`,
      `${team.id}: slug is "old-slug" in the mirror, ${JSON.stringify(team.slug)} in Clerk`,
      `${team.id}: clerk_updated_at is ${team.updated_at - 1} in the mirror, ${team.updated_at} in Clerk`,
    ]);
    expect(compareOrganizationMirror([organizationTombstone(goneTeamId)], [team], [goneTeamId]).divergences).toEqual([
      `${team.id}: live in Clerk but has no mirror row`,
    ]);
    expect(compareOrganizationMirror([{ ...organizationRowOf(team), deleted_at: 5 }, organizationTombstone(goneTeamId)], [team], [goneTeamId]).divergences).toEqual([
      `${team.id}: deleted_at is 5 in the mirror, null in Clerk`,
    ]);
    const rows = [organizationRowOf(team), organizationTombstone(goneTeamId), organizationTombstone('org_stray')];
    expect(compareOrganizationMirror(rows, [team], [goneTeamId]).divergences).toEqual(['org_stray: in the mirror but unknown to Clerk']);
    expect(compareOrganizationMirror([organizationRowOf(team), organizationRowOf(team)], [team], []).divergences).toEqual([`${team.id}: more than one mirror row`]);
  });

  it('requires deleted organizations to be tombstoned with name, slug and logo erased', () => {
    expect(compareOrganizationMirror([organizationRowOf(team)], [team], [goneTeamId]).divergences).toEqual([
      `${goneTeamId}: deleted in Clerk but has no tombstone in the mirror`,
    ]);
    const notErased = { ...organizationTombstone(goneTeamId), name: 'Gone team', deleted_at: null };
    expect(compareOrganizationMirror([organizationRowOf(team), notErased], [team], [goneTeamId]).divergences).toEqual([
      `${goneTeamId}: deleted in Clerk but deleted_at is null in the mirror`,
      `${goneTeamId}: deleted in Clerk but name is still "Gone team" in the mirror`,
    ]);
    expect(compareOrganizationMirror([organizationRowOf(team)], [team], [team.id]).divergences).toContain(
      `${team.id}: deleted, yet Clerk still lists the organization`,
    );
  });
});

const membershipRowOf = (membership: ClerkOrganizationMembershipJson): MembershipMirrorRow => ({
  clerk_id: membership.id,
  clerk_organization_id: membership.organization.id,
  clerk_user_id: membership.public_user_data.user_id,
  role: membership.role,
  clerk_created_at: membership.created_at,
  clerk_updated_at: membership.updated_at,
  deleted_at: null,
});
const membershipTombstone = ({ organizationId, userId, membershipId }: MembershipPair): MembershipMirrorRow => ({
  clerk_id: membershipId,
  clerk_organization_id: organizationId,
  clerk_user_id: userId,
  role: 'org:member',
  clerk_created_at: 1,
  clerk_updated_at: 2,
  deleted_at: 3,
});

describe('compareMembershipMirror', () => {
  const truth = (): MembershipTruth => ({ live: teamMemberships, ofDeletedOrganizations: goneTeamMemberships, pairs });
  const ended = () => pairs.filter((pair) => ![...teamMemberships, ...goneTeamMemberships].some((membership) => membership.id === pair.membershipId));
  const matching = () => [...teamMemberships.map(membershipRowOf), ...goneTeamMemberships.map(membershipRowOf), ...ended().map(membershipTombstone)];
  const key = (row: { clerk_organization_id: string; clerk_user_id: string }) => `${row.clerk_organization_id} ${row.clerk_user_id}`;
  /** The matching rows with the one of `pair` replaced (or dropped, for undefined). */
  const replacing = (pair: string, row: MembershipMirrorRow | undefined) =>
    matching().flatMap((candidate) => (key(candidate) === pair ? (row ? [row] : []) : [candidate]));

  it('finds nothing when the mirror equals Clerk: live, of a deleted organization, removed, and ended with their user', () => {
    // Ada and Grace in the team, Grace in the deleted team; Bob removed and Gone deleted.
    expect(teamMemberships).toHaveLength(2);
    expect(goneTeamMemberships).toHaveLength(1);
    expect(ended()).toHaveLength(2);
    expect(compareMembershipMirror(matching(), truth())).toEqual({ rowsCompared: 5, live: 2, deleted: 3, divergences: [] });
  });

  it('names every field of a live membership that differs, and a missing row', () => {
    const grace = teamMemberships.find((membership) => membership.role === 'org:member')!;
    const pair = key(membershipRowOf(grace));
    const stale = { ...membershipRowOf(grace), clerk_id: 'orgmem_older', role: 'org:admin', clerk_updated_at: grace.updated_at - 1, deleted_at: 9 };
    expect(compareMembershipMirror(replacing(pair, stale), truth()).divergences).toEqual([
      `${pair}: clerk_id is "orgmem_older" in the mirror, ${JSON.stringify(grace.id)} in Clerk`,
      `${pair}: role is "org:admin" in the mirror, "org:member" in Clerk`,
      `${pair}: clerk_updated_at is ${grace.updated_at - 1} in the mirror, ${grace.updated_at} in Clerk`,
      `${pair}: deleted_at is 9 in the mirror, null in Clerk`,
    ]);
    expect(compareMembershipMirror(replacing(pair, undefined), truth()).divergences).toEqual([`${pair}: a membership in Clerk but has no mirror row`]);
  });

  it('holds the memberships of a deleted organization to their state at its deletion', () => {
    const [graceInGoneTeam] = goneTeamMemberships as [ClerkOrganizationMembershipJson];
    const pair = key(membershipRowOf(graceInGoneTeam));
    expect(compareMembershipMirror(replacing(pair, { ...membershipRowOf(graceInGoneTeam), role: 'org:member' }), truth()).divergences).toEqual([
      `${pair}: role is "org:member" in the mirror, "org:admin" in Clerk when its organization was deleted`,
    ]);
    expect(compareMembershipMirror(replacing(pair, undefined), truth()).divergences).toEqual([
      `${pair}: a membership in Clerk when its organization was deleted but has no mirror row`,
    ]);
  });

  it('requires every ended membership, removed or ended with its user, to be the tombstone of the pair’s latest one', () => {
    for (const gone of ended()) {
      const pair = `${gone.organizationId} ${gone.userId}`;
      expect(compareMembershipMirror(replacing(pair, { ...membershipTombstone(gone), deleted_at: null }), truth()).divergences).toEqual([
        `${pair}: membership ${gone.membershipId} ended in Clerk but deleted_at is null in the mirror`,
      ]);
      expect(compareMembershipMirror(replacing(pair, { ...membershipTombstone(gone), clerk_id: 'orgmem_older' }), truth()).divergences).toEqual([
        `${pair}: clerk_id is "orgmem_older" in the mirror, the pair's latest membership is ${gone.membershipId}`,
      ]);
      expect(compareMembershipMirror(replacing(pair, undefined), truth()).divergences).toEqual([
        `${pair}: membership ${gone.membershipId} ended in Clerk but has no tombstone in the mirror`,
      ]);
    }
  });

  it('finds a row unknown to Clerk and a pair with two rows', () => {
    const stray = membershipTombstone({ organizationId: team.id, userId: 'user_stray', membershipId: 'orgmem_stray' });
    expect(compareMembershipMirror([...matching(), stray], truth()).divergences).toEqual([`${team.id} user_stray: in the mirror but unknown to Clerk`]);
    const [first] = matching() as [MembershipMirrorRow];
    expect(compareMembershipMirror([...matching(), first], truth()).divergences).toEqual([`${key(first)}: more than one mirror row`]);
  });
});

import type BetterSqlite3 from 'better-sqlite3';
import { newClerkId } from './clerk-ids';
import type {
  ClerkOrganizationJson,
  ClerkOrganizationMembershipJson,
  ClerkUserJson,
  DeletedOrganizationJson,
  OrganizationRoleKey,
} from './clerk-json';
import { publicUserDataOf } from './clerk-json';
import {
  AlreadyMemberError,
  EmulatorRequestError,
  LastAdminError,
  MembershipNotFoundError,
  OrganizationNotFoundError,
  SlugTakenError,
  UserNotFoundError,
} from './errors';
import { mergeMetadata, type Metadata } from './metadata';
import { SLUG_MAX_LENGTH, slugFromName } from './organization-input';
import { ADMIN_ROLE, organizationRole } from './organization-roles';
import type { Sqlite } from './store';
import type { ChangeOrigin, WebhookEventQueue } from './webhook-events';

/** An organization as stored: its JSON less what is counted on reading. */
type StoredOrganization = Omit<ClerkOrganizationJson, 'members_count' | 'pending_invitations_count'>;

interface MembershipRow {
  id: string;
  organization_id: string;
  user_id: string;
  role: OrganizationRoleKey;
  public_metadata: string;
  private_metadata: string;
  created_at: number;
  updated_at: number;
}

export interface OrganizationDirectoryOptions {
  db: Sqlite;
  events: WebhookEventQueue;
  /** Where members' `public_user_data` comes from. */
  users: { get(id: string): ClerkUserJson | undefined };
  /** Called after a change and its events have committed. */
  onEventQueued: () => void;
  now?: () => number;
}

export interface NewOrganization {
  name: string;
  /** Absent: made from the name, and made unique. Given: must be free. */
  slug?: string;
  /** The user who becomes its admin; null for none (the Backend API allows it). */
  createdBy: string | null;
  /** Default 0: no limit. */
  maxAllowedMemberships?: number;
  publicMetadata?: Metadata;
  privateMetadata?: Metadata;
}

/** The organization's own fields that the admin and Backend APIs may change. */
export interface OrganizationPatch {
  name?: string;
  slug?: string;
  max_allowed_memberships?: number;
  admin_delete_enabled?: boolean;
  /** Replaces the stored object (as `PATCH /v1/organizations/{id}` does). */
  public_metadata?: Metadata;
  private_metadata?: Metadata;
}

export interface MetadataChange {
  public_metadata?: Metadata;
  private_metadata?: Metadata;
}

export const ORGANIZATION_ORDERS = ['created_at', '-created_at', 'name', '-name', 'members_count', '-members_count'] as const;
export type OrganizationOrder = (typeof ORGANIZATION_ORDERS)[number];
export const MEMBERSHIP_ORDERS = ['created_at', '-created_at'] as const;
export type MembershipOrder = (typeof MEMBERSHIP_ORDERS)[number];

export interface OrganizationFilter {
  /** Only these ids. */
  ids?: readonly string[];
  /** An exact id, or part of the name or slug (case-insensitive). */
  query?: string;
}

export interface MembershipFilter {
  organizationId?: string;
  userIds?: readonly string[];
  roles?: readonly OrganizationRoleKey[];
}

export interface Page<Order> {
  orderBy: Order;
  offset: number;
  limit: number;
}

const ORGANIZATION_ORDER_SQL: Record<string, string> = {
  created_at: 'o.created_at',
  name: "json_extract(o.json, '$.name') COLLATE NOCASE",
  members_count: '(SELECT count(*) FROM organization_memberships m WHERE m.organization_id = o.id)',
};

const ORGANIZATION_FILTER = `(@ids IS NULL OR o.id IN (SELECT value FROM json_each(@ids)))
  AND (@query IS NULL OR o.id = @query OR o.slug LIKE @pattern ESCAPE '\\' OR json_extract(o.json, '$.name') LIKE @pattern ESCAPE '\\')`;

const MEMBERSHIP_FILTER = `(@organizationId IS NULL OR organization_id = @organizationId)
  AND (@userIds IS NULL OR user_id IN (SELECT value FROM json_each(@userIds)))
  AND (@roles IS NULL OR role IN (SELECT value FROM json_each(@roles)))`;

interface OrganizationFilterParameters {
  ids: string | null;
  query: string | null;
  pattern: string | null;
}

interface MembershipFilterParameters {
  organizationId: string | null;
  userIds: string | null;
  roles: string | null;
}

type OrganizationPageParameters = OrganizationFilterParameters & { limit: number; offset: number };
type MembershipPageParameters = MembershipFilterParameters & { limit: number; offset: number };

const jsonList = (values: readonly string[] | undefined) => (values === undefined ? null : JSON.stringify(values));

function organizationFilterParameters({ ids, query }: OrganizationFilter): OrganizationFilterParameters {
  const text = query?.trim() ? query.trim() : null;
  return { ids: jsonList(ids), query: text, pattern: text === null ? null : `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%` };
}

function membershipFilterParameters({ organizationId, userIds, roles }: MembershipFilter): MembershipFilterParameters {
  return { organizationId: organizationId ?? null, userIds: jsonList(userIds), roles: jsonList(roles) };
}

/**
 * Clerk's organizations and their memberships. Every change runs in one IMMEDIATE transaction
 * together with the outbox rows of its webhook events; `updated_at` strictly increases for each
 * change of one organization or membership.
 *
 * Deleting an organization sends `organization.deleted` alone, as Clerk does: its memberships go
 * with it, and whoever mirrors them removes them on that event. Deleting a user sends an
 * `organizationMembership.deleted` for each of the user's memberships (see `removeMembershipsOfUser`).
 * An organization keeps at least one admin: its last one can be neither removed nor demoted.
 */
export class OrganizationDirectory {
  private readonly db: Sqlite;
  private readonly options: OrganizationDirectoryOptions;
  private readonly now: () => number;
  private readonly statements;
  /** One prepared statement per order of `page` and of `pageMemberships`. */
  private readonly organizationPages = new Map<OrganizationOrder, BetterSqlite3.Statement<[OrganizationPageParameters], { json: string }>>();
  private readonly membershipPages = new Map<MembershipOrder, BetterSqlite3.Statement<[MembershipPageParameters], MembershipRow>>();

  constructor(options: OrganizationDirectoryOptions) {
    this.options = options;
    this.db = options.db;
    this.now = options.now ?? Date.now;
    const db = this.db;
    this.statements = {
      byId: db.prepare<[string], { json: string }>('SELECT json FROM organizations WHERE id = ?'),
      bySlug: db.prepare<[string], { json: string }>('SELECT json FROM organizations WHERE slug = ?'),
      slugOwner: db.prepare<[string], { id: string }>('SELECT id FROM organizations WHERE slug = ?'),
      insert: db.prepare('INSERT INTO organizations (id, slug, json, created_at, updated_at) VALUES (@id, @slug, @json, @createdAt, @updatedAt)'),
      update: db.prepare('UPDATE organizations SET slug = @slug, json = @json, updated_at = @updatedAt WHERE id = @id'),
      remove: db.prepare('DELETE FROM organizations WHERE id = ?'),
      list: db.prepare<[], { json: string }>('SELECT json FROM organizations ORDER BY created_at DESC, id DESC'),
      countOrganizations: db.prepare<[OrganizationFilterParameters], { count: number }>(`SELECT count(*) AS count FROM organizations o WHERE ${ORGANIZATION_FILTER}`),
      membersCount: db.prepare<[string], { count: number }>('SELECT count(*) AS count FROM organization_memberships WHERE organization_id = ?'),
      pendingInvitationsCount: db.prepare<[string], { count: number }>(
        "SELECT count(*) AS count FROM organization_invitations WHERE organization_id = ? AND status = 'pending'",
      ),
      removeInvitationsOfOrganization: db.prepare('DELETE FROM organization_invitations WHERE organization_id = ?'),
      adminCount: db.prepare<[string, string], { count: number }>(
        'SELECT count(*) AS count FROM organization_memberships WHERE organization_id = ? AND role = ?',
      ),
      membership: db.prepare<[string, string], MembershipRow>('SELECT * FROM organization_memberships WHERE organization_id = ? AND user_id = ?'),
      membershipsOfUser: db.prepare<[string], MembershipRow>('SELECT * FROM organization_memberships WHERE user_id = ? ORDER BY created_at DESC, id DESC'),
      insertMembership: db.prepare(
        `INSERT INTO organization_memberships (id, organization_id, user_id, role, created_at, updated_at)
         VALUES (@id, @organizationId, @userId, @role, @now, @now)`,
      ),
      updateMembership: db.prepare(
        `UPDATE organization_memberships SET role = @role, public_metadata = @publicMetadata, private_metadata = @privateMetadata,
           updated_at = @updatedAt WHERE id = @id`,
      ),
      removeMembership: db.prepare('DELETE FROM organization_memberships WHERE id = ?'),
      removeMembershipsOfOrganization: db.prepare('DELETE FROM organization_memberships WHERE organization_id = ?'),
      countMemberships: db.prepare<[MembershipFilterParameters], { count: number }>(
        `SELECT count(*) AS count FROM organization_memberships WHERE ${MEMBERSHIP_FILTER}`,
      ),
    };
    for (const orderBy of ORGANIZATION_ORDERS) {
      const direction = orderBy.startsWith('-') ? 'DESC' : 'ASC';
      const order = `${ORGANIZATION_ORDER_SQL[orderBy.replace(/^-/, '')]} ${direction}, o.id ${direction}`;
      this.organizationPages.set(
        orderBy,
        db.prepare(`SELECT json FROM organizations o WHERE ${ORGANIZATION_FILTER} ORDER BY ${order} LIMIT @limit OFFSET @offset`),
      );
    }
    for (const orderBy of MEMBERSHIP_ORDERS) {
      const direction = orderBy.startsWith('-') ? 'DESC' : 'ASC';
      this.membershipPages.set(
        orderBy,
        db.prepare(
          `SELECT * FROM organization_memberships WHERE ${MEMBERSHIP_FILTER} ORDER BY created_at ${direction}, id ${direction} LIMIT @limit OFFSET @offset`,
        ),
      );
    }
  }

  // Reading

  get(id: string): ClerkOrganizationJson | undefined {
    const row = this.statements.byId.get(id);
    return row ? this.organizationJson(JSON.parse(row.json) as StoredOrganization) : undefined;
  }

  /** By id, or else by slug: the Backend API's `GET /v1/organizations/{id or slug}`. */
  getByIdOrSlug(idOrSlug: string): ClerkOrganizationJson | undefined {
    const row = this.statements.byId.get(idOrSlug) ?? this.statements.bySlug.get(idOrSlug);
    return row ? this.organizationJson(JSON.parse(row.json) as StoredOrganization) : undefined;
  }

  /** Every organization, newest first. */
  list(): ClerkOrganizationJson[] {
    return this.statements.list.all().map((row) => this.organizationJson(JSON.parse(row.json) as StoredOrganization));
  }

  /** Organizations in the Backend API's order, ties broken by id so that offsets page stably. */
  page(filter: OrganizationFilter, { orderBy, offset, limit }: Page<OrganizationOrder>): ClerkOrganizationJson[] {
    return this.organizationPages
      .get(orderBy)!
      .all({ ...organizationFilterParameters(filter), limit, offset })
      .map((row) => this.organizationJson(JSON.parse(row.json) as StoredOrganization));
  }

  count(filter: OrganizationFilter = {}): number {
    return this.statements.countOrganizations.get(organizationFilterParameters(filter))?.count ?? 0;
  }

  /** The user's membership in the organization, if they are a member. */
  membership(organizationId: string, userId: string): ClerkOrganizationMembershipJson | undefined {
    const row = this.statements.membership.get(organizationId, userId);
    return row ? this.membershipJson(row) : undefined;
  }

  /** Every membership of the organization, newest first. */
  membershipsOf(organizationId: string): ClerkOrganizationMembershipJson[] {
    // SQLite reads a negative LIMIT as none.
    return this.pageMemberships({ organizationId }, { orderBy: '-created_at', offset: 0, limit: -1 });
  }

  /** The user's memberships, newest first. */
  membershipsOfUser(userId: string): ClerkOrganizationMembershipJson[] {
    return this.statements.membershipsOfUser.all(userId).map((row) => this.membershipJson(row));
  }

  /** Memberships (of one organization, or of the instance) in the Backend API's order, ties by id. */
  pageMemberships(filter: MembershipFilter, { orderBy, offset, limit }: Page<MembershipOrder>): ClerkOrganizationMembershipJson[] {
    const organizations = new Map<string, ClerkOrganizationJson>();
    return this.membershipPages
      .get(orderBy)!
      .all({ ...membershipFilterParameters(filter), limit, offset })
      .map((row) => this.membershipJson(row, organizations));
  }

  countMemberships(filter: MembershipFilter): number {
    return this.statements.countMemberships.get(membershipFilterParameters(filter))?.count ?? 0;
  }

  // Organizations

  /** Creates an organization; its creator, if any, becomes its admin. */
  create(input: NewOrganization, origin: ChangeOrigin): ClerkOrganizationJson {
    const organization = this.db
      .transaction(() => {
        const now = this.now();
        if (input.createdBy !== null && !this.options.users.get(input.createdBy)) throw new UserNotFoundError(input.createdBy);
        let slug: string;
        if (input.slug === undefined) slug = this.freeSlugLike(slugFromName(input.name));
        else if (this.statements.slugOwner.get(input.slug)) throw new SlugTakenError();
        else slug = input.slug;
        const id = newClerkId('org', now);
        const stored: StoredOrganization = {
          object: 'organization',
          id,
          name: input.name,
          slug,
          image_url: '',
          has_image: false,
          max_allowed_memberships: input.maxAllowedMemberships ?? 0,
          admin_delete_enabled: true,
          public_metadata: input.publicMetadata ?? {},
          private_metadata: input.privateMetadata ?? {},
          created_by: input.createdBy,
          created_at: now,
          updated_at: now,
        };
        this.statements.insert.run({ id, slug, json: JSON.stringify(stored), createdAt: now, updatedAt: now });
        if (input.createdBy !== null) this.insertMembership(id, input.createdBy, ADMIN_ROLE, now);
        const created = this.organizationJson(stored);
        this.options.events.queue('organization.created', created, id, now, origin);
        if (input.createdBy !== null) {
          const membership = this.requireMembership(id, input.createdBy);
          this.options.events.queue('organizationMembership.created', membership, membership.id, now, origin);
        }
        return created;
      })
      .immediate();
    this.options.onEventQueued();
    return organization;
  }

  /** Applies the given fields; a change that alters nothing is no change (no event, same updated_at). */
  update(id: string, patch: OrganizationPatch, origin: ChangeOrigin): ClerkOrganizationJson {
    return this.applyChange(id, origin, (next) => {
      if (patch.name !== undefined) next.name = patch.name;
      if (patch.slug !== undefined) next.slug = patch.slug;
      if (patch.max_allowed_memberships !== undefined) next.max_allowed_memberships = patch.max_allowed_memberships;
      if (patch.admin_delete_enabled !== undefined) next.admin_delete_enabled = patch.admin_delete_enabled;
      if (patch.public_metadata !== undefined) next.public_metadata = patch.public_metadata;
      if (patch.private_metadata !== undefined) next.private_metadata = patch.private_metadata;
    });
  }

  /**
   * `merge`: as Clerk's `PATCH /v1/organizations/{id}/metadata` (nested objects merge, `null`
   * removes a key); `replace`: as its `PUT`, each given object replaces the stored one.
   */
  updateMetadata(id: string, change: MetadataChange, mode: 'merge' | 'replace', origin: ChangeOrigin): ClerkOrganizationJson {
    return this.applyChange(id, origin, (next) => {
      for (const key of ['public_metadata', 'private_metadata'] as const) {
        const given = change[key];
        if (given !== undefined) next[key] = mode === 'merge' ? mergeMetadata(next[key], given) : given;
      }
    });
  }

  /** Deletes the organization, its memberships and invitations for good; only `organization.deleted` is sent. */
  delete(id: string, origin: ChangeOrigin): DeletedOrganizationJson {
    const deleted = this.db
      .transaction(() => {
        const current = this.storedOrganization(id);
        const now = Math.max(this.now(), current.updated_at + 1);
        this.statements.removeMembershipsOfOrganization.run(id);
        this.statements.removeInvitationsOfOrganization.run(id);
        this.statements.remove.run(id);
        const data: DeletedOrganizationJson = { object: 'organization', id, deleted: true };
        this.options.events.queue('organization.deleted', data, id, now, origin);
        return data;
      })
      .immediate();
    this.options.onEventQueued();
    return deleted;
  }

  private applyChange(id: string, origin: ChangeOrigin, change: (next: StoredOrganization) => void): ClerkOrganizationJson {
    let changed = false;
    const organization = this.db
      .transaction(() => {
        const current = this.storedOrganization(id);
        const next = structuredClone(current);
        change(next);
        if (JSON.stringify(next) === JSON.stringify(current)) return this.organizationJson(current);
        if (next.slug !== current.slug) {
          const owner = this.statements.slugOwner.get(next.slug);
          if (owner && owner.id !== id) throw new SlugTakenError();
        }
        // Whoever mirrors it treats an event whose updated_at is not newer than what it stored as stale.
        next.updated_at = Math.max(this.now(), current.updated_at + 1);
        this.statements.update.run({ id, slug: next.slug, json: JSON.stringify(next), updatedAt: next.updated_at });
        const updated = this.organizationJson(next);
        this.options.events.queue('organization.updated', updated, id, next.updated_at, origin);
        changed = true;
        return updated;
      })
      .immediate();
    if (changed) this.options.onEventQueued();
    return organization;
  }

  // Memberships

  /** Makes the user a member with `role`. */
  addMember(organizationId: string, userId: string, role: OrganizationRoleKey, origin: ChangeOrigin): ClerkOrganizationMembershipJson {
    const membership = this.db.transaction(() => this.addMemberInOpenTransaction(organizationId, userId, role, origin)).immediate();
    this.options.onEventQueued();
    return membership;
  }

  /**
   * `addMember` for a change that makes a member among other things (accepting an invitation):
   * call inside that change's transaction, which then tells `onEventQueued` once committed.
   */
  addMemberInOpenTransaction(organizationId: string, userId: string, role: OrganizationRoleKey, origin: ChangeOrigin): ClerkOrganizationMembershipJson {
    const organization = this.storedOrganization(organizationId);
    if (!this.options.users.get(userId)) throw new UserNotFoundError(userId);
    if (this.statements.membership.get(organizationId, userId)) throw new AlreadyMemberError(organizationId, userId);
    const limit = organization.max_allowed_memberships;
    if (limit > 0 && this.membersCount(organizationId) >= limit) {
      throw new EmulatorRequestError(
        403,
        'organization_membership_quota_exceeded',
        `Organization ${organizationId} allows at most ${limit} members (max_allowed_memberships).`,
      );
    }
    const now = this.now();
    this.insertMembership(organizationId, userId, role, now);
    const created = this.requireMembership(organizationId, userId);
    this.options.events.queue('organizationMembership.created', created, created.id, now, origin);
    return created;
  }

  /** Gives the member another role; the same role is no change. The last admin keeps theirs. */
  setRole(organizationId: string, userId: string, role: OrganizationRoleKey, origin: ChangeOrigin): ClerkOrganizationMembershipJson {
    return this.applyMembershipChange(organizationId, userId, origin, (next, current) => {
      if (role !== ADMIN_ROLE && current.role === ADMIN_ROLE) this.assertNotLastAdmin(organizationId);
      next.role = role;
    });
  }

  /** Merges the membership's metadata as Clerk's `PATCH …/memberships/{userId}/metadata` does. */
  updateMembershipMetadata(organizationId: string, userId: string, change: MetadataChange, origin: ChangeOrigin): ClerkOrganizationMembershipJson {
    return this.applyMembershipChange(organizationId, userId, origin, (next) => {
      if (change.public_metadata !== undefined) {
        next.public_metadata = JSON.stringify(mergeMetadata(JSON.parse(next.public_metadata) as Metadata, change.public_metadata));
      }
      if (change.private_metadata !== undefined) {
        next.private_metadata = JSON.stringify(mergeMetadata(JSON.parse(next.private_metadata) as Metadata, change.private_metadata));
      }
    });
  }

  /** Removes the member; answers the membership as it was. The last admin cannot be removed. */
  removeMember(organizationId: string, userId: string, origin: ChangeOrigin): ClerkOrganizationMembershipJson {
    const removed = this.db
      .transaction(() => {
        this.storedOrganization(organizationId);
        const row = this.statements.membership.get(organizationId, userId);
        if (!row) throw new MembershipNotFoundError(organizationId, userId);
        if (row.role === ADMIN_ROLE) this.assertNotLastAdmin(organizationId);
        return this.deleteMembership(row, Math.max(this.now(), row.updated_at + 1), origin);
      })
      .immediate();
    this.options.onEventQueued();
    return removed;
  }

  /**
   * Removes every membership of a user who is being deleted, each with its
   * `organizationMembership.deleted`, the last admin's included (Clerk lets a user be deleted
   * whatever their roles). Runs inside the user's deletion, at its time (`now`), and leaves
   * the notification of the events to it.
   */
  removeMembershipsOfUser(userId: string, now: number, origin: ChangeOrigin): void {
    for (const row of this.statements.membershipsOfUser.all(userId)) this.deleteMembership(row, now, origin);
  }

  private deleteMembership(row: MembershipRow, timestamp: number, origin: ChangeOrigin): ClerkOrganizationMembershipJson {
    const membership = this.membershipJson(row);
    this.statements.removeMembership.run(row.id);
    // The membership as it stood, inside the organization as it now stands (one member fewer).
    const deleted = { ...membership, organization: this.organizationJson(this.storedOrganization(row.organization_id)) };
    this.options.events.queue('organizationMembership.deleted', deleted, row.id, timestamp, origin);
    return deleted;
  }

  private applyMembershipChange(
    organizationId: string,
    userId: string,
    origin: ChangeOrigin,
    change: (next: MembershipRow, current: MembershipRow) => void,
  ): ClerkOrganizationMembershipJson {
    let changed = false;
    const membership = this.db
      .transaction(() => {
        this.storedOrganization(organizationId);
        const current = this.statements.membership.get(organizationId, userId);
        if (!current) throw new MembershipNotFoundError(organizationId, userId);
        const next = { ...current };
        change(next, current);
        if (next.role === current.role && next.public_metadata === current.public_metadata && next.private_metadata === current.private_metadata) {
          return this.membershipJson(current);
        }
        next.updated_at = Math.max(this.now(), current.updated_at + 1);
        this.statements.updateMembership.run({
          id: next.id,
          role: next.role,
          publicMetadata: next.public_metadata,
          privateMetadata: next.private_metadata,
          updatedAt: next.updated_at,
        });
        const updated = this.membershipJson(next);
        this.options.events.queue('organizationMembership.updated', updated, next.id, next.updated_at, origin);
        changed = true;
        return updated;
      })
      .immediate();
    if (changed) this.options.onEventQueued();
    return membership;
  }

  private insertMembership(organizationId: string, userId: string, role: OrganizationRoleKey, now: number): void {
    this.statements.insertMembership.run({ id: newClerkId('orgmem', now), organizationId, userId, role, now });
  }

  /** `base`, else `base-2`, `base-3`, …: the first slug that no organization holds. */
  private freeSlugLike(base: string): string {
    for (let n = 1; ; n += 1) {
      const suffix = n === 1 ? '' : `-${n}`;
      const candidate = `${base.slice(0, SLUG_MAX_LENGTH - suffix.length).replace(/-+$/, '')}${suffix}`;
      if (!this.statements.slugOwner.get(candidate)) return candidate;
    }
  }

  private assertNotLastAdmin(organizationId: string): void {
    if ((this.statements.adminCount.get(organizationId, ADMIN_ROLE)?.count ?? 0) <= 1) throw new LastAdminError(organizationId);
  }

  // JSON

  private storedOrganization(id: string): StoredOrganization {
    const row = this.statements.byId.get(id);
    if (!row) throw new OrganizationNotFoundError(id);
    return JSON.parse(row.json) as StoredOrganization;
  }

  private membersCount(organizationId: string): number {
    return this.statements.membersCount.get(organizationId)?.count ?? 0;
  }

  private organizationJson(stored: StoredOrganization): ClerkOrganizationJson {
    const { created_at, updated_at, ...fields } = stored;
    const pendingInvitations = this.statements.pendingInvitationsCount.get(stored.id)?.count ?? 0;
    return { ...fields, members_count: this.membersCount(stored.id), pending_invitations_count: pendingInvitations, created_at, updated_at };
  }

  private requireMembership(organizationId: string, userId: string): ClerkOrganizationMembershipJson {
    const membership = this.membership(organizationId, userId);
    if (!membership) throw new MembershipNotFoundError(organizationId, userId);
    return membership;
  }

  /** `organizations` caches each organization's JSON over one page of memberships. */
  private membershipJson(row: MembershipRow, organizations = new Map<string, ClerkOrganizationJson>()): ClerkOrganizationMembershipJson {
    let organization = organizations.get(row.organization_id);
    if (!organization) {
      organization = this.organizationJson(this.storedOrganization(row.organization_id));
      organizations.set(row.organization_id, organization);
    }
    const user = this.options.users.get(row.user_id);
    if (!user) throw new UserNotFoundError(row.user_id);
    const role = organizationRole(row.role);
    return {
      object: 'organization_membership',
      id: row.id,
      organization,
      permissions: [...role.permissions],
      public_metadata: JSON.parse(row.public_metadata) as Metadata,
      private_metadata: JSON.parse(row.private_metadata) as Metadata,
      public_user_data: publicUserDataOf(user),
      role: row.role,
      role_name: role.name,
      created_at: row.created_at,
      updated_at: row.updated_at,
    };
  }
}

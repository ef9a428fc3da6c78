import { newClerkId } from './clerk-ids';
import type { ClerkOrganizationInvitationJson, ClerkUserJson, OrganizationRoleKey } from './clerk-json';
import { primaryEmailOf } from './clerk-json';
import { EmulatorRequestError, OrganizationNotFoundError } from './errors';
import type { OrganizationDirectory } from './organization-directory';
import { organizationRole } from './organization-roles';
import type { Sqlite } from './store';
import type { ChangeOrigin, WebhookEventQueue } from './webhook-events';

/** Clerk's invitations expire after 30 days by default. */
const INVITATION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

interface InvitationRow {
  id: string;
  organization_id: string;
  email_address: string;
  role: OrganizationRoleKey;
  status: ClerkOrganizationInvitationJson['status'];
  created_at: number;
  updated_at: number;
}

export interface OrganizationInvitationsOptions {
  db: Sqlite;
  events: WebhookEventQueue;
  organizations: OrganizationDirectory;
  /** Called after a change and its events have committed. */
  onEventQueued: () => void;
  now?: () => number;
}

export class InvitationNotFoundError extends EmulatorRequestError {
  override name = 'InvitationNotFoundError';
  constructor(invitationId: string) {
    super(404, 'resource_not_found', `No pending invitation with id ${invitationId} exists in the Clerk stand-in.`);
  }
}

/**
 * Invitations to join an organization, as `<OrganizationProfile/>` makes them and
 * `<OrganizationSwitcher/>` accepts them. No email is sent: the invited person sees the
 * invitation in the switcher once signed in with that address. Each change sends Clerk's
 * `organizationInvitation.created`, `.accepted` or `.revoked`; accepting also makes the member
 * (`organizationMembership.created`), in the same transaction.
 */
export class OrganizationInvitations {
  private readonly db: Sqlite;
  private readonly options: OrganizationInvitationsOptions;
  private readonly now: () => number;
  private readonly statements;

  constructor(options: OrganizationInvitationsOptions) {
    this.options = options;
    this.db = options.db;
    this.now = options.now ?? Date.now;
    this.statements = {
      byId: this.db.prepare<[string], InvitationRow>('SELECT * FROM organization_invitations WHERE id = ?'),
      pendingFor: this.db.prepare<[string, string], InvitationRow>(
        "SELECT * FROM organization_invitations WHERE organization_id = ? AND email_address = ? AND status = 'pending'",
      ),
      pendingOfOrganization: this.db.prepare<[string], InvitationRow>(
        "SELECT * FROM organization_invitations WHERE organization_id = ? AND status = 'pending' ORDER BY created_at DESC, id DESC",
      ),
      pendingForEmail: this.db.prepare<[string], InvitationRow>(
        "SELECT * FROM organization_invitations WHERE email_address = ? AND status = 'pending' ORDER BY created_at DESC, id DESC",
      ),
      insert: this.db.prepare(
        `INSERT INTO organization_invitations (id, organization_id, email_address, role, status, created_at, updated_at)
         VALUES (@id, @organizationId, @emailAddress, @role, 'pending', @now, @now)`,
      ),
      setStatus: this.db.prepare('UPDATE organization_invitations SET status = @status, updated_at = @updatedAt WHERE id = @id'),
    };
  }

  /** The organization's pending invitations, newest first. */
  pendingOf(organizationId: string): ClerkOrganizationInvitationJson[] {
    return this.statements.pendingOfOrganization.all(organizationId).map(invitationJson);
  }

  /** Pending invitations addressed to the user's primary email address, newest first. */
  pendingForUser(user: ClerkUserJson): ClerkOrganizationInvitationJson[] {
    const email = primaryEmailOf(user);
    return email === null ? [] : this.statements.pendingForEmail.all(email).map(invitationJson);
  }

  /** Invites each address (lowercased) with `role`, all or none. */
  invite(organizationId: string, emailAddresses: readonly string[], role: OrganizationRoleKey, origin: ChangeOrigin): ClerkOrganizationInvitationJson[] {
    const invitations = this.db
      .transaction(() => {
        if (!this.options.organizations.get(organizationId)) throw new OrganizationNotFoundError(organizationId);
        const members = new Set(
          this.options.organizations.membershipsOf(organizationId).map((membership) => membership.public_user_data.identifier.toLowerCase()),
        );
        const now = this.now();
        return [...new Set(emailAddresses.map((address) => address.toLowerCase()))].map((emailAddress) => {
          if (members.has(emailAddress)) {
            throw new EmulatorRequestError(409, 'already_a_member_in_organization', `${emailAddress} is already a member of this organization.`, 'email_address');
          }
          if (this.statements.pendingFor.get(organizationId, emailAddress)) {
            throw new EmulatorRequestError(409, 'duplicate_record', `${emailAddress} has already been invited to this organization.`, 'email_address');
          }
          const id = newClerkId('orginv', now);
          this.statements.insert.run({ id, organizationId, emailAddress, role, now });
          const invitation = invitationJson(this.statements.byId.get(id)!);
          this.options.events.queue('organizationInvitation.created', invitation, id, now, origin);
          return invitation;
        });
      })
      .immediate();
    this.options.onEventQueued();
    return invitations;
  }

  /** Withdraws a pending invitation of the organization. */
  revoke(organizationId: string, invitationId: string, origin: ChangeOrigin): ClerkOrganizationInvitationJson {
    return this.close(invitationId, 'revoked', origin, (row) => {
      if (row.organization_id !== organizationId) throw new InvitationNotFoundError(invitationId);
    });
  }

  /** The invited user joins with the invitation's role; the invitation must be addressed to their email. */
  accept(invitationId: string, user: ClerkUserJson, origin: ChangeOrigin): ClerkOrganizationInvitationJson {
    return this.close(invitationId, 'accepted', origin, (row) => {
      if (row.email_address !== primaryEmailOf(user)?.toLowerCase()) throw new InvitationNotFoundError(invitationId);
      this.options.organizations.addMemberInOpenTransaction(row.organization_id, user.id, row.role, origin);
    });
  }

  private close(
    invitationId: string,
    status: 'accepted' | 'revoked',
    origin: ChangeOrigin,
    check: (row: InvitationRow) => void,
  ): ClerkOrganizationInvitationJson {
    const invitation = this.db
      .transaction(() => {
        const row = this.statements.byId.get(invitationId);
        if (!row || row.status !== 'pending') throw new InvitationNotFoundError(invitationId);
        check(row);
        const updatedAt = Math.max(this.now(), row.updated_at + 1);
        this.statements.setStatus.run({ id: invitationId, status, updatedAt });
        const closed = invitationJson({ ...row, status, updated_at: updatedAt });
        this.options.events.queue(status === 'accepted' ? 'organizationInvitation.accepted' : 'organizationInvitation.revoked', closed, invitationId, updatedAt, origin);
        return closed;
      })
      .immediate();
    this.options.onEventQueued();
    return invitation;
  }
}

function invitationJson(row: InvitationRow): ClerkOrganizationInvitationJson {
  return {
    object: 'organization_invitation',
    id: row.id,
    email_address: row.email_address,
    organization_id: row.organization_id,
    role: row.role,
    role_name: organizationRole(row.role).name,
    status: row.status,
    public_metadata: {},
    private_metadata: {},
    url: null,
    expires_at: row.created_at + INVITATION_LIFETIME_MS,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

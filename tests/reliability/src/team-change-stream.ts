import type { OrganizationRoleKey } from '@expectations/clerk-emulator';
import type { Random } from './random';

const ADMIN: OrganizationRoleKey = 'org:admin';
const MEMBER: OrganizationRoleKey = 'org:member';

/** The fields the stand-in's admin API takes for a team (a Clerk organization). */
export interface TeamFields {
  name: string;
  /** Absent: the stand-in makes one from the name. */
  slug?: string;
}

export type TeamChange =
  | { kind: 'createTeam'; fields: TeamFields & { created_by: string } }
  | { kind: 'renameTeam'; organizationId: string; fields: TeamFields }
  | { kind: 'deleteTeam'; organizationId: string }
  /** `rejoin`: the user was a member of the team before (a new membership of the same pair). */
  | { kind: 'addMember'; organizationId: string; userId: string; role: OrganizationRoleKey; rejoin: boolean }
  | { kind: 'setRole'; organizationId: string; userId: string; role: OrganizationRoleKey }
  | { kind: 'removeMember'; organizationId: string; userId: string };

/**
 * A change the stand-in must refuse: its team's only admin demoted or removed. It is answered
 * 403 `organization_minimum_permissions_needed` and sends no webhook.
 */
export type RefusedTeamChange = Extract<TeamChange, { kind: 'setRole' | 'removeMember' }> & { refusal: 'last_admin' };

/** Where the teams' members come from: the user stream's users. */
export interface UserPool {
  /** Users who exist now. */
  liveUserIds(): string[];
  /** Users never deleted: the kept team's members. */
  keptUserIds(): string[];
}

/** An organization and user pair that has had a membership, with its latest one's id. */
export interface MembershipPair {
  organizationId: string;
  userId: string;
  membershipId: string;
}

interface TrackedMember {
  role: OrganizationRoleKey;
  /** A kept user's membership of the kept team: never changed, the team readers rely on it. */
  kept: boolean;
}

interface TrackedTeam {
  id: string;
  serial: number;
  /** The first team: never deleted, every kept user a member of it. */
  kept: boolean;
  members: Map<string, TrackedMember>;
}

// Names that are not plain ASCII on purpose, as the users' are; slugs made from them drop the accents.
const TEAM_NAMES = ['Équipe', 'Ørsted crew', 'Núcleo', '開発', 'Team 🚀', 'Åland', 'Støtte', 'Ops'];

/**
 * The stream of team changes, drawn from a seeded generator, and the model of what the stand-in
 * holds: teams, members and roles, so that every change it draws is one the stand-in accepts
 * with exactly one effect (a rename always takes a new name, a role change always flips the
 * role), except the few it draws on purpose to be refused (`RefusedTeamChange`). The first
 * changes set up the kept team: created by the first kept user, the other kept users added.
 */
export class TeamChangeStream {
  private readonly live: TrackedTeam[] = [];
  private readonly deleted: string[] = [];
  private readonly pairs = new Map<string, MembershipPair>();
  private serials = 0;
  private version = 0;

  constructor(
    private readonly random: Random,
    private readonly users: UserPool,
  ) {}

  /** The kept team's id, once the stand-in has created it. */
  keptTeamId(): string | undefined {
    return this.live.find((team) => team.kept)?.id;
  }

  /** Whether the kept team exists with every kept user in it. */
  keptTeamReady(): boolean {
    const team = this.live.find((candidate) => candidate.kept);
    return team !== undefined && this.users.keptUserIds().every((userId) => team.members.has(userId));
  }

  next(): TeamChange | RefusedTeamChange {
    const setUp = this.keptTeamSetUp();
    if (setUp) return setUp;
    const roll = this.random.next();
    if (this.live.length < 3 || roll < 0.12) return this.createTeam(false);
    if (roll < 0.25) return this.renameTeam();
    if (roll < 0.31) return this.deleteTeam() ?? this.renameTeam();
    if (roll < 0.58) return this.addMember() ?? this.createTeam(false);
    if (roll < 0.76) return this.setRole() ?? this.addMember() ?? this.createTeam(false);
    if (roll < 0.95) return this.removeMember() ?? this.addMember() ?? this.createTeam(false);
    return this.lastAdminChange() ?? this.setRole() ?? this.addMember() ?? this.createTeam(false);
  }

  /**
   * Records what the stand-in did with a change it accepted. `membershipId` is the id of the
   * membership the change made, changed or removed (for a new team, its creator's).
   */
  accepted(change: TeamChange, ids: { organizationId?: string; membershipId?: string } = {}): void {
    switch (change.kind) {
      case 'createTeam': {
        if (!ids.organizationId || !ids.membershipId) throw new Error('accepted(createTeam) needs the new team id and its creator’s membership id');
        const kept = !this.live.some((team) => team.kept);
        const team: TrackedTeam = { id: ids.organizationId, serial: this.serials, kept, members: new Map() };
        team.members.set(change.fields.created_by, { role: ADMIN, kept });
        this.live.push(team);
        this.recordPair(team.id, change.fields.created_by, ids.membershipId);
        return;
      }
      case 'renameTeam':
        return;
      case 'deleteTeam': {
        const index = this.live.findIndex((team) => team.id === change.organizationId);
        if (index !== -1) this.live.splice(index, 1);
        this.deleted.push(change.organizationId);
        return;
      }
      case 'addMember': {
        if (!ids.membershipId) throw new Error('accepted(addMember) needs the new membership id');
        const team = this.team(change.organizationId);
        team.members.set(change.userId, { role: change.role, kept: team.kept && this.users.keptUserIds().includes(change.userId) });
        this.recordPair(change.organizationId, change.userId, ids.membershipId);
        return;
      }
      case 'setRole': {
        this.team(change.organizationId).members.get(change.userId)!.role = change.role;
        return;
      }
      case 'removeMember':
        this.team(change.organizationId).members.delete(change.userId);
    }
  }

  /**
   * Records a user's deletion: the stand-in removes each of their memberships with it, each with
   * its own `organizationMembership.deleted`. Answers how many memberships that is.
   */
  userDeleted(userId: string): number {
    let removed = 0;
    for (const team of this.live) if (team.members.delete(userId)) removed += 1;
    return removed;
  }

  deletedTeamIds(): string[] {
    return [...this.deleted];
  }

  /** Every pair that has had a membership, in the order they first had one. */
  membershipPairs(): MembershipPair[] {
    return [...this.pairs.values()];
  }

  private keptTeamSetUp(): TeamChange | undefined {
    const [creator, ...others] = this.users.keptUserIds();
    if (creator === undefined) throw new Error('the kept team needs the kept users first');
    const team = this.live.find((candidate) => candidate.kept);
    if (!team) return this.createTeam(true, creator);
    const missing = others.find((userId) => !team.members.has(userId));
    return missing === undefined ? undefined : { kind: 'addMember', organizationId: team.id, userId: missing, role: MEMBER, rejoin: false };
  }

  private createTeam(kept: boolean, creator?: string): TeamChange {
    this.serials += 1;
    this.version += 1;
    const name = kept ? `Kept team ${this.version}` : this.name();
    const fields: TeamFields & { created_by: string } = { name, created_by: creator ?? this.random.pick(this.users.liveUserIds()) };
    // Half the teams take the slug the stand-in makes from the name (made unique by it).
    if (this.random.chance(0.5)) fields.slug = `team-${this.serials}-v${this.version}`;
    return { kind: 'createTeam', fields };
  }

  private renameTeam(): TeamChange {
    const team = this.random.pick(this.live);
    this.version += 1;
    const fields: TeamFields = { name: this.name() };
    if (this.random.chance(0.4)) fields.slug = `team-${team.serial}-v${this.version}`;
    return { kind: 'renameTeam', organizationId: team.id, fields };
  }

  private deleteTeam(): TeamChange | undefined {
    const removable = this.live.filter((team) => !team.kept);
    return removable.length === 0 ? undefined : { kind: 'deleteTeam', organizationId: this.random.pick(removable).id };
  }

  /** Adds a live user to a team; often one who was removed from it, so that the pair gets a new membership. */
  private addMember(): TeamChange | undefined {
    const role = this.random.chance(0.3) ? ADMIN : MEMBER;
    const live = this.users.liveUserIds();
    const removed = [...this.pairs.values()].filter(
      ({ organizationId, userId }) => live.includes(userId) && this.live.some((team) => team.id === organizationId && !team.members.has(userId)),
    );
    if (removed.length > 0 && this.random.chance(0.4)) {
      const { organizationId, userId } = this.random.pick(removed);
      return { kind: 'addMember', organizationId, userId, role, rejoin: true };
    }
    const open = this.live.filter((team) => live.some((userId) => !team.members.has(userId)));
    if (open.length === 0) return undefined;
    const team = this.random.pick(open);
    const userId = this.random.pick(live.filter((candidate) => !team.members.has(candidate)));
    return { kind: 'addMember', organizationId: team.id, userId, role, rejoin: this.pairs.has(`${team.id} ${userId}`) };
  }

  /** Flips a role: a member becomes an admin, an admin who is not the team's only one a member. */
  private setRole(): TeamChange | undefined {
    const [team, userId, member] = this.changeableMembership() ?? [];
    if (!team || !userId || !member) return undefined;
    return { kind: 'setRole', organizationId: team.id, userId, role: member.role === ADMIN ? MEMBER : ADMIN };
  }

  /** Removes a member who is not the team's only admin. */
  private removeMember(): TeamChange | undefined {
    const [team, userId] = this.changeableMembership() ?? [];
    if (!team || !userId) return undefined;
    return { kind: 'removeMember', organizationId: team.id, userId };
  }

  /** A membership the stand-in lets change: not a kept one, and not a team's only admin. */
  private changeableMembership(): [TrackedTeam, string, TrackedMember] | undefined {
    const candidates = this.live.flatMap((team) =>
      [...team.members]
        .filter(([, member]) => !member.kept && !(member.role === ADMIN && this.adminsOf(team) === 1))
        .map(([userId, member]): [TrackedTeam, string, TrackedMember] => [team, userId, member]),
    );
    return candidates.length === 0 ? undefined : this.random.pick(candidates);
  }

  /** On purpose, a team's only admin demoted or removed: the stand-in must refuse it. */
  private lastAdminChange(): RefusedTeamChange | undefined {
    const candidates = this.live.flatMap((team) =>
      this.adminsOf(team) === 1
        ? [...team.members].filter(([, member]) => member.role === ADMIN && !member.kept).map(([userId]) => ({ team, userId }))
        : [],
    );
    if (candidates.length === 0) return undefined;
    const { team, userId } = this.random.pick(candidates);
    return this.random.chance(0.5)
      ? { kind: 'setRole', organizationId: team.id, userId, role: MEMBER, refusal: 'last_admin' }
      : { kind: 'removeMember', organizationId: team.id, userId, refusal: 'last_admin' };
  }

  private adminsOf(team: TrackedTeam): number {
    return [...team.members.values()].filter((member) => member.role === ADMIN).length;
  }

  private team(id: string): TrackedTeam {
    const team = this.live.find((candidate) => candidate.id === id);
    if (!team) throw new Error(`the stream has no live team ${id}`);
    return team;
  }

  private recordPair(organizationId: string, userId: string, membershipId: string): void {
    this.pairs.set(`${organizationId} ${userId}`, { organizationId, userId, membershipId });
  }

  private name(): string {
    return `${this.random.pick(TEAM_NAMES)} ${this.version}`;
  }
}

import type { Random } from './random';

/** The fields the stand-in's admin API takes for a user. */
export interface UserFields {
  first_name: string | null;
  last_name: string | null;
  email_address: string;
  username?: string | null;
  /** null resets to the generated avatar. */
  image_url?: string | null;
}

export type UserChange =
  | { kind: 'create'; fields: UserFields }
  | { kind: 'update'; userId: string; fields: Partial<UserFields> }
  | { kind: 'delete'; userId: string };

// Names that are not plain ASCII on purpose: the mirror must keep every code point as Clerk sent it.
const FIRST_NAMES = ['Ada', 'Grace', 'Zoë', 'José', 'Åsa', 'Nguyễn', '李', 'Ōta', 'Chidi', 'Siobhán', 'Renée', '🙂 Sunny'];
const LAST_NAMES = ['Lovelace', 'Hopper', "O'Brien", 'Müller', 'Díaz', 'Ñúñez', '王', 'Σταύρου', 'Łukasz', 'van der Berg'];

interface TrackedUser {
  id: string;
  serial: number;
  /** Never deleted: the readers and authors sign in as them. */
  kept: boolean;
}

/**
 * The stream of user changes, drawn from a seeded generator. Every update changes at least one
 * field to a value never used before, so every change produces exactly one webhook, and every
 * email address and username is unique, so the stand-in never refuses one.
 */
export class ChangeStream {
  private readonly live: TrackedUser[] = [];
  private readonly deleted: string[] = [];
  private serials = 0;
  private version = 0;

  constructor(
    private readonly random: Random,
    /** The first users created are kept (never deleted). */
    private readonly keptUsers: number,
  ) {}

  next(): UserChange {
    const removable = this.live.filter((user) => !user.kept);
    const roll = this.random.next();
    if (this.live.length < this.keptUsers + 3 || roll < 0.3) return { kind: 'create', fields: this.newUserFields() };
    if (roll < 0.82 || removable.length === 0) {
      const user = this.random.pick(this.live);
      return { kind: 'update', userId: user.id, fields: this.changedFields(user) };
    }
    return { kind: 'delete', userId: this.random.pick(removable).id };
  }

  /** Records what the stand-in did with a change it accepted. */
  accepted(change: UserChange, createdId?: string): void {
    if (change.kind === 'create') {
      if (!createdId) throw new Error('accepted(create) needs the new user id');
      this.live.push({ id: createdId, serial: this.serials, kept: this.live.filter((user) => user.kept).length < this.keptUsers });
    } else if (change.kind === 'delete') {
      const index = this.live.findIndex((user) => user.id === change.userId);
      if (index !== -1) this.live.splice(index, 1);
      this.deleted.push(change.userId);
    }
  }

  keptUserIds(): string[] {
    return this.live.filter((user) => user.kept).map((user) => user.id);
  }

  liveUserIds(): string[] {
    return this.live.map((user) => user.id);
  }

  deletedUserIds(): string[] {
    return [...this.deleted];
  }

  private newUserFields(): UserFields {
    this.serials += 1;
    this.version += 1;
    const serial = this.serials;
    const fields: UserFields = {
      first_name: this.random.chance(0.1) ? null : this.name(FIRST_NAMES),
      last_name: this.random.chance(0.15) ? null : this.name(LAST_NAMES),
      email_address: `user${serial}.v${this.version}@example.org`,
    };
    if (this.random.chance(0.5)) fields.username = `user${serial}_v${this.version}`;
    if (this.random.chance(0.3)) fields.image_url = `https://img.example.org/${serial}/${this.version}.png`;
    return fields;
  }

  private changedFields(user: TrackedUser): Partial<UserFields> {
    this.version += 1;
    const version = this.version;
    const fresh: Array<() => Partial<UserFields>> = [
      () => ({ first_name: this.name(FIRST_NAMES) }),
      () => ({ last_name: this.name(LAST_NAMES) }),
      () => ({ email_address: `user${user.serial}.v${version}@example.org` }),
      () => ({ username: `user${user.serial}_v${version}` }),
      () => ({ image_url: `https://img.example.org/${user.serial}/${version}.png` }),
    ];
    // One field always gets a value never seen before; the others may be cleared or changed too.
    const fields: Partial<UserFields> = { ...this.random.pick(fresh)() };
    if (this.random.chance(0.3)) Object.assign(fields, this.random.pick(fresh)());
    if (this.random.chance(0.1)) Object.assign(fields, this.random.pick<Partial<UserFields>>([{ first_name: null }, { last_name: null }, { username: null }, { image_url: null }]));
    // Clearing must not undo the one guaranteed change.
    if (Object.values(fields).every((value) => value === null)) fields.first_name = this.name(FIRST_NAMES);
    return fields;
  }

  private name(pool: readonly string[]): string {
    return `${this.random.pick(pool)} ${this.version}`;
  }
}

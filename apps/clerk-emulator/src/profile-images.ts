import { newClerkId } from './clerk-ids';
import type { Sqlite } from './store';

export interface StoredImage {
  contentType: string;
  bytes: Buffer;
}

/** The pictures users upload as their avatar in `<UserProfile/>`. A user's go with the user. */
export class ProfileImages {
  private readonly statements;

  constructor(db: Sqlite) {
    this.statements = {
      insert: db.prepare('INSERT INTO images (id, user_id, content_type, bytes, created_at) VALUES (@id, @userId, @contentType, @bytes, @now)'),
      byId: db.prepare<[string], { content_type: string; bytes: Buffer }>('SELECT content_type, bytes FROM images WHERE id = ?'),
    };
  }

  save(userId: string, image: StoredImage, now = Date.now()): string {
    const id = newClerkId('img', now);
    this.statements.insert.run({ id, userId, contentType: image.contentType, bytes: image.bytes, now });
    return id;
  }

  get(id: string): StoredImage | undefined {
    const row = this.statements.byId.get(id);
    return row ? { contentType: row.content_type, bytes: row.bytes } : undefined;
  }
}

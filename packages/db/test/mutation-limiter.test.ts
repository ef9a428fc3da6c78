import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMutationLimiter } from '@expectations/db';
import { createTempDatabase, type TempDatabase } from '@expectations/db/testing';

let db: TempDatabase;
beforeEach(async () => {
  db = await createTempDatabase();
});
afterEach(() => db.destroy());

describe('the mutation limiter (in memory on SQLite, in the database on PostgreSQL)', () => {
  it('allows a burst of perMinute, then one per 60/perMinute seconds, per key', async () => {
    const clock = { now: 1_000_000 };
    const limiter = createMutationLimiter(db, { perMinute: 3, now: () => clock.now });
    expect([await limiter.take('a'), await limiter.take('a'), await limiter.take('a')]).toEqual([null, null, null]);
    expect(await limiter.take('a')).toBe(20_000);
    expect(await limiter.take('b')).toBeNull(); // per key
    clock.now += 19_999;
    expect(await limiter.take('a')).toBe(1);
    clock.now += 1;
    expect(await limiter.take('a')).toBeNull();
    expect(await limiter.take('a')).toBe(20_000);
  });

  it('counts every take exactly once when many arrive at once', async () => {
    const limiter = createMutationLimiter(db, { perMinute: 10, now: () => 5_000_000 });
    const answers = await Promise.all(Array.from({ length: 25 }, () => limiter.take('burst')));
    expect(answers.filter((wait) => wait === null)).toHaveLength(10);
  });

  it('refuses a nonsensical limit with a message that says what is expected', () => {
    expect(() => createMutationLimiter(db, { perMinute: 0 })).toThrow(/positive integer/);
  });
});

import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { cursorInput, encodeCursor } from '../cursor';
import { pageSize, pagingDirection, rowId, search, withoutNul } from '../inputs';
import { toPublicProfile, type Page, type PublicProfile } from '../outputs';
import { meProcedure, protectedProcedure, router } from '../trpc';

const userListCursor = cursorInput('users.list', z.tuple([z.string().max(400).refine(...withoutNul('cursor')), rowId]));

export const usersRouter = router({
  /** The caller's mirror row id; PRECONDITION_FAILED while the user webhook has not landed. */
  ensureExists: meProcedure.query(({ ctx }): { id: number } => ({ id: ctx.me.id })),

  byId: protectedProcedure.input(z.strictObject({ id: rowId })).query(async ({ ctx, input }): Promise<PublicProfile> => {
    const profile = await ctx.queries.findPublicProfileById(input.id);
    if (!profile) throw new TRPCError({ code: 'NOT_FOUND', message: `No user with id ${input.id}.` });
    return toPublicProfile(profile);
  }),

  /**
   * Users who are not deleted, by display name; `query` searches names and usernames. With a team
   * active, only its live members (the people an expectation of the team may be assigned to).
   */
  list: meProcedure
    .input(
      z
        .strictObject({ query: search.nullish(), cursor: userListCursor.nullish(), direction: pagingDirection, limit: pageSize })
        .prefault({}),
    )
    .query(async ({ ctx, input }): Promise<Page<PublicProfile>> => {
      const page = await ctx.queries.listUsers({
        search: input.query ?? undefined,
        after: input.cursor ? { sortKey: input.cursor[0], id: input.cursor[1] } : undefined,
        clerkOrganizationId: ctx.team?.clerkOrganizationId,
        limit: input.limit,
      });
      return {
        items: page.items.map(toPublicProfile),
        nextCursor: page.next ? encodeCursor('users.list', [page.next.sortKey, page.next.id]) : null,
      };
    }),
});

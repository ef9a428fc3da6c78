import { TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';
import { cursorInput, encodeCursor } from '../cursor';
import { details, dueOn, pageSize, pagingDirection, rowId, status, title } from '../inputs';
import type { Expectation, Page } from '../outputs';
import { limitMutations, meProcedure, protectedProcedure, router } from '../trpc';

const expectationListCursor = cursorInput('expectations.list', z.tuple([rowId]));

const notFound = (id: number) => new TRPCError({ code: 'NOT_FOUND', message: `No expectation with id ${id}.` });

export const expectationsRouter = router({
  /** Newest first, keyset-paged; the page and both user joins are one SQL statement. */
  list: protectedProcedure
    .input(
      z
        .strictObject({
          cursor: expectationListCursor.nullish(),
          direction: pagingDirection,
          limit: pageSize,
          authorId: rowId.nullish(),
          assigneeId: rowId.nullish(),
          status: status.nullish(),
        })
        .prefault({}),
    )
    .query(async ({ ctx, input }): Promise<Page<Expectation>> => {
      const page = await ctx.queries.listExpectations({
        beforeId: input.cursor?.[0],
        limit: input.limit,
        authorId: input.authorId ?? undefined,
        assigneeId: input.assigneeId ?? undefined,
        status: input.status ?? undefined,
      });
      return {
        items: page.items,
        nextCursor: page.nextBeforeId === null ? null : encodeCursor('expectations.list', [page.nextBeforeId]),
      };
    }),

  byId: protectedProcedure.input(z.strictObject({ id: rowId })).query(async ({ ctx, input }): Promise<Expectation> => {
    const row = await ctx.queries.findExpectationById(input.id);
    if (!row) throw notFound(input.id);
    return row;
  }),

  /** Creates an open expectation authored by the caller. */
  create: meProcedure
    .input(
      z.strictObject({
        title,
        details: details.nullish(),
        assigneeId: rowId.nullish(),
        dueOn: dueOn.nullish(),
      }),
    )
    .use(limitMutations)
    .mutation(async ({ ctx, input }): Promise<Expectation> => {
      const result = await ctx.queries.createExpectation({
        authorId: ctx.me.id,
        assigneeId: input.assigneeId ?? null,
        title: input.title,
        details: input.details ?? '',
        dueOn: input.dueOn ?? null,
      });
      if (!result.created) {
        const message = `No active user with id ${input.assigneeId}: assign the expectation to someone listed by users.list`;
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message,
          // Shaped like an input error so that clients show it next to the assignee field.
          cause: new ZodError([{ code: 'custom', path: ['assigneeId'], message, input: input.assigneeId }]),
        });
      }
      const created = await ctx.queries.findExpectationById(result.id);
      if (!created) throw new Error(`expectation ${result.id} vanished right after it was created`);
      return created;
    }),

  /** Moves an expectation to a status; only its author may. */
  setStatus: meProcedure
    .input(z.strictObject({ id: rowId, status }))
    .use(limitMutations)
    .mutation(async ({ ctx, input }): Promise<Expectation> => {
      const result = await ctx.queries.setExpectationStatus({ id: input.id, actorId: ctx.me.id, status: input.status });
      if (result === 'not_found') throw notFound(input.id);
      if (result === 'not_author') {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'Only the author of an expectation can change its status.' });
      }
      const row = await ctx.queries.findExpectationById(input.id);
      if (!row) throw notFound(input.id);
      return row;
    }),
});

import { TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';
import { cursorInput, encodeCursor } from '../cursor';
import { details, dueOn, pageSize, pagingDirection, rowId, status, title } from '../inputs';
import type { Expectation, Page } from '../outputs';
import { limitMutations, meProcedure, protectedProcedure, resolveViewer, router, scopeOf } from '../trpc';

const expectationListCursor = cursorInput('expectations.list', z.tuple([rowId]));

const notFound = (id: number) => new TRPCError({ code: 'NOT_FOUND', message: `No expectation with id ${id}.` });

export const expectationsRouter = router({
  /**
   * Newest first, keyset-paged, in the session's scope (its active team's, or its personal ones);
   * the scope check, the page and both user joins are one SQL statement.
   */
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
        scope: scopeOf(ctx.auth),
        beforeId: input.cursor?.[0],
        limit: input.limit,
        authorId: input.authorId ?? undefined,
        assigneeId: input.assigneeId ?? undefined,
        status: input.status ?? undefined,
      });
      // The statement finds nothing, too, when the caller or their membership is not live: say
      // which (a 412 or 403 the client can act on) rather than show an empty team.
      if (page.items.length === 0) await resolveViewer(ctx, ctx.auth);
      return {
        items: page.items,
        nextCursor: page.nextBeforeId === null ? null : encodeCursor('expectations.list', [page.nextBeforeId]),
      };
    }),

  byId: protectedProcedure.input(z.strictObject({ id: rowId })).query(async ({ ctx, input }): Promise<Expectation> => {
    const row = await ctx.queries.findExpectationById(input.id, scopeOf(ctx.auth));
    if (row) return row;
    await resolveViewer(ctx, ctx.auth);
    // Another team's expectation is answered as one that does not exist, never revealed.
    throw notFound(input.id);
  }),

  /** Creates an open expectation authored by the caller, in their active team (or personal when none is active). */
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
        organizationId: ctx.team?.organizationId ?? null,
        assigneeId: input.assigneeId ?? null,
        title: input.title,
        details: input.details ?? '',
        dueOn: input.dueOn ?? null,
      });
      if (!result.created) {
        const message =
          result.reason === 'assignee_not_member'
            ? `User ${input.assigneeId} is not a member of this team: assign the expectation to someone listed by users.list`
            : `No active user with id ${input.assigneeId}: assign the expectation to someone listed by users.list`;
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message,
          // Shaped like an input error so that clients show it next to the assignee field.
          cause: new ZodError([{ code: 'custom', path: ['assigneeId'], message, input: input.assigneeId }]),
        });
      }
      const created = await ctx.queries.findExpectationById(result.id, scopeOf(ctx.auth));
      if (!created) throw new Error(`expectation ${result.id} vanished right after it was created`);
      return created;
    }),

  /** Moves an expectation to a status: its author may, and a team admin may withdraw any of the team's. */
  setStatus: meProcedure
    .input(z.strictObject({ id: rowId, status }))
    .use(limitMutations)
    .mutation(async ({ ctx, input }): Promise<Expectation> => {
      const result = await ctx.queries.setExpectationStatus({
        id: input.id,
        actorId: ctx.me.id,
        organizationId: ctx.team?.organizationId ?? null,
        actorIsTeamAdmin: ctx.team?.isAdmin ?? false,
        status: input.status,
      });
      if (result === 'not_found') throw notFound(input.id);
      if (result === 'not_author') {
        throw new TRPCError({
          code: 'FORBIDDEN',
          message: 'Only the author of an expectation can change its status; a team admin may also withdraw it.',
        });
      }
      const row = await ctx.queries.findExpectationById(input.id, scopeOf(ctx.auth));
      if (!row) throw notFound(input.id);
      return row;
    }),
});

import { z } from 'zod';

/**
 * Page cursors are opaque to clients: base64url of a small JSON tuple whose first element names
 * the list it belongs to, so a cursor from one list is refused by another instead of silently
 * paging wrong. The content is not secret; it only says where the previous page ended.
 */
export function encodeCursor(list: string, position: readonly unknown[]): string {
  return Buffer.from(JSON.stringify([list, ...position]), 'utf8').toString('base64url');
}

const CURSOR_MAX_LENGTH = 512;

/** A zod schema for the `cursor` input of `list`, decoding to the position or failing the input. */
export function cursorInput<T extends readonly unknown[]>(list: string, position: z.ZodType<T>) {
  return z
    .string()
    .max(CURSOR_MAX_LENGTH, `cursor must be a nextCursor exactly as ${list} returned it`)
    .transform((cursor, ctx): T => {
      const decoded = decode(cursor);
      const parsed = Array.isArray(decoded) && decoded[0] === list ? position.safeParse(decoded.slice(1)) : undefined;
      if (!parsed?.success) {
        ctx.addIssue({
          code: 'custom',
          message: `cursor must be a nextCursor exactly as ${list} returned it; omit it to start from the first page`,
        });
        return z.NEVER;
      }
      return parsed.data;
    });
}

function decode(cursor: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

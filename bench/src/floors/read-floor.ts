/**
 * The physical floor for the read path: node:http, RS256 session-token verification with
 * node:crypto (claims cached per token string until `exp`, as the API may do), the product's own
 * `expectations.list` statement for the token's team (its membership check included) run through the same driver as the API (better-sqlite3 on a plain
 * read-only connection, or a pg pool of the same size as the API's with the statement prepared by
 * name), and JSON in tRPC's response shape with the API's response headers. No framework, no
 * middleware, no validation library, no logging.
 */
import { createPublicKey, verify } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { captureListStatement, type CapturedListStatement } from '../lib/list-sql';

const url = process.env.DATABASE_URL!;
const allowedParties = new Set(process.env.WEB_ORIGIN!.split(','));
const publicKey = createPublicKey(process.env.CLERK_JWT_KEY!);

const firstPage = await captureListStatement(url, false);
const laterPage = await captureListStatement(url, true);

/** Runs one of the two captured statements with the given parameters: rows as arrays. */
type RunStatement = (which: 'first' | 'later', parameters: unknown[]) => Row[] | Promise<Row[]>;
let run: RunStatement;
let close: () => unknown;
if (/^postgres(ql)?:/.test(url)) {
  const pool = new pg.Pool({
    connectionString: url,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    // The API's pool plans its prepared statements generically; so does the floor's.
    onConnect: async (client) => {
      await client.query('SET plan_cache_mode = force_generic_plan');
    },
  });
  const text = { first: firstPage.sql, later: laterPage.sql };
  run = async (which, values) => (await pool.query<Row>({ name: `floor.${which}`, text: text[which], values, rowMode: 'array' })).rows;
  close = () => pool.end();
} else {
  const db = new BetterSqlite3(url.replace(/^file:/, ''), { readonly: true });
  const prepared = { first: db.prepare(firstPage.sql).raw(true), later: db.prepare(laterPage.sql).raw(true) };
  run = (which, parameters) => prepared[which].all(...parameters) as Row[];
  close = () => db.close();
}
const statements: Record<'first' | 'later', CapturedListStatement> = { first: firstPage, later: laterPage };

interface Claims {
  sub: string;
  exp: number;
  nbf: number;
  azp: string;
  o?: { id: string };
}

const verified = new Map<string, Claims>();

/** The session's claims, or null when it has no valid one. */
function authenticate(header: string | undefined): Claims | null {
  if (!header?.startsWith('Bearer ')) return null;
  const token = header.slice(7);
  const now = Date.now() / 1000;
  let claims = verified.get(token);
  if (!claims) {
    const [head, body, signature] = token.split('.');
    if (!head || !body || !signature) return null;
    if (!verify('RSA-SHA256', Buffer.from(`${head}.${body}`), publicKey, Buffer.from(signature, 'base64url'))) return null;
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Claims;
    if (verified.size > 10_000) verified.clear();
    verified.set(token, claims);
  }
  return claims.exp + 5 > now && claims.nbf - 5 <= now && allowedParties.has(claims.azp) ? claims : null;
}

type Row = [number, string, string, string, string | null, number | string, number | string, number, string, string | null, number, number | null, string | null, string | null, number | null];

const profile = (id: number | null, name: string | null, image: string | null, deleted: number | null) =>
  id === null ? null : { id, displayName: name, imageUrl: image, deleted: deleted === 1 };

async function listPage(claims: Claims, input: { limit?: number; cursor?: string }): Promise<unknown> {
  const limit = input.limit ?? 20;
  const beforeId = input.cursor ? Number(Buffer.from(input.cursor, 'base64url').toString('utf8')) : undefined;
  const which = beforeId === undefined ? 'first' : 'later';
  const chosen = statements[which];
  const parameters = [...chosen.parameters];
  parameters[chosen.limitIndex] = limit + 1;
  if (beforeId !== undefined) parameters[chosen.beforeIdIndex] = beforeId;
  for (const index of chosen.userIndexes) parameters[index] = claims.sub;
  for (const index of chosen.organizationIndexes) parameters[index] = claims.o?.id ?? null;
  const rows = await run(which, parameters);
  const items = rows.slice(0, limit).map((row) => ({
    id: row[0],
    title: row[1],
    details: row[2],
    status: row[3],
    dueOn: row[4],
    createdAt: new Date(Number(row[5])).toISOString(),
    updatedAt: new Date(Number(row[6])).toISOString(),
    author: profile(row[7], row[8], row[9], row[10]),
    assignee: profile(row[11], row[12], row[13], row[14]),
  }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? Buffer.from(String(last.id)).toString('base64url') : null };
}

// The same response headers as the API sends, so that both put the same bytes on the wire and
// the load generator, which shares the machine, parses the same amount for each.
const responseHeaders = {
  'Content-Security-Policy': "default-src 'none';frame-ancestors 'none'",
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-site',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=15552000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  Vary: 'trpc-accept, accept, Origin',
  'Cache-Control': 'no-store',
  'Content-Type': 'application/json',
};

function send(res: ServerResponse, status: number, body: unknown, origin: string | undefined) {
  const json = JSON.stringify(body);
  const cors = origin !== undefined && allowedParties.has(origin) ? { 'Access-Control-Allow-Origin': origin } : {};
  res.writeHead(status, { ...responseHeaders, ...cors, 'Content-Length': Buffer.byteLength(json) }).end(json);
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://floor');
  const origin = req.headers.origin;
  if (url.pathname !== '/trpc/expectations.list') return send(res, 404, { error: { message: 'not found' } }, origin);
  const claims = authenticate(req.headers.authorization);
  if (!claims) return send(res, 401, { error: { message: 'unauthorized' } }, origin);
  const input = JSON.parse(url.searchParams.get('input') ?? '{}') as { limit?: number; cursor?: string };
  listPage(claims, input).then(
    (data) => send(res, 200, { result: { data } }, origin),
    () => send(res, 500, { error: { message: 'internal' } }, origin),
  );
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ msg: 'floor listening', url: `http://127.0.0.1:${port}` }));
});
process.once('SIGTERM', () => server.close(() => void close()));

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../../kernel/context.ts';
import { AppError } from '../../kernel/errors.ts';
import { ACCESS, declared } from '../../kernel/web/access.ts';
import { MEDIA_TYPES } from '../../kernel/web/bodies.ts';
import { setFlash } from '../../kernel/web/flash.ts';
import { pageContext, sendPage } from '../../kernel/web/page.ts';
import { parseId, requireViewer } from '../../kernel/web/params.ts';
import { writeRate } from '../../kernel/web/rate-limits.ts';
import { formValues } from '../../kernel/web/validation.ts';
import { checkDeliveryShape } from '../../modules/federation/delivery-shape.ts';
import { actorPathOf, fediverse, followRemote, unfollowRemote } from '../../modules/federation/federation.service.ts';
import { federationOf } from '../../modules/federation/federation.ts';
import { FediversePage } from './federation.pages.tsx';

/** Remote servers deliver and fetch without a session or a form token; a busy one may post often. */
const serverToServer = declared({ caller: 'signed', csrf: 'none', body: 'activity' }, { max: 600, timeWindow: '1 minute' });

/** The actor and host a delivery's HTTP signature names (draft-cavage keyId, or RFC 9421 keyid), unverified. */
function senderOf(request: FastifyRequest): { actor: string; host: string } | null {
  const header = `${request.headers.signature ?? ''} ${request.headers['signature-input'] ?? ''}`.slice(0, 4096);
  const keyId = /keyid="([^"]{1,2000})"/i.exec(header)?.[1];
  if (!keyId) return null;
  try {
    const url = new URL(keyId);
    return { actor: `${url.origin}${url.pathname}`, host: url.host };
  } catch {
    return null;
  }
}

export async function federationRoutes(app: FastifyInstance, ctx: Context) {
  const found = federationOf(ctx);
  if (!found) return;
  const { federation, origin } = found;

  /** Hands the request to Fedify, at the configured origin whatever Host the client sent. */
  const bridge = async (request: FastifyRequest, reply: FastifyReply) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
    }
    const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (request.method === 'POST') checkDeliveryShape(bytes);
    const body = request.method === 'POST' ? new Uint8Array(bytes) : undefined;
    const response = await federation.fetch(new Request(new URL(request.url, origin), { method: request.method, headers, body }), {
      contextData: ctx,
      onNotFound: () => new Response('There is nothing at this address.', { status: 404, headers: { 'content-type': 'text/plain' } }),
      onNotAcceptable: () =>
        new Response('Ask for application/activity+json.', { status: 406, headers: { 'content-type': 'text/plain', vary: 'Accept' } }),
    });
    reply.status(response.status);
    for (const [name, value] of response.headers) reply.header(name, value);
    return reply.send(Buffer.from(await response.arrayBuffer()));
  };
  // A fediverse server given an author page's address asks it for the actor: send it there.
  app.addHook('onRequest', async (request, reply) => {
    const accept = request.headers.accept ?? '';
    if (request.method !== 'GET' || !(accept.includes('activity+json') || accept.includes('ld+json'))) return;
    const name = /^\/users\/([^/?#]+)\/?(?:\?|$)/.exec(request.url)?.[1];
    const actor = name ? await actorPathOf(ctx, name) : null;
    if (actor) return reply.redirect(actor, 302);
  });
  await app.register(async (s2s) => {
    // Signatures cover the exact bytes of a delivery: keep them as they came (on these routes only).
    s2s.addContentTypeParser(MEDIA_TYPES.activity, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    // Besides the route's limit per address: per remote actor and per remote host, as their
    // signatures name them (checked before the signature is: a forged name only spends its own
    // budget), so one actor cannot fill the queue with thirty Follows and thirty Accepts.
    const limits = [
      s2s.createRateLimit({ max: 20, timeWindow: '1 minute', keyGenerator: (r) => `ap-actor:${senderOf(r)?.actor ?? r.ip}` }),
      s2s.createRateLimit({ max: 300, timeWindow: '1 minute', keyGenerator: (r) => `ap-host:${senderOf(r)?.host ?? r.ip}` }),
    ];
    s2s.addHook('onRequest', async (request, reply) => {
      if (request.method !== 'POST') return;
      for (const limit of limits) {
        const result = await limit(request);
        // isAllowed means an allow list let it through; past the limit is isExceeded.
        if (!result.isAllowed && result.isExceeded) {
          reply.header('retry-after', String(result.ttlInSeconds));
          throw new AppError(429, `Too many deliveries. Try again in ${result.ttlInSeconds} seconds.`);
        }
      }
    });
    for (const url of ['/.well-known/webfinger', '/ap/*']) {
      s2s.route({ method: ['GET', 'HEAD', 'POST'], url, ...serverToServer, handler: bridge });
    }
  });

  app.get('/fediverse', async (request, reply) => {
    const found = await fediverse(ctx, requireViewer(request));
    return sendPage(reply, FediversePage({ page: pageContext(request, reply), ...found }));
  });

  app.post('/fediverse/follow', declared(ACCESS.account, writeRate), async (request, reply) => {
    const viewer = requireViewer(request);
    const address = (formValues(request.body).address ?? '').slice(0, 500);
    let name: string;
    try {
      ({ name } = await followRemote(ctx, viewer, address));
    } catch (error) {
      // An address that leads nowhere is said beside the field, with what was typed kept.
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      const page = FediversePage({ page: pageContext(request, reply), ...(await fediverse(ctx, viewer)), address, problem: error.message });
      return sendPage(reply, page, 400);
    }
    setFlash(reply, `Follow sent to ${name}; their posts appear here once their server accepts.`);
    return reply.redirect('/fediverse', 303);
  });

  app.post<{ Params: { actorId: string } }>('/fediverse/unfollow/:actorId', declared(ACCESS.account, writeRate), async (request, reply) => {
    await unfollowRemote(ctx, requireViewer(request), parseId(request.params.actorId, 'Account'));
    setFlash(reply, 'Unfollowed.');
    return reply.redirect('/fediverse', 303);
  });
}

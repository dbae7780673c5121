import type { Access } from '../kernel/web/access.ts';
import type { Viewer } from '../kernel/web/viewer.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route and how it takes its body (kernel/web/access.ts); ACCESS.account when unsaid. */
    access?: Access;
  }

  interface FastifyInstance {
    /** The origin of PUBLIC_URL (`https://stories.example.org`), or '' when it is not configured. */
    publicOrigin: string;
  }

  interface FastifyRequest {
    /** The signed-in person, or null; set from the session cookie on every request. */
    viewer: Viewer | null;
  }
}

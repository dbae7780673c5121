import type { Viewer } from '../features/accounts/viewer.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in person, or null; set from the session cookie on every request. */
    viewer: Viewer | null;
  }
}

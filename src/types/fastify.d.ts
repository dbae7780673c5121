import type { BodyKind } from '../kernel/web/bodies.ts';
import type { Viewer } from '../kernel/web/viewer.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** An unsafe route that people without a session may use (log-in, sign-up); others are refused before their body is read. */
    anonymous?: boolean;
    /** The handler reads the body with readMultipartForm, which checks the CSRF token itself. */
    multipart?: boolean;
    /**
     * False only where a forged post can do no harm (reading settings set a display cookie);
     * 'same-site' for a button on a cached page shared by many readers (kudos), which can carry no
     * form token: the browser's Sec-Fetch-Site (or Origin) must say the post came from this site.
     */
    csrf?: boolean | 'same-site';
    /**
     * A form whose text must survive an expired session or CSRF token (the story, chapter and
     * profile editors): its body is read even then, and the handler shows the form again, filled in.
     */
    keepsText?: boolean;
    /** What the body may be (web/bodies.ts): a form unless said; any other kind is refused unread with 415. */
    body?: BodyKind;
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

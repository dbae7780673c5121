import type { Config } from '../../kernel/config.ts';

/** Whether the archive speaks ActivityPub: only with PUBLIC_URL, an address other servers can reach and that never changes. */
export const federates = (ctx: { config: Pick<Config, 'publicUrl'> }) => ctx.config.publicUrl !== undefined;

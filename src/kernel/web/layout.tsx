import type { ComponentChildren } from 'preact';
import { assetHref } from './assets.ts';
import type { PageContext } from './page.ts';
import { authorPath } from './paths.ts';

/** How a page is named when shared: its one address, and a picture (a story's cover). */
export type ShareMeta = { canonical: string; image?: string | undefined; type?: 'article' | 'website' };

type LayoutProps = {
  page: PageContext;
  title: string;
  description?: string;
  share?: ShareMeta;
  /** The address of this page's Atom feed, for feed readers to discover. */
  feed?: string;
  /** The ActivityPub actor this page shows, for fediverse servers to discover. */
  actor?: string;
  children: ComponentChildren;
};

export function Layout({ page, title, description, share, feed, actor, children }: LayoutProps) {
  const { preferences } = page;
  return (
    <html lang="en" data-theme={preferences.theme}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        {description && <meta name="description" content={description} />}
        <title>{title === 'Golden Oak' ? title : `${title} · Golden Oak`}</title>
        {share && <ShareTags page={page} title={title} description={description} share={share} />}
        {feed && <link rel="alternate" type="application/atom+xml" title={`${title} (Atom feed)`} href={feed} />}
        {actor && <link rel="alternate" type="application/activity+json" href={actor} />}
        <link rel="stylesheet" href={assetHref('oak.css')} />
        <link rel="icon" href={assetHref('favicon.svg')} type="image/svg+xml" />
      </head>
      <body class={`font-${preferences.font} size-${preferences.size} width-${preferences.width}`}>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader page={page} />
        <main id="main">
          {page.flash && (
            <p class="flash" role="status">
              {page.flash}
            </p>
          )}
          {children}
        </main>
        <footer class="site-footer">
          <a href="/tags">Tags</a> · <a href="/settings/reading">Reading settings</a> · Golden Oak, an archive of our stories
        </footer>
      </body>
    </html>
  );
}

/**
 * OpenGraph and Twitter card tags, so a shared link previews with its title, summary and cover, and
 * the canonical address. The addresses must be absolute, and the Host header a client sends is not
 * believed, so those need PUBLIC_URL; without it only the title, description and card are given.
 */
function ShareTags({
  page,
  title,
  description,
  share,
}: {
  page: PageContext;
  title: string;
  description?: string | undefined;
  share: ShareMeta;
}) {
  const absolute = (path: string) => `${page.origin}${path}`;
  return (
    <>
      {page.origin && <link rel="canonical" href={absolute(share.canonical)} />}
      <meta property="og:site_name" content="Golden Oak" />
      <meta property="og:type" content={share.type ?? 'website'} />
      <meta property="og:title" content={title} />
      {description && <meta property="og:description" content={description} />}
      {page.origin && <meta property="og:url" content={absolute(share.canonical)} />}
      {page.origin && share.image && <meta property="og:image" content={absolute(share.image)} />}
      <meta name="twitter:card" content={page.origin && share.image ? 'summary_large_image' : 'summary'} />
    </>
  );
}

/** The one part of a page that depends on who is signed in (page.ts swaps it into shared pages). */
export function SiteHeader({ page }: { page: PageContext }) {
  const { viewer } = page;
  if (!viewer) {
    return (
      <HeaderBar>
        <div class="nav-links">
          <a href={`/login?next=${encodeURIComponent(page.path)}`}>Log in</a>
          <a href="/signup">Sign up</a>
        </div>
      </HeaderBar>
    );
  }
  const links = (
    <>
      <a href="/stories/new">Write</a>
      <a href="/import">Import</a>
      <a href="/library">Library</a>
      <a href="/notifications" class={viewer.unread ? 'unread-count' : undefined}>
        Notifications{viewer.unread ? ` (${viewer.unread > 99 ? '99+' : viewer.unread})` : ''}
      </a>
      {(viewer.role === 'moderator' || viewer.role === 'admin') && (
        <>
          <a href="/moderation">Moderate</a>
          <a href="/wrangling">Wrangle</a>
        </>
      )}
      <a href={authorPath(viewer.username)}>{viewer.displayName}</a>
      <a href="/settings/account">Settings</a>
      <form method="post" action="/logout" class="inline-form">
        <input type="hidden" name="_csrf" value={page.csrfToken} />
        <button type="submit" class="link-button">
          Log out
        </button>
      </form>
    </>
  );
  // Wide screens show the links in a row; phones get them behind a <details> menu, so the header
  // stays one row and no script is needed. The stylesheet shows exactly one of the two.
  return (
    <HeaderBar>
      <div class="nav-links nav-wide">{links}</div>
      <details class="nav-menu">
        <summary>Menu</summary>
        <div class="nav-menu-links">{links}</div>
      </details>
    </HeaderBar>
  );
}

/** The bar every header shares: the archive's name, then the links for who is looking. */
function HeaderBar({ children }: { children: ComponentChildren }) {
  return (
    <header class="site-header">
      <nav class="site-nav" aria-label="Site">
        <a class="brand" href="/">
          Golden Oak
        </a>
        {/* biome-ignore lint/a11y/useSemanticElements: a form with role=search is the landmark every screen reader knows; <search> is newer than some readers' browsers. */}
        <form method="get" action="/search" role="search" class="header-search">
          <input type="search" name="q" aria-label="Search stories" placeholder="Search" maxLength={1000} />
          <button type="submit" class="visually-hidden">
            Search
          </button>
        </form>
        {children}
      </nav>
    </header>
  );
}

import type { ComponentChildren } from 'preact';
import { stylesheetHref } from './assets.ts';
import type { PageContext } from './page.ts';
import { authorPath } from './paths.ts';

type LayoutProps = { page: PageContext; title: string; description?: string; children: ComponentChildren };

export function Layout({ page, title, description, children }: LayoutProps) {
  const { preferences } = page;
  return (
    <html lang="en" data-theme={preferences.theme}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        {description && <meta name="description" content={description} />}
        <title>{title === 'Golden Oak' ? title : `${title} · Golden Oak`}</title>
        <link rel="stylesheet" href={stylesheetHref()} />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
      </head>
      <body class={`font-${preferences.font} size-${preferences.size} width-${preferences.width}`}>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader page={page} />
        <main id="main">{children}</main>
        <footer class="site-footer">
          <a href="/settings/reading">Reading settings</a> · Golden Oak, an archive of our stories
        </footer>
      </body>
    </html>
  );
}

/** The one part of a page that depends on who is signed in (page.ts swaps it into shared pages). */
export function SiteHeader({ page }: { page: PageContext }) {
  const { viewer } = page;
  return (
    <header class="site-header">
      <nav class="site-nav" aria-label="Site">
        <a class="brand" href="/">
          Golden Oak
        </a>
        <span class="nav-links">
          {viewer ? (
            <>
              <a href="/stories/new">Write</a>
              <a href="/import">Import</a>
              <a href={authorPath(viewer.username)}>{viewer.displayName}</a>
              <a href="/settings/account">Settings</a>
              <form method="post" action="/logout" class="inline-form">
                <input type="hidden" name="_csrf" value={page.csrfToken} />
                <button type="submit" class="link-button">
                  Log out
                </button>
              </form>
            </>
          ) : (
            <>
              <a href={`/login?next=${encodeURIComponent(page.path)}`}>Log in</a>
              <a href="/signup">Sign up</a>
            </>
          )}
        </span>
      </nav>
    </header>
  );
}

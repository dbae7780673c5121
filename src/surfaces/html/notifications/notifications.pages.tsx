import type { Page } from '../../../kernel/db/pagination.ts';
import { formatDate } from '../../../kernel/web/format.ts';
import { ChoiceGroup, CsrfField, type FormState, PostButton } from '../../../kernel/web/forms.tsx';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import { KINDS, MODES } from '../../../modules/notifications/notifications.service.ts';
import { Pager } from '../parts/story-parts.tsx';

type Item = { id: number; text: string; created_at: number; read_at: number | null };

export function NotificationsPage({ page, list }: { page: PageContext; list: Page<Item> }) {
  const unread = list.items.some((item) => item.read_at === null);
  return (
    <Layout page={page} title="Notifications">
      <div class="narrow-page">
        <h1>Notifications</h1>
        <p class="muted">
          <a href="/settings/notifications">Choose what you hear about</a> · <a href="/following">Following</a>
        </p>
        {unread && <PostButton csrf={page.csrfToken} action="/notifications/read" label="Mark all as read" />}
        {list.items.length === 0 ? (
          <p class="muted">Nothing yet. Follow authors and subscribe to stories to hear when they post.</p>
        ) : (
          <ul class="notifications">
            {list.items.map((item) => (
              <li class={item.read_at === null ? 'unread' : undefined}>
                <a href={`/notifications/${item.id}`}>{item.text}</a> <span class="muted">{formatDate(item.created_at)}</span>
                {item.read_at === null && <span class="visually-hidden"> (unread)</span>}
              </li>
            ))}
          </ul>
        )}
        <Pager page={list} base="/notifications" labels={['‹ Newer', 'Older ›']} />
      </div>
    </Layout>
  );
}

type PreferencesProps = { page: PageContext; form: FormState; mail: boolean; saved: boolean };

/** One choice per kind; the e-mail choices only when the archive sends mail and the reader has a verified address. */
export function NotificationSettingsPage({ page, form, mail, saved }: PreferencesProps) {
  const options = MODES.filter((mode) => mail || !mode.mail).map(({ mode, label }) => ({ value: mode, label }));
  return (
    <Layout page={page} title="Notification settings">
      <div class="narrow-page">
        <h1>Notifications</h1>
        {saved && (
          <p class="notice" role="status">
            Saved.
          </p>
        )}
        {!mail && (
          <p class="muted">
            E-mail choices appear here once you add and verify an address in <a href="/settings/account">account settings</a>.
          </p>
        )}
        <form method="post" action="/settings/notifications" class="stacked-form" novalidate>
          <CsrfField token={page.csrfToken} />
          {KINDS.map(({ kind, label }) => (
            <ChoiceGroup form={form} name={kind} label={label} options={options} />
          ))}
          <button type="submit" class="button primary">
            Save
          </button>
        </form>
      </div>
    </Layout>
  );
}

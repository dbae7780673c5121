import type { ReportKind } from '../../../kernel/db/schema.ts';
import { formatDate } from '../../../kernel/web/format.ts';
import { CsrfField, FormErrors, type FormState, TextArea } from '../../../kernel/web/forms.tsx';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import type { OpenReport } from '../../../modules/moderation/moderation.service.ts';

type ReportProps = { page: PageContext; kind: ReportKind; id: number; label: string; form: FormState };

export function ReportPage({ page, kind, id, label, form }: ReportProps) {
  return (
    <Layout page={page} title="Report">
      <div class="narrow-page">
        <h1>Report {label}</h1>
        <p class="muted">Moderators will see your reason and a copy of the text as it is now. The writer is not told who reported it.</p>
        <form method="post" action="/report" class="stacked-form" novalidate>
          <CsrfField token={page.csrfToken} />
          <input type="hidden" name="kind" value={kind} />
          <input type="hidden" name="id" value={String(id)} />
          <FormErrors form={form} />
          <TextArea form={form} name="reason" label="What is wrong with it?" rows={5} maxLength={2000} />
          <button type="submit" class="button primary">
            Send the report
          </button>
        </form>
      </div>
    </Layout>
  );
}

/** A one-field form posting a reason (or a number of days) to a moderation action. */
function ActionForm({ page, action, label, days }: { page: PageContext; action: string; label: string; days?: boolean }) {
  return (
    <form method="post" action={action} class="inline-form moderation-action">
      <CsrfField token={page.csrfToken} />
      {days && (
        <label>
          Days <input type="number" name="days" min="1" max="3650" value="7" required />
        </label>
      )}
      <input type="text" name="reason" placeholder="Reason" maxLength={500} aria-label={`Reason to ${label.toLowerCase()}`} />
      <button type="submit" class="button">
        {label}
      </button>
    </form>
  );
}

const hideAction = (report: OpenReport) =>
  report.target_kind === 'story'
    ? `/moderation/stories/${report.target_id}/hide`
    : report.target_kind === 'comment'
      ? `/moderation/comments/${report.target_id}/hide`
      : null;

const KIND_WORDS = { story: 'A story', chapter: 'A chapter', comment: 'A comment', user: 'An account' } as const;

/** Where the reported thing is (a chapter's address needs its story, which the report does not keep). */
const targetLink = (report: OpenReport) =>
  report.target_kind === 'story'
    ? `/stories/${report.target_id}`
    : report.target_kind === 'comment'
      ? `/comments/${report.target_id}`
      : report.target_kind === 'user' && report.target_username
        ? `/users/${report.target_username}`
        : null;

export function ModerationQueuePage({ page, reports }: { page: PageContext; reports: OpenReport[] }) {
  return (
    <Layout page={page} title="Moderation">
      <div class="narrow-page">
        <h1>Moderation queue</h1>
        <p class="muted">
          {reports.length === 0 ? 'No open reports.' : `${reports.length} open, oldest first.`} · <a href="/moderation/log">Audit log</a>
        </p>
        {reports.map((report) => {
          const hide = hideAction(report);
          return (
            <article class="report" id={`report-${report.id}`}>
              <h2>
                {targetLink(report) ? (
                  <a href={targetLink(report) ?? ''}>{KIND_WORDS[report.target_kind]}</a>
                ) : (
                  KIND_WORDS[report.target_kind]
                )}
                {report.target_username && (
                  <>
                    {' '}
                    by <a href={`/users/${report.target_username}`}>@{report.target_username}</a>
                  </>
                )}
              </h2>
              <p class="muted">
                Reported by {report.reporter_username ? `@${report.reporter_username}` : 'a deleted account'} on{' '}
                {formatDate(report.created_at)}
              </p>
              <p>
                <strong>Reason:</strong> {report.reason}
              </p>
              <details>
                <summary>The text when it was reported</summary>
                <pre class="snapshot">{report.snapshot}</pre>
              </details>
              <div class="report-actions">
                {hide && <ActionForm page={page} action={hide} label="Hide it" />}
                {report.target_username && (
                  <ActionForm page={page} action={`/moderation/users/${report.target_username}/suspend`} label="Suspend the writer" days />
                )}
                <ActionForm page={page} action={`/moderation/reports/${report.id}/resolve`} label="Close the report" />
              </div>
            </article>
          );
        })}
      </div>
    </Layout>
  );
}

type AuditRow = {
  id: number;
  action: string;
  target_kind: string;
  target_id: number | null;
  detail: string;
  created_at: number;
  actor_username: string | null;
};

export function AuditLogPage({ page, rows }: { page: PageContext; rows: AuditRow[] }) {
  const last = rows.at(-1);
  return (
    <Layout page={page} title="Audit log">
      <div class="narrow-page">
        <h1>Audit log</h1>
        <p class="muted">
          Every moderation and admin action, newest first. <a href="/moderation">Moderation queue</a>
        </p>
        <table class="audit-log">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Did</th>
              <th>To</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr>
                <td>{new Date(row.created_at).toISOString().slice(0, 16).replace('T', ' ')}</td>
                <td>{row.actor_username ? `@${row.actor_username}` : 'operator'}</td>
                <td>{row.action}</td>
                <td>
                  {row.target_kind} {row.target_id ?? ''}
                </td>
                <td>{row.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 100 && last && (
          <p>
            <a class="button" href={`/moderation/log?before=${last.id}`} rel="next">
              Older
            </a>
          </p>
        )}
      </div>
    </Layout>
  );
}

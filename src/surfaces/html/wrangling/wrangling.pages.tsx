import type { TagType } from '../../../kernel/db/schema.ts';
import { TAG_TYPE_LABELS } from '../../../kernel/db/tag-types.ts';
import { formatCount } from '../../../kernel/web/format.ts';
import { ChoiceGroup, CsrfField, FormErrors, type FormState, TextInput } from '../../../kernel/web/forms.tsx';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import { tagPath } from '../../../kernel/web/paths.ts';
import { canEditGenres } from '../../../modules/wrangling/wrangling.policy.ts';
import type { TagRef, TagRelations } from '../../../modules/wrangling/wrangling.service.ts';
import { WRANGLED_TYPES } from '../../../modules/wrangling/wrangling.service.ts';

export const wranglePath = (tag: { id: number; name: string }) => `${tagPath(tag)}/wrangle`;

type QueueProps = {
  page: PageContext;
  type: TagType;
  tags: (TagRef & { uses: number })[];
  counts: Map<TagType, number>;
  refiling: number;
};

/** Tags nobody has wrangled, one type at a time, most used first: where wrangling pays off most. */
export function WranglingPage({ page, type, tags, counts, refiling }: QueueProps) {
  return (
    <Layout page={page} title="Wrangling">
      <div class="list-page">
        <h1>Tag wrangling</h1>
        <p class="lede">
          Make the tags readers will filter by canonical, point misspellings and variants at them as synonyms, and file characters and
          relationships under their fandoms. Lists find a story by what its tags stand for.
        </p>
        {refiling > 0 && (
          <p class="muted" role="status">
            Refiling the stories of {formatCount(refiling)} large tag(s) in the background.
          </p>
        )}
        <nav class="tabs" aria-label="Tag types">
          {WRANGLED_TYPES.map((each) => (
            <a href={`/wrangling?type=${each}`} aria-current={each === type ? 'page' : undefined}>
              {TAG_TYPE_LABELS[each]} <span class="muted">{formatCount(counts.get(each) ?? 0)}</span>
            </a>
          ))}
          {canEditGenres(page.viewer) && <a href="/wrangling/genres">Genres</a>}
        </nav>
        {tags.length === 0 ? (
          <p class="muted empty">Every {TAG_TYPE_LABELS[type].toLowerCase()} tag is wrangled.</p>
        ) : (
          <table class="wrangle-table">
            <caption>Unwrangled {TAG_TYPE_LABELS[type].toLowerCase()}, most used first</caption>
            <thead>
              <tr>
                <th scope="col">Tag</th>
                <th scope="col" class="number">
                  Stories
                </th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tags.map((tag) => (
                <tr>
                  <td>
                    <a href={wranglePath(tag)}>{tag.name}</a>
                  </td>
                  <td class="number">{formatCount(tag.uses)}</td>
                  <td>
                    <form method="post" action={wranglePath(tag)} class="inline-form">
                      <CsrfField token={page.csrfToken} />
                      <input type="hidden" name="canonical" value="1" />
                      <input type="hidden" name="back" value={`/wrangling?type=${type}`} />
                      <button type="submit" class="link-button" aria-label={`Make ${tag.name} canonical`}>
                        Make canonical
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </Layout>
  );
}

function TagLinks({ label, tags }: { label: string; tags: TagRef[] }) {
  if (tags.length === 0) return null;
  return (
    <p>
      <strong>{label}:</strong>{' '}
      {tags.map((tag, index) => (
        <>
          {index > 0 && ', '}
          <a href={tagPath(tag)}>{tag.name}</a>
        </>
      ))}
    </p>
  );
}

/** What wrangling says about a tag, on its own page: synonyms, fandoms, metatags, subtags. */
export function TagRelationsList({ relations }: { relations: TagRelations }) {
  return (
    <div class="tag-relations">
      <TagLinks label="Fandoms" tags={relations.fandoms} />
      <TagLinks label="Metatags" tags={relations.metatags} />
      <TagLinks label="Subtags" tags={relations.subtags} />
      <TagLinks label="Synonyms" tags={relations.synonyms} />
      <TagLinks label="Characters and relationships" tags={relations.members} />
    </div>
  );
}

export function wrangleForm(relations: TagRelations): FormState {
  const names = (tags: TagRef[]) => tags.map((tag) => tag.name).join(', ');
  return {
    values: {
      canonical: relations.tag.canonical === 1 ? '1' : '',
      synonym_of: relations.canonicalTag?.name ?? '',
      fandoms: names(relations.fandoms),
      metatags: names(relations.metatags),
    },
    errors: {},
  };
}

/** The wrangling form of one tag, with what already points at it. */
export function WrangleTagPage({ page, relations, form }: { page: PageContext; relations: TagRelations; form: FormState }) {
  const { tag } = relations;
  const linked = tag.type === 'character' || tag.type === 'relationship';
  return (
    <Layout page={page} title={`Wrangle ${tag.name}`}>
      <div class="narrow-page">
        <p class="breadcrumb">
          <a href={`/wrangling?type=${tag.type}`}>Wrangling</a> · {TAG_TYPE_LABELS[tag.type]}
        </p>
        <h1>
          <a href={tagPath(tag)}>{tag.name}</a>
        </h1>
        <TagRelationsList relations={relations} />
        <form method="post" action={wranglePath(tag)} class="stacked-form" novalidate>
          <CsrfField token={page.csrfToken} />
          <FormErrors form={form} />
          <ChoiceGroup
            form={form}
            name="canonical"
            label="Canonical"
            multiple
            options={[{ value: '1', label: 'Canonical: suggested in the story form, counted in sidebars' }]}
          />
          <TextInput
            form={form}
            name="synonym_of"
            label="Synonym of"
            suggest={tag.type}
            help="A canonical tag of the same type. Stories tagged with this one are then found under it, and excluding either excludes both."
          />
          {linked && <TextInput form={form} name="fandoms" label="Fandoms" suggest="fandom" help="Canonical fandoms, comma-separated." />}
          <TextInput
            form={form}
            name="metatags"
            label="Metatags"
            suggest={tag.type}
            help="Broader canonical tags of the same type, comma-separated: their lists include this tag's stories."
          />
          <button type="submit" class="button primary">
            Save wrangling
          </button>
        </form>
      </div>
    </Layout>
  );
}

type Genre = { id: number; name: string; canonical: number };

/** The genres the story form offers, which admins add to and retire from. */
export function GenresPage({ page, genres, form }: { page: PageContext; genres: Genre[]; form: FormState }) {
  const offered = genres.filter((genre) => genre.canonical === 1);
  const retired = genres.filter((genre) => genre.canonical !== 1);
  const toggle = (genre: Genre, offer: boolean) => (
    <form method="post" action={`/wrangling/genres/${genre.id}`} class="inline-form">
      <CsrfField token={page.csrfToken} />
      <input type="hidden" name="offer" value={offer ? '1' : '0'} />
      <button type="submit" class="link-button" aria-label={`${offer ? 'Offer' : 'Retire'} ${genre.name}`}>
        {offer ? 'Offer again' : 'Retire'}
      </button>
    </form>
  );
  return (
    <Layout page={page} title="Genres">
      <div class="narrow-page">
        <p class="breadcrumb">
          <a href="/wrangling">Wrangling</a> · Genres
        </p>
        <h1>Genres</h1>
        <p class="lede">The story form offers these genres as check boxes. A retired genre stays on the stories that have it.</p>
        <ul class="saved-searches">
          {offered.map((genre) => (
            <li>
              <a href={tagPath(genre)}>{genre.name}</a> {toggle(genre, false)}
            </li>
          ))}
        </ul>
        {retired.length > 0 && (
          <>
            <h2>Retired</h2>
            <ul class="saved-searches">
              {retired.map((genre) => (
                <li>
                  <a href={tagPath(genre)}>{genre.name}</a> {toggle(genre, true)}
                </li>
              ))}
            </ul>
          </>
        )}
        <form method="post" action="/wrangling/genres" class="stacked-form" novalidate>
          <CsrfField token={page.csrfToken} />
          <FormErrors form={form} />
          <TextInput form={form} name="name" label="Add a genre" maxLength={100} />
          <button type="submit" class="button primary">
            Add genre
          </button>
        </form>
      </div>
    </Layout>
  );
}

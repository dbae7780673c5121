import type { ComponentChildren } from 'preact';

/** What a form re-renders with after a failed submit: the typed values and a message per field. */
export type FormState = {
  values: Record<string, string>;
  errors: Record<string, string>;
  message?: string;
  /** The element a field's error links to, where it is not the element with the field's name as id (a radio group). */
  anchors?: Record<string, string>;
};
export const emptyForm = (values: Record<string, string> = {}): FormState => ({ values, errors: {} });

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

type PostButtonProps = {
  csrf: string;
  action: string;
  label: string;
  /** Hidden fields sent with it (such as `action: 'unfollow'`). */
  fields?: Record<string, string>;
  /** 'link' looks like a link (Remove, Revoke); 'primary' is the page's main button. */
  look?: 'button' | 'link' | 'primary';
};

/** One button that posts to `action`: no script, the form's token, any hidden fields. */
export function PostButton({ csrf, action, label, fields = {}, look = 'button' }: PostButtonProps) {
  return (
    <form method="post" action={action} class="inline-form">
      <CsrfField token={csrf} />
      {Object.entries(fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={look === 'link' ? 'link-button' : look === 'primary' ? 'button primary' : 'button'}>
        {label}
      </button>
    </form>
  );
}

/**
 * What went wrong, at the top of the form: the message, then each field's problem as a link to the
 * field. It takes focus when the page loads, so keyboard and screen-reader users start there.
 */
export function FormErrors({ form }: { form: FormState }) {
  if (!form.message) return null;
  const problems = Object.entries(form.errors).filter(([name]) => name !== '_');
  // A message that only repeats a field's own is said once, as the link to the field.
  const repeated = problems.some(([, error]) => error === form.message);
  const title = repeated ? (problems.length === 1 ? 'One thing needs fixing:' : `${problems.length} things need fixing:`) : form.message;
  return (
    <div class="error-summary" role="alert" tabindex={-1} autofocus>
      <p class="error-summary-title">{title}</p>
      {problems.length > 0 && (
        <ul>
          {problems.map(([name, error]) => (
            <li>
              <a href={`#${form.anchors?.[name] ?? name}`}>{error}</a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

type FieldProps = { form: FormState; name: string; label: string; help?: ComponentChildren; children: ComponentChildren };

/** Label above, help line, then the control, then the error in words. */
export function Field({ form, name, label, help, children }: FieldProps) {
  const error = form.errors[name];
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={name}>{label}</label>
      {help && (
        <div class="help" id={`${name}-help`}>
          {help}
        </div>
      )}
      {children}
      {error && (
        <p class="field-error" id={`${name}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** Points a control at its help line and its error, so screen readers read both. */
function describedBy({ form, name, help }: Pick<FieldProps, 'form' | 'name' | 'help'>): string | undefined {
  const ids = [help ? `${name}-help` : '', form.errors[name] ? `${name}-error` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

type InputProps = Omit<FieldProps, 'children'> & {
  type?: 'text' | 'password' | 'url' | 'email';
  required?: boolean;
  maxLength?: number;
  autocomplete?: string;
  placeholder?: string;
  /** Tags of this type are suggested as it is typed (static/tag-suggest.js fills the datalist; without it, a plain input). */
  suggest?: string;
};

export function TextInput({ type = 'text', required, maxLength, autocomplete, placeholder, suggest, ...field }: InputProps) {
  const { form, name } = field;
  return (
    <Field {...field}>
      <input
        id={name}
        name={name}
        // preact narrows attributes per input type; the union is fine at runtime.
        type={type as 'text'}
        value={type === 'password' ? '' : (form.values[name] ?? '')}
        required={required}
        maxLength={maxLength}
        placeholder={placeholder}
        autocomplete={suggest ? 'off' : autocomplete}
        list={suggest ? `${name}-suggestions` : undefined}
        data-suggest={suggest}
        aria-invalid={form.errors[name] ? 'true' : undefined}
        aria-describedby={describedBy(field)}
      />
      {suggest && <datalist id={`${name}-suggestions`} />}
    </Field>
  );
}

export function TextArea({ rows = 6, maxLength, ...field }: Omit<FieldProps, 'children'> & { rows?: number; maxLength?: number }) {
  const { form, name } = field;
  return (
    <Field {...field}>
      <textarea
        id={name}
        name={name}
        rows={rows}
        maxLength={maxLength}
        aria-invalid={form.errors[name] ? 'true' : undefined}
        aria-describedby={describedBy(field)}
      >
        {form.values[name] ?? ''}
      </textarea>
    </Field>
  );
}

type Option = { value: string; label: string };

/** Options whose labels are their values: a list of names. */
export const namedOptions = (names: readonly string[]): Option[] => names.map((name) => ({ value: name, label: name }));

export function Select({
  options,
  class: className,
  ...field
}: Omit<FieldProps, 'children'> & { options: readonly Option[]; class?: string }) {
  const { form, name } = field;
  return (
    <Field {...field}>
      <select
        id={name}
        name={name}
        class={className}
        aria-invalid={form.errors[name] ? 'true' : undefined}
        aria-describedby={describedBy(field)}
      >
        {options.map((option) => (
          <option value={option.value} selected={form.values[name] === option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

type ChoiceProps = Omit<FieldProps, 'children'> & { options: readonly Option[]; multiple?: boolean };

/**
 * One choice among a few (radio buttons, none chosen until the person chooses), or several (check
 * boxes, sent as repeated fields and kept one per line). The error summary links to the first box
 * (`${name}-${n}`, the option's place, since values may hold any character).
 */
export function ChoiceGroup({ form, name, label, help, options, multiple = false }: ChoiceProps) {
  const error = form.errors[name];
  const chosen = (form.values[name] ?? '').split('\n');
  return (
    <fieldset class={error ? 'field radio-group has-error' : 'field radio-group'} aria-describedby={describedBy({ form, name, help })}>
      <legend>{label}</legend>
      {help && (
        <div class="help" id={`${name}-help`}>
          {help}
        </div>
      )}
      {error && (
        <p class="field-error" id={`${name}-error`}>
          {error}
        </p>
      )}
      <span class="radio-options">
        {options.map((option, index) => (
          <label class="radio">
            <input
              type={multiple ? 'checkbox' : 'radio'}
              id={`${name}-${index}`}
              name={name}
              value={option.value}
              checked={chosen.includes(option.value)}
            />{' '}
            {option.label}
          </label>
        ))}
      </span>
    </fieldset>
  );
}

export const FORMAT_OPTIONS = [
  { value: 'markdown', label: 'Markdown' },
  { value: 'bbcode', label: 'BBCode (FimFiction style)' },
  { value: 'text', label: 'Plain text (each line a paragraph)' },
] as const;

/** Each format's syntax in a line. The stylesheet shows only the chosen format's line (the rest without CSS). */
const FORMAT_SYNTAX: Record<(typeof FORMAT_OPTIONS)[number]['value'], string> = {
  markdown:
    'Markdown: *italic*, **bold**, > quote, [link text](https://…), *** for a scene break, a blank line between paragraphs. Images appear as links and HTML tags show as typed: neither is supported.',
  bbcode:
    'BBCode: [b]bold[/b], [i], [u], [s], [url=https://…]link[/url], [quote], [center], [hr], [size=…], [color=…], [spoiler]; each line is a paragraph. [img] is not supported and shows as typed.',
  text: 'Plain text: each line is a paragraph, and nothing else is formatted.',
};

export function FormatHelp() {
  return (
    <span class="format-help">
      {FORMAT_OPTIONS.map(({ value }) => (
        <span class={`format-${value}`}>{FORMAT_SYNTAX[value]}</span>
      ))}
    </span>
  );
}

/** The format of the text fields that follow it in the same form (their help names its syntax). */
export function FormatSelect({ form, name, label, help }: Omit<FieldProps, 'children'>) {
  return <Select form={form} name={name} label={label} help={help} options={FORMAT_OPTIONS} class="format-select" />;
}

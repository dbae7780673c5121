import type { ComponentChildren } from 'preact';

/** What a form re-renders with after a failed submit: the typed values and a message per field. */
export type FormState = { values: Record<string, string>; errors: Record<string, string>; message?: string };
export const emptyForm = (values: Record<string, string> = {}): FormState => ({ values, errors: {} });

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export function FormErrors({ form }: { form: FormState }) {
  if (!form.message) return null;
  return (
    <p class="form-error" role="alert">
      {form.message}
    </p>
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
        <p class="help" id={`${name}-help`}>
          {help}
        </p>
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
};

export function TextInput({ type = 'text', required, maxLength, autocomplete, ...field }: InputProps) {
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
        autocomplete={autocomplete}
        aria-invalid={form.errors[name] ? 'true' : undefined}
        aria-describedby={describedBy(field)}
      />
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

export function Select({ options, ...field }: Omit<FieldProps, 'children'> & { options: readonly Option[] }) {
  const { form, name } = field;
  return (
    <Field {...field}>
      <select id={name} name={name} aria-describedby={describedBy(field)}>
        {options.map((option) => (
          <option value={option.value} selected={form.values[name] === option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

export const FORMAT_OPTIONS = [
  { value: 'markdown', label: 'Markdown' },
  { value: 'bbcode', label: 'BBCode (FimFiction style)' },
  { value: 'text', label: 'Plain text (each line a paragraph)' },
] as const;

export const FORMAT_HELP =
  'Markdown: *italic*, **bold**, > quote, blank line between paragraphs. BBCode: [b] [i] [u] [s] [url=…] [quote] [center] [hr] [size=…] [color=…] [spoiler]; each line is a paragraph.';

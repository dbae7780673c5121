import { type FormState, TextInput } from '../../../kernel/web/forms.tsx';

/** The new password, twice: the password change and the reset by e-mail ask the same way. */
export function NewPasswordFields({ form }: { form: FormState }) {
  return (
    <>
      <TextInput
        form={form}
        name="password"
        label="New password"
        type="password"
        help="At least 8 characters."
        required
        autocomplete="new-password"
      />
      <TextInput form={form} name="password_confirmation" label="New password again" type="password" required autocomplete="new-password" />
    </>
  );
}

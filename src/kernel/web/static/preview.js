// Chapter editor: "Preview" shows the rendered chapter above the form without leaving the page.
// Without this script the same button posts the form and the server answers with the preview.
for (const button of document.querySelectorAll('button[data-preview]')) {
  button.addEventListener('click', async (event) => {
    const form = button.form;
    if (!form) return;
    event.preventDefault();
    const body = new URLSearchParams(new FormData(form));
    body.set('action', 'preview');
    // Falls back to the plain form post, which the server answers with the same preview.
    const post = () => {
      button.disabled = false;
      form.requestSubmit(button);
    };
    button.disabled = true;
    try {
      // getAttribute: the form's `action` property is shadowed by its buttons named "action".
      const response = await fetch(form.getAttribute('action'), { method: 'POST', body, credentials: 'same-origin' });
      const page = new DOMParser().parseFromString(await response.text(), 'text/html');
      const fresh = page.getElementById('preview') ?? page.querySelector('.error-summary');
      if (!fresh) return post();
      const summary = form.querySelector('.error-summary');
      if (summary) summary.remove();
      const old = document.getElementById('preview');
      if (fresh.id === 'preview') {
        if (old) old.replaceWith(fresh);
        else form.before(fresh);
      } else {
        if (old) old.remove();
        form.prepend(fresh);
      }
      fresh.scrollIntoView({ block: 'start' });
      fresh.focus({ preventScroll: true });
    } catch {
      post();
    } finally {
      button.disabled = false;
    }
  });
}

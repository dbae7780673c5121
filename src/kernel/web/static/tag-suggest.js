// Story form: suggests existing tags as an author types in a tag field, through the field's <datalist>.
// Fields are comma-separated, so each suggestion keeps what comes before the last comma.
// Without this script the fields are plain text inputs.
for (const input of document.querySelectorAll('input[data-suggest]')) {
  const list = document.getElementById(input.getAttribute('list'));
  let timer = 0;
  let asked = '';
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const value = input.value;
      const cut = value.lastIndexOf(',');
      const before = cut < 0 ? '' : `${value.slice(0, cut + 1).trimEnd()} `;
      const typed = value.slice(cut + 1).trim();
      if (typed.length < 2 || typed === asked) return;
      asked = typed;
      const query = new URLSearchParams({ type: input.dataset.suggest, q: typed });
      try {
        const response = await fetch(`/tags/suggest?${query}`, { credentials: 'same-origin' });
        const { names } = await response.json();
        list.replaceChildren(
          ...names.map((name) => {
            const option = document.createElement('option');
            option.value = `${before}${name}`;
            return option;
          }),
        );
      } catch {
        // Suggestions are a convenience: the field works without them.
      }
    }, 150);
  });
}

// Chapter page: applying reading settings comes back to the paragraph being read, not the top.
// The place is noted while the reader reads (the chapter's top navigation scrolled away), so going
// up to the "Aa" control does not move it. Without this script the form returns to the control.
const paragraphs = [...document.querySelectorAll('.chapter-text > *')];
const nav = document.querySelector('.chapter-nav-top');
let reading = -1;

const note = () => {
  if (nav && nav.getBoundingClientRect().bottom > 0) return;
  reading = paragraphs.findIndex((p) => p.getBoundingClientRect().bottom > 0);
};
let pending = false;
addEventListener(
  'scroll',
  () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      note();
    });
  },
  { passive: true },
);

for (const form of document.querySelectorAll('form.reader-settings-form')) {
  form.addEventListener('submit', () => {
    const field = form.querySelector('input[name="return"]');
    if (field && reading > 0) field.value = `${location.pathname}${location.search}#at-${reading}`;
  });
}

const place = /^#at-(\d+)$/.exec(location.hash);
if (place) paragraphs[Number(place[1])]?.scrollIntoView({ block: 'start', behavior: 'instant' });

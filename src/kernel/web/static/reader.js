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

// Signed-in readers: how far into the chapter they are (in thousandths of its text, measured at the
// bottom of the window) is saved as they read, so another device opens the chapter at the same
// place. Guests send nothing; without this script the visit itself is still recorded.
const article = document.querySelector('article.reader');
const text = document.querySelector('.chapter-text');
if (article && text && document.querySelector('form[action="/logout"]')) {
  const story = Number(article.dataset.story);
  const chapter = Number(article.dataset.chapter);
  const at = () => {
    const box = text.getBoundingClientRect();
    return Math.max(0, Math.min(1000, Math.round(((innerHeight - box.top) / box.height) * 1000)));
  };
  let sent = -1;
  const save = () => {
    const position = at();
    if (Math.abs(position - sent) < 10 && !(position >= 950 && sent < 950)) return;
    sent = position;
    fetch('/progress', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ story, chapter, position }),
      keepalive: true,
    }).catch(() => {});
  };
  let timer;
  addEventListener(
    'scroll',
    () => {
      clearTimeout(timer);
      timer = setTimeout(save, 1500);
    },
    { passive: true },
  );
  addEventListener('pagehide', save);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') save();
  });
  // Opened at the top (not at a paragraph the settings form returned to): go back to the saved place.
  if (!place && scrollY < 50) {
    fetch(`/progress/${story}`, { headers: { accept: 'application/json' } })
      .then((response) => (response.status === 200 ? response.json() : null))
      .then((saved) => {
        if (!saved || saved.chapter !== chapter || saved.position <= 0 || scrollY >= 50) return;
        const box = text.getBoundingClientRect();
        scrollTo({ top: scrollY + box.top + (saved.position / 1000) * box.height - innerHeight, behavior: 'instant' });
        sent = saved.position;
      })
      .catch(() => {});
  }
}

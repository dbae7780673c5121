import { Parser } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness } from './harness.ts';
import { addChapter, createStory, storyFields } from './stories.helpers.ts';

const XSS = `<script>alert('x')</script><img src=x onerror=alert(1)><a href="javascript:alert(2)">j</a>"><svg onload=alert(3)>`;
const BB_XSS = `[url=javascript:alert(4)]bb[/url][url]javascript:alert(5)[/url][color=red" onclick="alert(6)]c[/color]<iframe src=//evil>`;

/** Nothing an attacker typed may come out as live markup: checked on the parsed page, not its text. */
function expectInert(html: string) {
  const live: string[] = [];
  const parser = new Parser({
    onopentag(name, attributes) {
      // Our own scripts, served from /static/ (the CSP allows nothing else), are the only ones expected.
      const ours =
        name === 'script' && attributes.src?.startsWith('/static/') && Object.keys(attributes).every((a) => ['src', 'defer'].includes(a));
      if (['script', 'svg', 'iframe', 'object', 'embed', 'style'].includes(name) && !ours) live.push(`<${name}>`);
      if (name === 'img' && !attributes.src?.startsWith('/media/covers/')) live.push(`<img src=${attributes.src}>`);
      for (const [attribute, value] of Object.entries(attributes)) {
        if (attribute.startsWith('on')) live.push(`${name} ${attribute}`);
        if (['href', 'src', 'action'].includes(attribute) && /^\s*(javascript|data|vbscript):/i.test(value))
          live.push(`${name} ${attribute}=${value}`);
      }
    },
  });
  parser.write(html);
  parser.end();
  expect(live).toEqual([]);
}

describe.each(dialects)('hostile input on %s', (dialect) => {
  let h: Harness;
  let attacker: Agent;
  beforeAll(async () => {
    h = await createHarness(dialect);
    attacker = await h.login('mallory');
  });
  afterAll(() => h.close());

  it.each(['markdown', 'bbcode', 'text'])('is neutralised in every field of a %s story and chapter', async (format) => {
    const payload = format === 'bbcode' ? `${XSS}\n${BB_XSS}` : XSS;
    const storyId = await createStory(attacker, {
      ...storyFields({ title: XSS, summary: XSS, description: payload, description_format: format, tags: `${XSS.slice(0, 90)}, ok` }),
      cover_artist_name: XSS.slice(0, 100),
    });
    const chapterId = await addChapter(attacker, storyId, { title: XSS, format, body: payload, note_before: payload, note_after: payload });
    for (const url of ['/', `/stories/${storyId}`, `/stories/${storyId}/chapters/${chapterId}`, '/users/mallory']) {
      const page = await h.agent().get(url);
      expect(page.statusCode, url).toBe(200);
      expectInert(page.body);
    }
    const editor = await attacker.get(`/stories/${storyId}/chapters/${chapterId}/edit`);
    expectInert(editor.body);
    expect(editor.body).toContain('&lt;script>');
  });

  it('refuses javascript: and other non-web links as cover credits', async () => {
    const response = await attacker.submit('/stories/new', '/stories', {
      ...storyFields({ title: 'Credit attack' }),
      cover_artist_url: 'javascript:alert(1)',
      cover_source_url: 'data:text/html,<script>alert(1)</script>',
    });
    expect(response.statusCode).toBe(400);
    // Each of the two fields says it twice: in the error summary's link and beside the field.
    expect(response.body.match(/Enter a full http:\/\/ or https:\/\/ address\./g)).toHaveLength(4);
    expectInert(response.body);
  });

  it('sends a strict Content-Security-Policy with no inline script on every page', async () => {
    for (const url of ['/', '/login', '/nowhere', '/static/favicon.svg']) {
      const csp = String((await h.agent().get(url)).headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
    }
  });
});

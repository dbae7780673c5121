/**
 * Sizes and colours become classes, not inline styles: the CSP forbids inline styles, and
 * theme-aware colour classes stay readable in dark mode where an author's #000 would vanish.
 */
export function sizeClass(value: string): string | null {
  const match = /^(\d+(?:\.\d+)?)(em|px|pt|%)?$/i.exec(value.trim());
  if (!match) return null;
  const n = Number(match[1]);
  const unit = (match[2] ?? '').toLowerCase();
  // Express the size relative to body text (1 = normal).
  const relative = unit === 'em' ? n : unit === '%' ? n / 100 : unit === 'pt' ? n / 12 : unit === 'px' ? n / 16 : n / 100;
  if (relative < 0.85) return 'bb-size-s';
  if (relative <= 1.15) return null;
  if (relative <= 1.6) return 'bb-size-l';
  return 'bb-size-xl';
}

const NAMED: Record<string, string> = {
  red: 'red',
  crimson: 'red',
  maroon: 'red',
  darkred: 'red',
  orange: 'orange',
  darkorange: 'orange',
  coral: 'orange',
  brown: 'orange',
  yellow: 'yellow',
  gold: 'yellow',
  khaki: 'yellow',
  green: 'green',
  lime: 'green',
  olive: 'green',
  darkgreen: 'green',
  teal: 'green',
  blue: 'blue',
  navy: 'blue',
  cyan: 'blue',
  aqua: 'blue',
  skyblue: 'blue',
  royalblue: 'blue',
  purple: 'purple',
  violet: 'purple',
  indigo: 'purple',
  magenta: 'pink',
  fuchsia: 'pink',
  pink: 'pink',
  hotpink: 'pink',
  deeppink: 'pink',
  gray: 'gray',
  grey: 'gray',
  silver: 'gray',
  black: 'gray',
  white: 'gray',
};

/** Maps any CSS-ish colour to the nearest of our theme's named hues. */
export function colorClass(value: string): string | null {
  const v = value.trim().toLowerCase();
  const named = NAMED[v];
  if (named) return `bb-color-${named}`;
  const hex = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/.exec(v)?.[1];
  if (!hex) return null;
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max - min < 0.15) return 'bb-color-gray';
  const d = max - min;
  let hue = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  hue = (hue * 60 + 360) % 360;
  const bucket =
    hue < 15 || hue >= 335
      ? 'red'
      : hue < 45
        ? 'orange'
        : hue < 70
          ? 'yellow'
          : hue < 170
            ? 'green'
            : hue < 255
              ? 'blue'
              : hue < 290
                ? 'purple'
                : 'pink';
  return `bb-color-${bucket}`;
}

import { createHash } from 'node:crypto';

/** A deterministic 480×480 SVG for a seed: the same listing picture always looks the same. */
export function placeholderSvg(seed: string): string {
  const digest = createHash('sha1').update(seed).digest();
  const hue = ((digest[0] ?? 0) * 360) / 256;
  const hue2 = (hue + 40 + (digest[1] ?? 0) / 4) % 360;
  const cx = 120 + ((digest[2] ?? 0) % 240);
  const cy = 120 + ((digest[3] ?? 0) % 240);
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="480" viewBox="0 0 480 480">',
    `<rect width="480" height="480" fill="hsl(${hue.toFixed(0)} 45% 88%)"/>`,
    `<circle cx="${cx}" cy="${cy}" r="110" fill="hsl(${hue2.toFixed(0)} 50% 62%)"/>`,
    `<rect x="150" y="300" width="180" height="90" rx="12" fill="hsl(${hue.toFixed(0)} 35% 40%)" opacity="0.75"/>`,
    '</svg>',
  ].join('');
}

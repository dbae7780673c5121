import { AppError } from '../../kernel/errors.ts';

/**
 * More JSON values than any real activity carries (a note with a few hundred tags and mentions
 * has well under a thousand), and deeper nesting than any has.
 */
const MAX_VALUES = 4000;
const MAX_DEPTH = 32;

/**
 * Checks a delivery's shape before Fedify sees it. Fedify expands a document as JSON-LD before it
 * verifies the signature, and expansion costs milliseconds per value: an unsigned array of a few
 * hundred thousand numbers held the event loop for seconds. A delivery is one JSON object of
 * modest size and depth; anything else is refused here, after one linear parse and a walk that
 * stops at the bound.
 */
export function checkDeliveryShape(bytes: Buffer): void {
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new AppError(400, 'A delivery must be a JSON document.');
  }
  if (!document || typeof document !== 'object' || Array.isArray(document)) throw new AppError(400, 'A delivery must be one JSON object.');
  let values = 0;
  const stack: [unknown, number][] = [[document, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (++values > MAX_VALUES || depth > MAX_DEPTH)
      throw new AppError(413, 'That delivery is larger than any activity this archive accepts.');
    if (value && typeof value === 'object') {
      for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, depth + 1]);
    }
  }
}
